package appealhub.routes;

import appealhub.deadline.DeadlineProperties;
import appealhub.deadline.DeadlineWatch;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Deadlines: every hub.deadlines.scan-period-ms the due timers are fired (reminders,
 * escalations, emergency alerts). Safe with several hub instances on one database: each
 * timer occurrence is claimed by exactly one of them (DeadlineWatch).
 */
@Component
public class DeadlineWatchRoute extends RouteBuilder {
    private final DeadlineWatch watch;
    private final long periodMs;

    public DeadlineWatchRoute(DeadlineWatch watch, DeadlineProperties properties) {
        this.watch = watch;
        this.periodMs = properties.scanPeriodMs();
    }

    @Override
    public void configure() {
        from("timer:deadline-watch?delay=" + Math.min(periodMs, 3000) + "&period=" + periodMs)
                .routeId("deadline-watch").routeConfigurationId(InfrastructureFaults.ID)
                .process(exchange -> watch.scan());
    }
}
