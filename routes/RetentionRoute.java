package appealhub.routes;

import appealhub.retention.RetentionService;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Retention (issue 14, item 13): personal data and raw bodies purged hub.retention.closed-days after
 * a case closed, on a timer. Runs on every instance: each case is claimed by a conditional update,
 * so two instances never purge the same case twice and a crash mid-run leaves nothing half done
 * (one transaction per case). What was purged: GET /ops/retention.
 */
@Component
@ConditionalOnProperty(prefix = "hub.retention", name = "enabled", havingValue = "true", matchIfMissing = true)
public class RetentionRoute extends RouteBuilder {
    private final RetentionService retention;

    public RetentionRoute(RetentionService retention) {
        this.retention = retention;
    }

    @Override
    public void configure() {
        from("timer:retention?delay={{hub.retention.initial-delay-ms:300000}}&period={{hub.retention.period-ms:3600000}}")
                .routeId("retention").routeConfigurationId(ErrorHandling.ID)
                .bean(retention, "purge");
    }
}
