package appealhub.routes;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

/**
 * For the timers that poll an upstream (12345 pending orders, the leader board): a poll says what
 * it got from the upstream itself and never needs to throw; anything unexpected that still
 * escapes is logged and the next tick tries again, instead of Camel's stack trace per tick.
 */
@Component
public class PollFaults extends RouteConfigurationBuilder {
    /** The id a polling route names with routeConfigurationId. */
    public static final String ID = "log-and-poll-again";

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(Exception.class).handled(true)
                .log(LoggingLevel.ERROR, "${routeId} failed, next tick tries again: ${exception.message}");
    }
}
