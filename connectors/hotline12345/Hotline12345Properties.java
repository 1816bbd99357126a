package appealhub.connectors.hotline12345;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * hub.channels.hotline12345 in config/application.yml; see connector.yaml for what each means.
 * With the channel on, a blank app-secret refuses the start (in every profile): it is the key of
 * the push signatures, and a blank key would let anyone sign an order.
 */
@ConfigurationProperties(prefix = "hub.channels.hotline12345")
public record Hotline12345Properties(boolean enabled, String baseUrl, String appKey, String appSecret,
                                     long pushWindowSeconds, Pull pull, Http http) {

    public Hotline12345Properties {
        if (enabled && (appSecret == null || appSecret.isBlank())) {
            throw new IllegalArgumentException("hub.channels.hotline12345.app-secret is blank: the 12345 channel cannot"
                    + " check push signatures without it. Set it (HOTLINE12345_APP_SECRET in production), or switch the"
                    + " channel off with hub.channels.hotline12345.enabled=false.");
        }
    }

    public record Pull(boolean enabled, long intervalMs, long initialDelayMs, int pageSize) {}

    public record Http(int connectTimeoutMs, int responseTimeoutMs) {}
}
