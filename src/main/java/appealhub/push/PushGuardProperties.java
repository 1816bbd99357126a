package appealhub.push;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hub.push}: what the channels' push endpoints ({@code /api/**}) take, enforced by
 * {@link PushGuardFilter} before a body is read or stored.
 *
 * @param maxBodyBytes       the largest body a push may have (413 beyond it), unless the channel has its own
 * @param channelMaxBodyBytes a channel's own limit, by channel name (hotline12345, miniprogram, wechat)
 * @param rateLimit          requests per source (remote address; a WeChat follower's openid)
 */
@ConfigurationProperties(prefix = "hub.push")
public record PushGuardProperties(@DefaultValue("1048576") long maxBodyBytes,
                                  Map<String, Long> channelMaxBodyBytes,
                                  @DefaultValue RateLimit rateLimit) {

    public PushGuardProperties {
        channelMaxBodyBytes = channelMaxBodyBytes == null ? Map.of() : Map.copyOf(channelMaxBodyBytes);
        if (maxBodyBytes <= 0) throw new IllegalArgumentException("hub.push.max-body-bytes must be positive");
    }

    /** The limit for one channel's pushes. */
    public long maxBodyBytes(String channel) {
        Long own = channelMaxBodyBytes.get(channel);
        return own != null && own > 0 ? own : maxBodyBytes;
    }

    /**
     * A token bucket per source: {@code per-second} requests on average, bursts of up to {@code burst}.
     *
     * @param enabled    off: no limit
     * @param perSecond  the sustained rate one source may push at
     * @param burst      how many requests one source may send at once after a quiet spell
     * @param maxSources how many sources are tracked at once (idle ones are forgotten first)
     */
    public record RateLimit(@DefaultValue("true") boolean enabled, @DefaultValue("20") double perSecond,
                            @DefaultValue("100") int burst, @DefaultValue("10000") int maxSources) {
        public RateLimit {
            if (enabled && (perSecond <= 0 || burst < 1)) {
                throw new IllegalArgumentException("hub.push.rate-limit: per-second and burst must be positive");
            }
        }
    }
}
