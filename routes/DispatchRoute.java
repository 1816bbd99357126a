package appealhub.routes;

import appealhub.contract.Queues;
import appealhub.dispatch.DispatchService;
import appealhub.messaging.HubMessaging;
import appealhub.messaging.QueueMessage;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Flow steps 3–5, merge, classify and dispatch: every hand-over on hub.intake (from intake, a
 * department's return, a re-opened case, an operator's triage decision, the recovery) comes here,
 * the one way into placement. The case is merged into an open one, or classified and placed, in one
 * transaction (DispatchService.place); then each message decided (tasks to their dept.* / township.*
 * queues, task updates, or the triage item) goes out by route "to-queue".
 * <p>
 * Transacted: a failure rolls the hand-over back onto the queue, the broker redelivers it with
 * back-off, and placement repeated finds the case placed and re-sends the same messages (the broker
 * drops copies). A hand-over naming no case goes to hub.dead.intake at once (ErrorHandling).
 */
@Component
public class DispatchRoute extends RouteBuilder {
    private final DispatchService dispatch;

    public DispatchRoute(DispatchService dispatch) {
        this.dispatch = dispatch;
    }

    @Override
    public void configure() {
        from("jms:queue:" + Queues.INTAKE + "?transacted=true&disableReplyTo=true"
                + "&concurrentConsumers={{hub.dispatch.consumers}}")
                .routeId("dispatch").routeConfigurationId(ErrorHandling.ID)
                // the hand-over's message id names the sender of the tasks it is given (send claims)
                .bean(dispatch, "place(${header.caseId}, ${header.JMSMessageID})")
                .setProperty(QueueMessage.MARK_QUEUED_LATER, constant(true))
                .split(body())
                    .to(HubMessaging.TO_QUEUE)
                .end()
                // every task sent: marked queued in one statement (a crash before it: the recovery
                // sends them again under the same duplicate ids, and the broker drops the copies)
                .bean(dispatch, "markQueued(${body})");
    }
}
