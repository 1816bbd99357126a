package appealhub.cluster;

import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.impl.cluster.ClusteredRoutePolicyFactory;
import org.apache.camel.model.PropertyDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;

/**
 * Gives Camel's ClusteredRoutePolicy to the routes that must run on one hub instance at a time:
 * they are started on the instance holding their lease (namespace) only, and on another when it
 * goes. A route says so where it is built, with the route property {@value #PROPERTY} naming its
 * namespace, e.g. {@code .routeProperty(LeaderOnlyRoutes.PROPERTY, "leaderboard")}; routes of one
 * namespace move together. Everything without it (push endpoints, JMS consumers, most channels'
 * feedback routes, the deadline scanner) is safe on several instances and runs everywhere.
 */
public class LeaderOnlyRoutes implements RoutePolicyFactory {
    /** The route property whose value is the lease namespace of a route that runs on one instance only. */
    public static final String PROPERTY = "hub.leader-only";

    private final CamelClusterService service;

    public LeaderOnlyRoutes(CamelClusterService service) {
        this.service = service;
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        String namespace = namespace(camelContext, route);
        if (namespace == null) return null;
        return ClusteredRoutePolicyFactory.forNamespace(service, namespace).createRoutePolicy(camelContext, routeId, route);
    }

    /** The namespace a route declares in its property {@value #PROPERTY}, placeholders resolved; null when none. */
    public static String namespace(CamelContext camelContext, NamedNode route) {
        if (!(route instanceof RouteDefinition definition) || definition.getRouteProperties() == null) return null;
        for (PropertyDefinition property : definition.getRouteProperties()) {
            if (!PROPERTY.equals(property.getKey())) continue;
            String value = camelContext.resolvePropertyPlaceholders(property.getValue());
            return value == null || value.isBlank() ? null : value.trim();
        }
        return null;
    }
}
