package appealhub.cluster;

import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Leader election over the shared database (docs/cluster.md), on unless hub.cluster.enabled is
 * false. Camel Spring Boot adds the cluster service and the route policy factory to the context.
 */
@Configuration
@ConditionalOnProperty(prefix = "hub.cluster", name = "enabled", havingValue = "true", matchIfMissing = true)
public class ClusterConfig {

    @Bean
    JdbcLeaseClusterService jdbcLeaseClusterService(ClusterProperties props, JdbcTemplate jdbc, Clock clock) {
        return new JdbcLeaseClusterService(props.nodeId(), new LeaseTable(jdbc), clock,
                Duration.ofSeconds(props.leaseSeconds()));
    }

    @Bean
    LeaderOnlyRoutes leaderOnlyRoutes(JdbcLeaseClusterService service) {
        return new LeaderOnlyRoutes(service);
    }
}
