package appealhub.cluster;

import java.time.Clock;
import java.time.Duration;
import org.apache.camel.support.cluster.AbstractCamelClusterService;

/**
 * Camel's cluster service on the database the hub instances already share: one lease per
 * namespace in cluster_lease ({@link LeaseTable}). A {@link JdbcLeaseClusterView} takes the
 * lease when it starts, renews it every ttl/3 and gives it up when it stops; Camel's
 * ClusteredRoutePolicy starts the namespace's routes on the node holding it only. Lease expiry
 * goes by the database's clock; the node's clock only measures elapsed time.
 */
public class JdbcLeaseClusterService extends AbstractCamelClusterService<JdbcLeaseClusterView> {
    private final LeaseTable leases;
    private final Clock clock;
    private final Duration ttl;

    public JdbcLeaseClusterService(String nodeId, LeaseTable leases, Clock clock, Duration ttl) {
        super(nodeId);
        if (ttl.toMillis() < 300) throw new IllegalArgumentException("lease time too short: " + ttl);
        this.leases = leases;
        this.clock = clock;
        this.ttl = ttl;
    }

    public Duration ttl() {
        return ttl;
    }

    @Override
    protected JdbcLeaseClusterView createView(String namespace) {
        return new JdbcLeaseClusterView(this, namespace, leases, clock, ttl);
    }
}
