package appealhub.connectors.wechat;

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

    public WechatRoutes(WechatInbound inbound) {
        this.inbound = inbound;
    }

    @Override
    public void configure() {
        // WeChat re-sends a message it got no proper answer for (same MsgId): a failure of ours
        // answers 500, and a message stored before the failure is recognised then (WechatFaults).
        from("platform-http:" + PATH + "?httpMethodRestrict=GET,POST")
                .routeId("wechat-inbound").routeConfigurationId(WechatFaults.ID)
                .choice()
                    .when(header(Exchange.HTTP_METHOD).isEqualTo("GET"))
                        .process(inbound::onVerify)
                    .otherwise()
                        .process(inbound::onPush)
                .end();
    }
}
