package appealhub.messaging;

import appealhub.contract.Queues;
import java.util.Map;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

/**
 * Builds the messages the hub puts on queues, and hands them to route "to-queue", the one place
 * they are sent from (routes/ToQueueRoute). Each carries a stable duplicate-detection id, so a step
 * repeated after a crash or redelivery sends nothing twice.
 * <p>
 * Those sends never join the transaction of a JMS consumer they are made from (the route sends
 * through component "hubjms", a connection of its own): Artemis rolls back a whole transaction that
 * carries a duplicate id it has seen, so placement repeated for a case already placed would fail on
 * every delivery and park a good hand-over on DLQ.hub.intake. Sent on their own, a repeat is simply
 * dropped by the broker, which is what the ids are for. (Found by reliability/BrokerRestartTest: 45
 * hand-overs dead-lettered after a broker restart.)
 * <p>
 * Tried again for first placements only (issue 16: one synced commit instead of a synced send per
 * task) and taken back: BrokerRestartTest then found tasks twice on their queues. A second hand-over
 * of the same case (the recovery's, after the broker came back) found the case placed and re-sent its
 * task on its own while the first placement's transaction was still open; the broker checks a
 * transaction's duplicate ids when they are sent, so both copies got through at the commit.
 */
@Component
public class HubMessaging {
    /** The route every hub message goes out through. */
    public static final String TO_QUEUE = "direct:to-queue";

    private final ProducerTemplate producer;

    public HubMessaging(ProducerTemplate producer) {
        this.producer = producer;
    }

    /** The hand-over of a stored case to classification and dispatch (the one way into placement). */
    public static QueueMessage handOver(String caseId, int round, String attempt) {
        return new QueueMessage(Queues.INTAKE, "{\"caseId\":\"" + caseId + "\",\"round\":" + round + "}",
                "intake-" + caseId + "-" + round + "-" + attempt, QueueMessage.NORMAL_PRIORITY,
                Map.of("caseId", caseId), null);
    }

    /** A task for its department or township (appealhub.task/1), under the task id as duplicate id. */
    public static QueueMessage task(String queue, String taskId, String json, int priority) {
        return new QueueMessage(queue, json, taskId, priority, Map.of(Queues.MESSAGE_TYPE, "task", "taskId", taskId),
                taskId);
    }

    public static QueueMessage taskUpdate(TaskUpdate u) {
        return new QueueMessage(u.queue(), u.json(), u.duplicateId(), u.priority(),
                Map.of(Queues.MESSAGE_TYPE, "task-update", "taskId", u.taskId()), null);
    }

    public static QueueMessage triage(String caseId, int round, String json) {
        return new QueueMessage(Queues.TRIAGE, json, "triage-" + caseId + "-" + round, QueueMessage.NORMAL_PRIORITY,
                Map.of("caseId", caseId), null);
    }

    /**
     * A deadline notice (reminder on the department's queue, escalation, emergency alert), typed by
     * hubMessageType, with taskId and caseId as properties for consumers' selectors.
     */
    public static QueueMessage notice(String queue, String type, String duplicateId, String json, String taskId,
                                      String caseId, int priority) {
        return new QueueMessage(queue, json, duplicateId, priority,
                Map.of(Queues.MESSAGE_TYPE, type, "taskId", taskId, "caseId", caseId), null);
    }

    public void send(QueueMessage message) {
        try {
            producer.sendBody(TO_QUEUE, message);
        } catch (CamelExecutionException e) {
            // the caller sees the broker's failure itself (e.g. Spring's JmsException while it is away)
            if (e.getCause() instanceof RuntimeException cause) throw cause;
            throw e;
        }
    }

    public void enqueueForPlacement(String caseId, int round) {
        send(handOver(caseId, round, "first"));
    }

    /**
     * @param attempt part of the duplicate id: a recovery attempt must get through even if
     *                the first hand-over was sent and then lost (e.g. parked on a DLQ).
     */
    public void enqueueForPlacement(String caseId, int round, String attempt) {
        send(handOver(caseId, round, attempt));
    }

    public void sendTask(String queue, String taskId, String json, int priority) {
        send(task(queue, taskId, json, priority));
    }

    public void sendTaskUpdate(TaskUpdate update) {
        send(taskUpdate(update));
    }

    public void sendNotice(String queue, String type, String duplicateId, String json, String taskId, String caseId,
                           int priority) {
        send(notice(queue, type, duplicateId, json, taskId, caseId, priority));
    }
}
