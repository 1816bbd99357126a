package appealhub.routes;

import appealhub.deadline.DeadlineWatch;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Deadlines: every hub.deadlines.scan-period-ms the due timers are fired (reminders on the task's
 * queue, escalations to hub.supervision, emergency alerts to hub.duty.leader, each sent by route
 * "to-queue"). Safe with several hub instances on one database: each timer occurrence is claimed by
 * exactly one of them (DeadlineWatch).
 */
@Component
public class DeadlineWatchRoute extends RouteBuilder {
    private final DeadlineWatch watch;

    public DeadlineWatchRoute(DeadlineWatch watch) {
        this.watch = watch;
    }

    @Override
    public void configure() {
        from("timer:deadline-watch?delay=1000&period={{hub.deadlines.scan-period-ms:5000}}")
                .routeId("deadline-watch").routeConfigurationId(ErrorHandling.ID)
                .bean(watch, "scan");
    }
}
