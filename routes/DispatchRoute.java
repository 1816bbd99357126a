package appealhub.routes;

import appealhub.config.Queues;
import appealhub.dispatch.DispatchService;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Flow steps 4–5, classify and dispatch: a stored case comes off hub.intake, is placed,
 * and its tasks go onto department / township queues (or the case onto hub.triage).
 * Transacted: a failure rolls the message back onto the queue; the broker retries with
 * back-off and parks it on DLQ.hub.intake after the last attempt.
 */
@Component
public class DispatchRoute extends RouteBuilder {
    private final DispatchService dispatch;
    private final int consumers;

    public DispatchRoute(DispatchService dispatch, @Value("${hub.dispatch.consumers}") int consumers) {
        this.dispatch = dispatch;
        this.consumers = consumers;
    }

    @Override
    public void configure() {
        from("jms:queue:" + Queues.INTAKE + "?transacted=true&concurrentConsumers=" + consumers)
                .routeId("dispatch").routeConfigurationId(InfrastructureFaults.ID)
                .process(exchange -> dispatch.place(exchange.getIn().getHeader("caseId", String.class)));
    }
}
