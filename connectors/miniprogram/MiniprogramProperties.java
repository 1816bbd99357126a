package appealhub.connectors.miniprogram;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** hub.channels.miniprogram in config/application.yml; see connector.yaml for what each means. */
@ConfigurationProperties(prefix = "hub.channels.miniprogram")
public record MiniprogramProperties(boolean enabled, String apiKey, String baseUrl, String callbackKey,
                                   String townshipsGeo, long maintenanceRetrySeconds, Http http, DemoFeed demoFeed) {

    public record Http(int connectTimeoutMs, int responseTimeoutMs) {}

    /** Default run only: the pretend mini-program backend pushing reports (MiniprogramDemoFeeder). */
    public record DemoFeed(long initialDelayMs, long minIntervalMs, long maxIntervalMs) {}
}
