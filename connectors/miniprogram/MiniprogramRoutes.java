package appealhub.connectors.miniprogram;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/** The mini-program channel's inbound side (connector.yaml): the push endpoint for reports. */
@Component
@ConditionalOnProperty(prefix = "hub.channels.miniprogram", name = "enabled", havingValue = "true")
public class MiniprogramRoutes extends RouteBuilder {
    public static final String PUSH_PATH = "/api/miniprogram/reports";

    private final MiniprogramInbound inbound;

    public MiniprogramRoutes(MiniprogramInbound inbound) {
        this.inbound = inbound;
    }

    @Override
    public void configure() {
        // The backend re-sends on anything but 200 or 400: a failure of ours must not be a 400
        // (and a report stored before the failure is recognised when it comes again).
        onException(Exception.class).handled(true)
                .log(LoggingLevel.ERROR, "mini-program inbound failed: ${exception.message}")
                .removeHeader("Authorization")
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(500))
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json;charset=UTF-8"))
                .setBody(constant("{\"error\":\"temporarily unavailable, please retry\"}"));

        from("platform-http:" + PUSH_PATH + "?httpMethodRestrict=POST")
                .routeId("miniprogram-push")
                .process(inbound::onReport);
    }
}
