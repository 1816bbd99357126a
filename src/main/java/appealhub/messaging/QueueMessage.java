package appealhub.messaging;

import appealhub.contract.Queues;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * One message the hub puts on a queue, decided by a flow step and sent by route "to-queue"
 * (routes/ToQueueRoute). Its duplicate id is stable, so a step repeated after a crash or a
 * redelivery sends nothing twice: the broker drops the copy.
 *
 * @param queue        the queue (hub.intake, a dept.* / township.* task queue, hub.triage, …)
 * @param body         the JSON text
 * @param duplicateId  Artemis duplicate detection id
 * @param priority     JMS priority: 9 urgent, 7 hot issue, 4 normal
 * @param properties   JMS string properties for consumers' selectors (hubMessageType, taskId, caseId)
 * @param queuedTaskId the task whose message this is: marked queued once the broker took it (null otherwise)
 */
public record QueueMessage(String queue, String body, String duplicateId, int priority, Map<String, String> properties,
                           String queuedTaskId) {
    /** Exchange property naming the destination queue (read by the route's toD, never sent as a JMS property). */
    public static final String QUEUE = "hubQueue";
    /** Exchange property naming the task to mark queued after the send. */
    public static final String QUEUED_TASK = "hubQueuedTask";
    /**
     * Set (true) on an exchange whose messages' tasks are marked queued together after the last
     * send (route "dispatch": one commit per placement instead of one per task).
     */
    public static final String MARK_QUEUED_LATER = "hubMarkQueuedLater";

    public static final int NORMAL_PRIORITY = 4;

    public QueueMessage {
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    /** Puts this message on the exchange for the JMS producer: body, properties, priority, persistence, duplicate id. */
    public void writeTo(Exchange exchange) {
        var in = exchange.getIn();
        in.setBody(body);
        Map<String, Object> headers = new LinkedHashMap<>(properties);
        headers.put(Queues.DUPLICATE_ID, duplicateId);
        headers.put("JMSPriority", priority);
        headers.put("JMSDeliveryMode", jakarta.jms.DeliveryMode.PERSISTENT);
        in.setHeaders(headers);
        exchange.setProperty(QUEUE, queue);
        if (queuedTaskId != null) exchange.setProperty(QUEUED_TASK, queuedTaskId);
    }
}
