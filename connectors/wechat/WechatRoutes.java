package appealhub.connectors.wechat;

import appealhub.cluster.LeaderOnlyRoutes;
import appealhub.push.PushEndpoint;
import appealhub.push.PushEndpoint.Answer;
import appealhub.routes.PollFaults;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

/**
 * The WeChat channel's inbound side (connector.yaml): one endpoint, as configured in the
 * official account's server settings. GET is the server verification, POST a message push.
 */
@Component
@ConditionalOnProperty(prefix = "hub.channels.wechat", name = "enabled", havingValue = "true")
public class WechatRoutes extends RouteBuilder {
    public static final String PATH = "/api/wechat";

    /**
     * WeChat is never answered an error (after three failed tries it tells the follower the account
     * cannot serve): a refusal answers plain "success", and the item is kept (metadata and prefix)
     * and handled inside the hub. The guard caps size and rate, per follower (openid), and keeps a
     * form or a file upload away from Camel's binding.
     */
    @Bean
    PushEndpoint wechatMessagePush() {
        return new PushEndpoint(PATH, "wechat", "message", List.of("text/xml", "application/xml", "text/plain"),
                (refusal, message) -> new Answer(200, "text/plain;charset=UTF-8", "success".getBytes(StandardCharsets.UTF_8)),
                "openid");
    }

    private final WechatInbound inbound;
    private final WechatRecovery recovery;

    public WechatRoutes(WechatInbound inbound, WechatRecovery recovery) {
        this.inbound = inbound;
        this.recovery = recovery;
    }

    @Override
    public void configure() {
        // Answered success or the passive reply; a failure of ours after the push is stored answers success too
        // (the recovery below takes it in), and 500 only when nothing could be stored (WechatFaults).
        from("platform-http:" + PATH + "?httpMethodRestrict=GET,POST&useStreaming=true")
                .routeId("wechat-inbound").routeConfigurationId(WechatFaults.ID)
                .choice()
                    .when(header(Exchange.HTTP_METHOD).isEqualTo("GET"))
                        .process(inbound::onVerify)
                    .otherwise()
                        .process(inbound::onPush)
                .end();

        // Pushes stored but not taken in (the hub failed half way), and the nonces past their window.
        from("timer:wechat-recovery?delay={{hub.channels.wechat.recovery.interval-ms}}"
                + "&period={{hub.channels.wechat.recovery.interval-ms}}")
                .routeId("wechat-recovery").routeConfigurationId(PollFaults.ID)
                .routeProperty(LeaderOnlyRoutes.PROPERTY, WechatFeedbackSink.LEADER_NAMESPACE)
                .process(exchange -> recovery.recover());
    }
}
