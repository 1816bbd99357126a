package appealhub.routes;

import appealhub.cluster.LeaderOnlyRoutes;
import appealhub.feedback.FeedbackDispatcher;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;
import org.springframework.stereotype.Component;

/**
 * Flow step 7, feed back: the outbox is worked off on a timer, one route per channel
 * ("feedback-&lt;channel&gt;"), each item through its channel's sink. A slow or failing upstream
 * holds up only its own channel's route. Runs on every instance (rows are claimed one by one),
 * except where the channel's sink names a lease ({@code FeedbackSink.leaderNamespace()}: WeChat's one
 * access token, the board's one rate limit): then on the instance holding it only.
 */
@Component
public class FeedbackRoute extends RouteBuilder {
    private final FeedbackDispatcher dispatcher;

    public FeedbackRoute(FeedbackDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public void configure() {
        for (String channel : dispatcher.channels()) {
            RouteDefinition route = from("timer:feedback-" + channel + "?delay=1000&period={{hub.feedback.poll-ms}}")
                    .routeId("feedback-" + channel).routeConfigurationId(ErrorHandling.ID);
            dispatcher.leaderNamespace(channel).ifPresent(namespace -> route.routeProperty(LeaderOnlyRoutes.PROPERTY, namespace));
            route.bean(dispatcher, "dispatchDue('" + channel + "')");
        }
        from("timer:feedback-orphans?delay=5000&period=60000")
                .routeId("feedback-orphans")
                .bean(dispatcher, "parkOrphans");
    }
}
