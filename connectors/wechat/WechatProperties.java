package appealhub.connectors.wechat;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** hub.channels.wechat in config/application.yml; see connector.yaml for what each means. */
@ConfigurationProperties(prefix = "hub.channels.wechat")
public record WechatProperties(boolean enabled, String token, String account, String baseUrl, String appId,
                               String appSecret, int maxBodyBytes, long attachWindowSeconds,
                               long tokenRefreshMarginSeconds, long replayWindowSeconds, Recovery recovery,
                               Http http, Demo demo) {

    public record Recovery(long afterSeconds, long intervalMs) {}

    public record Http(int connectTimeoutMs, int responseTimeoutMs) {}

    public record Demo(long intervalMs, long initialDelayMs) {}
}
