package appealhub.connectors.leaderboard;

import appealhub.cluster.LeaderOnlyRoutes;
import appealhub.routes.PollFaults;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The leader-board channel's inbound side (connector.yaml): the signed incremental pull of new
 * messages on a timer. (Feedback goes out through {@link LeaderboardFeedbackSink}.) The pull and the
 * feedback run on one hub instance at a time (lease {@value #LEADER_NAMESPACE}): one cursor, and the
 * board's 10 requests/s for all instances together.
 */
@Component
@ConditionalOnProperty(prefix = "hub.channels.leaderboard", name = "enabled", havingValue = "true")
public class LeaderboardRoutes extends RouteBuilder {
    /** The lease of every call to the board: the pull here, the feedback route by its sink. */
    public static final String LEADER_NAMESPACE = "leaderboard";

    private final LeaderboardProperties props;
    private final LeaderboardPuller puller;

    public LeaderboardRoutes(LeaderboardProperties props, LeaderboardPuller puller) {
        this.props = props;
        this.puller = puller;
    }

    @Override
    public void configure() {
        if (!props.pull().enabled()) return;
        // A poll never throws for the board's answers; anything unexpected is logged and the next tick tries again (PollFaults).
        from("timer:leaderboard-pull?delay={{hub.channels.leaderboard.pull.initial-delay-ms}}"
                + "&period={{hub.channels.leaderboard.pull.interval-ms}}")
                .routeId("leaderboard-pull").routeConfigurationId(PollFaults.ID)
                .routeProperty(LeaderOnlyRoutes.PROPERTY, LEADER_NAMESPACE)
                .process(exchange -> puller.poll());
    }
}
