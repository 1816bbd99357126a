package appealhub.connectors.miniprogram;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

/**
 * The mini-program push endpoint's answer when the hub itself fails (store or broker down):
 * HTTP 500 {"error":...}, never a 400, because the backend re-sends on anything but 200 or 400
 * (and a report stored before the failure is recognised when it comes again). The bearer key is
 * dropped first: never echoed.
 */
@Component
public class MiniprogramFaults extends RouteConfigurationBuilder {
    /** The id the push route names with routeConfigurationId. */
    public static final String ID = "miniprogram-push-faults";

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(Exception.class).handled(true)
                .log(LoggingLevel.ERROR, "mini-program inbound failed: ${exception.message}")
                .removeHeader("Authorization")
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(500))
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json;charset=UTF-8"))
                .setBody(constant("{\"error\":\"temporarily unavailable, please retry\"}"));
    }
}
