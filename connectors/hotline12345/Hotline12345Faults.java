package appealhub.connectors.hotline12345;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

/**
 * The 12345 push endpoints' answer when the hub itself fails (store or broker down): HTTP 500 in
 * the platform's own shape, {"code":50000,...}. The platform re-sends on anything but a proper
 * answer, and an order stored before the failure is recognised when it comes again.
 */
@Component
public class Hotline12345Faults extends RouteConfigurationBuilder {
    /** The id the push routes name with routeConfigurationId. */
    public static final String ID = "hotline12345-push-faults";

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(Exception.class).handled(true)
                .log(LoggingLevel.ERROR, "12345 inbound failed: ${exception.message}")
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(500))
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json;charset=UTF-8"))
                .setBody(constant("{\"code\":50000,\"msg\":\"temporarily unavailable, please retry\"}"));
    }
}
