package appealhub.routes;

import appealhub.contract.Queues;
import appealhub.dispatch.DispatchService;
import appealhub.messaging.HubMessaging;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Flow steps 4–5, classify and dispatch: a stored case comes off hub.intake, is placed,
 * and its tasks go onto department / township queues (or the case onto hub.triage).
 * Transacted: a failure rolls the message back onto the queue; the broker retries with
 * back-off and parks it on DLQ.hub.intake after the last attempt. A database that cannot be
 * reached is waited for (InfrastructureFaults); a hand-over naming no case is parked at once
 * on hub.dead.intake with its reason.
 */
@Component
public class DispatchRoute extends RouteBuilder {
    private final DispatchService dispatch;
    private final HubMessaging messaging;
    private final int consumers;

    public DispatchRoute(DispatchService dispatch, HubMessaging messaging,
                         @Value("${hub.dispatch.consumers}") int consumers) {
        this.dispatch = dispatch;
        this.messaging = messaging;
        this.consumers = consumers;
    }

    @Override
    public void configure() {
        from("jms:queue:" + Queues.INTAKE + "?transacted=true&concurrentConsumers=" + consumers)
                .routeId("dispatch").routeConfigurationId(InfrastructureFaults.ID)
                .onException(DispatchService.UnknownCase.class).handled(true)
                    .log(LoggingLevel.ERROR, "hand-over parked on " + Queues.DEAD_INTAKE + ": ${exception.message}")
                    .process(e -> messaging.sendDeadHandover(e.getIn().getBody(String.class),
                            e.getProperty(org.apache.camel.Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage()))
                .end()
                .process(exchange -> dispatch.place(exchange.getIn().getHeader("caseId", String.class)));
    }
}
