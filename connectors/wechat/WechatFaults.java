package appealhub.connectors.wechat;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

/**
 * The WeChat endpoint's answer when the hub itself fails while handling a push. WeChat shows the
 * follower "该公众号暂时无法提供服务" after three failed tries, so the push endpoint answers only
 * {@code success} or the passive reply:
 * <ul>
 * <li>once the push is stored (exchange property {@link WechatInbound#RAW_ITEM}): 200
 * {@code success}. The raw item stays RECEIVED and {@link WechatRecovery} takes it in later, and
 * tells the follower the appeal id by a customer-service message.</li>
 * <li>the single exception: the store failed before anything of the message was kept (database
 * down). Then nothing in the hub holds the message, and the only copy is WeChat's, which
 * "retries the same message (same MsgId) up to 3 times" when it gets no proper answer
 * (wechat.md): HTTP 500, plain text, so that it does. A message stored before such a failure is
 * recognised by MsgId when it comes again.</li>
 * </ul>
 * No header of the request is echoed.
 */
@Component
public class WechatFaults extends RouteConfigurationBuilder {
    /** The id the inbound route names with routeConfigurationId. */
    public static final String ID = "wechat-push-faults";

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(Exception.class).handled(true)
                .removeHeaders("*")
                .choice()
                    .when(exchangeProperty(WechatInbound.RAW_ITEM).isNotNull())
                        .log(LoggingLevel.ERROR, "WeChat push kept as raw item ${exchangeProperty." + WechatInbound.RAW_ITEM
                                + "} but not handled (${exception.class.simpleName}): answered success, "
                                + "the recovery takes it in")
                        .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(200))
                        .setHeader(Exchange.CONTENT_TYPE, constant(WechatInbound.TEXT_PLAIN))
                        .setBody(constant(WechatInbound.SUCCESS))
                    .otherwise()
                        .log(LoggingLevel.ERROR, "WeChat push not kept (${exception.class.simpleName}): "
                                + "answered 500 so that WeChat sends it again")
                        .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(500))
                        .setHeader(Exchange.CONTENT_TYPE, constant(WechatInbound.TEXT_PLAIN))
                        .setBody(constant("temporarily unavailable, please retry"))
                .end();
    }
}
