package appealhub.connectors.leaderboard;

import org.apache.camel.http.base.HttpHeaderFilterStrategy;

/**
 * Camel's HTTP header filter drops an outgoing {@code Date} header (it is a "protocol" header
 * there); the boards sign over it and require it, so this filter lets it through. Named in the
 * endpoint URI of the board's transport route (appealhub.routes.UpstreamHttpRoutes, route
 * upstream-leaderboard) as {@code headerFilterStrategy=#class:...LeaderboardHttpHeaders}: not a Spring
 * bean, so no other component can pick it up from the registry by type.
 */
public class LeaderboardHttpHeaders extends HttpHeaderFilterStrategy {
    public LeaderboardHttpHeaders() {
        getOutFilter().remove("date");
    }
}
