package appealhub.connectors.wechat;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
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
        // WeChat re-sends a message it got no proper answer for within 5 s (same MsgId): a failure
        // of ours says so, and a message stored before the failure is recognised when it comes again.
        onException(Exception.class).handled(true)
                .log(LoggingLevel.ERROR, "WeChat inbound failed: ${exception.message}")
                .removeHeaders("*")
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(500))
                .setHeader(Exchange.CONTENT_TYPE, constant(WechatInbound.TEXT_PLAIN))
                .setBody(constant("temporarily unavailable, please retry"));

        from("platform-http:" + PATH + "?httpMethodRestrict=GET,POST")
                .routeId("wechat-inbound")
                .choice()
                    .when(header(Exchange.HTTP_METHOD).isEqualTo("GET"))
                        .process(inbound::onVerify)
                    .otherwise()
                        .process(inbound::onPush)
                .end();
    }
}
