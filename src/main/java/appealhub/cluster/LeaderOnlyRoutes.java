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
 * on another when it goes. Everything else (push endpoints, JMS consumers, the other channels'
 * feedback routes, the deadline scanner) is safe on several instances and runs everywhere.
 */
public class LeaderOnlyRoutes implements RoutePolicyFactory {
    /**
     * route id → namespace. Routes of one namespace move together: the supervision inbox with its
     * daily batch; every call to the leader board (pull and feedback) from one instance, so its
     * pacing is the board's global 10 requests/s; every WeChat call from one instance, so one
     * access token is fetched and refreshed (a new token cancels the one before).
     */
    static final Map<String, String> NAMESPACES = Map.of(
            "hotline12345-pull", "hotline12345-pull",
            "leaderboard-pull", "leaderboard",
            "feedback-leaderboard", "leaderboard",
            "feedback-wechat", "wechat",
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
