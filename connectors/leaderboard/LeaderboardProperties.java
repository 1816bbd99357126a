package appealhub.connectors.leaderboard;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** hub.channels.leaderboard in config/application.yml; see connector.yaml for what each means. */
@ConfigurationProperties(prefix = "hub.channels.leaderboard")
public record LeaderboardProperties(boolean enabled, String baseUrl, String appId, String secret, Pull pull,
                                    int maxRequestsPerSecond, long defaultRetryAfterSeconds, String defaultReplyOrg,
                                    Http http) {

    public record Pull(boolean enabled, long intervalMs, long initialDelayMs, int limit, int maxPages) {}

    public record Http(int connectTimeoutMs, int responseTimeoutMs) {}
}
