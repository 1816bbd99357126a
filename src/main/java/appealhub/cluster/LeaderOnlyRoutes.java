package appealhub.cluster;

import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.impl.cluster.ClusteredRoutePolicyFactory;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;

/**
 * The routes that must run on one hub instance at a time, and the lease (namespace) each one
 * follows: they are started on the instance holding it only (Camel's ClusteredRoutePolicy), and
 * on another when it goes. Everything else (push endpoints, JMS consumers, the feedback outbox,
 * the deadline scanner) is safe on several instances and runs everywhere.
 */
public class LeaderOnlyRoutes implements RoutePolicyFactory {
    /** route id → namespace. The supervision inbox and its daily batch move together. */
    static final Map<String, String> NAMESPACES = Map.of(
            "hotline12345-pull", "hotline12345-pull",
            "leaderboard-pull", "leaderboard-pull",
            "supervision-inbox", "supervision",
            "supervision-result-batch-daily", "supervision");

    private final CamelClusterService service;

    public LeaderOnlyRoutes(CamelClusterService service) {
        this.service = service;
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        String namespace = NAMESPACES.get(routeId);
        if (namespace == null) return null;
        return ClusteredRoutePolicyFactory.forNamespace(service, namespace).createRoutePolicy(camelContext, routeId, route);
    }
}
