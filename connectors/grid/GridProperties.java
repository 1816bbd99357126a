package appealhub.connectors.grid;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** hub.channels.grid in config/application.yml; see connector.yaml for what each means. */
@ConfigurationProperties(prefix = "hub.channels.grid")
public record GridProperties(boolean enabled, String inboundQueue, String feedbackQueue, String deadLetterQueue,
                             int consumers, Demo demo) {

    /** The demo feeder of the default run (hub.demo.mocks=true). */
    public record Demo(long intervalMs, long initialDelayMs) {}

    public GridProperties {
        if (inboundQueue == null || inboundQueue.isBlank()) inboundQueue = "inbound.grid.reports";
        if (feedbackQueue == null || feedbackQueue.isBlank()) feedbackQueue = "outbound.grid.feedback";
        if (deadLetterQueue == null || deadLetterQueue.isBlank()) deadLetterQueue = "hub.dead.grid";
        if (consumers <= 0) consumers = 1;
        if (demo == null) demo = new Demo(30_000, 5_000);
    }
}
