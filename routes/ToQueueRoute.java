package appealhub.routes;

import appealhub.messaging.HubMessaging;
import appealhub.messaging.QueueMessage;
import appealhub.store.TaskStore;
import org.apache.camel.ExchangePattern;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.builder.PredicateBuilder;
import org.springframework.stereotype.Component;

/**
 * Every message the hub puts on a queue leaves here: hand-overs to hub.intake, tasks and task
 * updates to the dept.* / township.* queues, triage items, deadline notices (a QueueMessage each,
 * built by HubMessaging). Sent through component "hubjms", outside any consumer's transaction, each
 * with its duplicate id; a task's message, once the broker has it, marks the task queued (what the
 * recovery looks at), unless the sender marks its tasks together afterwards (route "dispatch").
 */
@Component
public class ToQueueRoute extends RouteBuilder {
    private final TaskStore tasks;

    public ToQueueRoute(TaskStore tasks) {
        this.tasks = tasks;
    }

    @Override
    public void configure() {
        from(HubMessaging.TO_QUEUE).routeId("to-queue")
                .setExchangePattern(ExchangePattern.InOnly) // fire and forget: no JMSReplyTo, no waiting
                .removeHeaders("*")                          // nothing of an incoming message leaks out
                .process(exchange -> exchange.getIn().getMandatoryBody(QueueMessage.class).writeTo(exchange))
                .toD("hubjms:queue:${exchangeProperty." + QueueMessage.QUEUE + "}")
                .filter(PredicateBuilder.and(
                        exchangeProperty(QueueMessage.QUEUED_TASK).isNotNull(),
                        exchangeProperty(QueueMessage.MARK_QUEUED_LATER).isNull()))
                    .bean(tasks, "markQueued(${exchangeProperty." + QueueMessage.QUEUED_TASK + "})")
                .end();
    }
}
