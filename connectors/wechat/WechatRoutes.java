package appealhub.connectors.wechat;

import appealhub.cluster.LeaderOnlyRoutes;
import appealhub.routes.PollFaults;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The WeChat channel's inbound side (connector.yaml): one endpoint, as configured in the
 * official account's server settings. GET is the server verification, POST a message push.
 */
@Component
@ConditionalOnProperty(prefix = "hub.channels.wechat", name = "enabled", havingValue = "true")
public class WechatRoutes extends RouteBuilder {
    public static final String PATH = "/api/wechat";

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
