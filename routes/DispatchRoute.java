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
 * queues, task updates, or the triage item) goes out: a first placement's in the hand-over's own JMS
 * transaction (route "to-queue-with-hand-over": one synced commit for the hand-over and all its
 * messages), a repeat's one by one (route "to-queue").
 * <p>
 * Transacted: a failure rolls the hand-over back onto the queue (with any messages sent in its
 * transaction), the broker redelivers it with back-off, and placement repeated finds the case placed
 * and re-sends the same messages on their own (the broker drops copies it has). A hand-over naming no
 * case goes to hub.dead.intake at once (ErrorHandling).
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
                .bean(dispatch, "place(${header.caseId})")
                .setProperty(QueueMessage.MARK_QUEUED_LATER, constant(true))
                .choice()
                    // a first placement: its messages commit with this hand-over's acknowledgement
                    .when(simple("${body.withHandOver}"))
                        .setBody(simple("${body.messages}"))
                        .split(body()).to(HubMessaging.TO_QUEUE_WITH_HAND_OVER).end()
                    .endChoice()
                    // a repeat: each on its own, a copy the broker has seen is simply dropped
                    .otherwise()
                        .setBody(simple("${body.messages}"))
                        .split(body()).to(HubMessaging.TO_QUEUE).end()
                .end()
                // every task sent: marked queued in one statement. A crash before it: the recovery
                // sends them again under the same duplicate ids (the broker drops copies). A crash
                // after it but before the hand-over's commit: the hand-over comes back, and its
                // repeat sends them again.
                .bean(dispatch, "markQueued(${body})");
    }
}
