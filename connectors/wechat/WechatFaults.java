package appealhub.connectors.wechat;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

/**
 * The WeChat endpoint's answer when the hub itself fails (store or broker down): HTTP 500, plain
 * text, no header of the request echoed. Not "success": that would tell WeChat the message was
 * taken, and one the store never held would be lost. WeChat re-sends a message it got no proper
 * answer for (same MsgId), and a message stored before the failure is recognised then.
 */
@Component
public class WechatFaults extends RouteConfigurationBuilder {
    /** The id the inbound route names with routeConfigurationId. */
    public static final String ID = "wechat-push-faults";

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(Exception.class).handled(true)
                .log(LoggingLevel.ERROR, "WeChat inbound failed: ${exception.message}")
                .removeHeaders("*")
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(500))
                .setHeader(Exchange.CONTENT_TYPE, constant(WechatInbound.TEXT_PLAIN))
                .setBody(constant("temporarily unavailable, please retry"));
    }
}
