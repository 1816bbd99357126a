package appealhub.routes;

import appealhub.contract.Queues;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The dead-letter channel of ErrorHandling: the original message (body, and the caseId / taskId
 * properties consumers select on) on the queue its failure names, with the reason as hubDeadReason.
 * Sent on the consumer's own connection, inside its transaction: the message is kept and
 * acknowledged together. Operations see and replay these queues (/ops/dead-letters).
 */
@Component
public class DeadLetterRoute extends RouteBuilder {
    @Override
    public void configure() {
        from(ErrorHandling.DEAD_LETTER).routeId("dead-letter")
                .log(LoggingLevel.WARN, "${routeId}: message from ${fromRouteId} kept on ${exchangeProperty."
                        + ErrorHandling.DEAD_LETTER_QUEUE + "}: ${header." + Queues.DEAD_REASON + "}")
                .removeHeaders("*", "caseId", "taskId", Queues.DEAD_REASON)
                .toD("jms:queue:${exchangeProperty." + ErrorHandling.DEAD_LETTER_QUEUE + "}");
    }
}
