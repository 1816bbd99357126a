package appealhub.connectors.hotline12345;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** hub.channels.hotline12345 in config/application.yml; see connector.yaml for what each means. */
@ConfigurationProperties(prefix = "hub.channels.hotline12345")
public record Hotline12345Properties(boolean enabled, String baseUrl, String appKey, String appSecret,
                                     long pushWindowSeconds, Pull pull, Http http) {

    public record Pull(boolean enabled, long intervalMs, long initialDelayMs, int pageSize) {}

    public record Http(int connectTimeoutMs, int responseTimeoutMs) {}
}
