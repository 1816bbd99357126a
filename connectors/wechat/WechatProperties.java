package appealhub.connectors.wechat;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * hub.channels.wechat in config/application.yml; see connector.yaml for what each means.
 * With the channel on, a blank token refuses the start (in every profile): it is the only secret
 * in a push's signature (SHA-1 of token, timestamp and nonce), so with a blank one anyone could
 * sign a push.
 */
@ConfigurationProperties(prefix = "hub.channels.wechat")
public record WechatProperties(boolean enabled, String token, String account, String baseUrl, String appId,
                               String appSecret, int maxBodyBytes, long attachWindowSeconds,
                               long tokenRefreshMarginSeconds, long replayWindowSeconds, Recovery recovery,
                               Http http, Demo demo) {

    public WechatProperties {
        if (enabled && (token == null || token.isBlank())) {
            throw new IllegalArgumentException("hub.channels.wechat.token is blank: the WeChat channel cannot check"
                    + " push signatures without it. Set it (WECHAT_TOKEN in production), or switch the channel off"
                    + " with hub.channels.wechat.enabled=false.");
        }
    }

    public record Recovery(long afterSeconds, long intervalMs) {}

    public record Http(int connectTimeoutMs, int responseTimeoutMs) {}

    public record Demo(long intervalMs, long initialDelayMs) {}
}
