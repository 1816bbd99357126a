package appealhub.connectors.grid;

import appealhub.routes.ErrorHandling;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The grid channel's inbound side (connector.yaml): a transacted consumer of the grid app's
 * report queue. The message is acknowledged (the transaction commits) only after the report
 * is stored and taken in, or parked on the dead-letter queue with its reason.
 */
@Component
@ConditionalOnProperty(prefix = "hub.channels.grid", name = "enabled", havingValue = "true")
public class GridRoutes extends RouteBuilder {
    private final GridProperties props;
    private final GridInbound inbound;

    public GridRoutes(GridProperties props, GridInbound inbound) {
        this.props = props;
        this.inbound = inbound;
    }

    @Override
    public void configure() {
        from("jms:queue:" + props.inboundQueue() + "?transacted=true&concurrentConsumers=" + props.consumers())
                .routeId("grid-reports").routeConfigurationId(ErrorHandling.ID)
                .process(inbound::onReport);
    }
}
