package appealhub.routes;

import appealhub.feedback.FeedbackDispatcher;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Flow step 7, feed back: the outbox is worked off on a timer, each item through its channel's sink. */
@Component
public class FeedbackRoute extends RouteBuilder {
    private final FeedbackDispatcher dispatcher;
    private final long pollMs;

    public FeedbackRoute(FeedbackDispatcher dispatcher, @Value("${hub.feedback.poll-ms}") long pollMs) {
        this.dispatcher = dispatcher;
        this.pollMs = pollMs;
    }

    @Override
    public void configure() {
        from("timer:feedback-outbox?delay=1000&period=" + pollMs)
                .routeId("feedback-outbox")
                .process(exchange -> dispatcher.dispatchDue());
    }
}
