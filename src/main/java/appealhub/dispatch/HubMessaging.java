package appealhub.dispatch;

import appealhub.config.Queues;
import java.util.Map;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;

/**
 * Every message the hub puts on a queue goes through here. Each carries a stable
 * duplicate-detection id, so a step repeated after a crash or redelivery sends nothing twice.
 * Called inside a transacted JMS consumer, the sends join that consumer's transaction.
 */
@Component
public class HubMessaging {
    private final JmsTemplate jms;

    public HubMessaging(JmsTemplate jms) {
        this.jms = jms;
    }

    /** Hands a stored case to the classification and dispatch step. */
    public void enqueueForPlacement(String caseId, int round) {
        enqueueForPlacement(caseId, round, "first");
    }

    /**
     * @param attempt part of the duplicate id: a recovery attempt must get through even if
     *                the first hand-over was sent and then lost (e.g. parked on a DLQ).
     */
    public void enqueueForPlacement(String caseId, int round, String attempt) {
        send(Queues.INTAKE, "{\"caseId\":\"" + caseId + "\",\"round\":" + round + "}",
                "intake-" + caseId + "-" + round + "-" + attempt, Map.of("caseId", caseId));
    }

    /**
     * @param priority JMS priority: 9 urgent, 7 hot issue, 4 normal; higher is read before the
     *                 queue's backlog
     */
    public void sendTask(String queue, String taskId, String json, int priority) {
        sendToDepartment(queue, taskId, json, priority, "task", taskId);
    }

    /** A change to a task already sent (e.g. another citizen reported the same problem). */
    public void sendTaskUpdate(TaskUpdate update) {
        sendToDepartment(update.queue(), update.duplicateId(), update.json(), update.priority(), "task-update",
                update.taskId());
    }

    private void sendToDepartment(String queue, String duplicateId, String json, int priority, String type, String taskId) {
        jms.execute(session -> {
            var message = session.createTextMessage(json);
            message.setStringProperty(Queues.DUPLICATE_ID, duplicateId);
            message.setStringProperty("hubMessageType", type);
            if (taskId != null) message.setStringProperty("taskId", taskId);
            try (var producer = session.createProducer(session.createQueue(queue))) {
                producer.setDeliveryMode(jakarta.jms.DeliveryMode.PERSISTENT);
                producer.send(message, jakarta.jms.DeliveryMode.PERSISTENT, priority, 0);
            }
            return null;
        }, true);
    }

    /**
     * A deadline notice (reminder on the department's queue, escalation, emergency alert),
     * typed by hubMessageType, with taskId and caseId as properties for consumers' selectors.
     */
    public void sendNotice(String queue, String type, String duplicateId, String json, String taskId, String caseId,
                           int priority) {
        jms.execute(session -> {
            var message = session.createTextMessage(json);
            message.setStringProperty(Queues.DUPLICATE_ID, duplicateId);
            message.setStringProperty(Queues.MESSAGE_TYPE, type);
            message.setStringProperty("taskId", taskId);
            message.setStringProperty("caseId", caseId);
            try (var producer = session.createProducer(session.createQueue(queue))) {
                producer.send(message, jakarta.jms.DeliveryMode.PERSISTENT, priority, 0);
            }
            return null;
        }, true);
    }

    public void sendTriage(String caseId, int round, String json) {
        send(Queues.TRIAGE, json, "triage-" + caseId + "-" + round, Map.of("caseId", caseId));
    }

    public void sendDeadReply(String body, String reason) {
        jms.send(Queues.DEAD_REPLIES, session -> {
            var message = session.createTextMessage(body);
            message.setStringProperty(Queues.DEAD_REASON, reason);
            return message;
        });
    }

    private void send(String queue, String body, String duplicateId, Map<String, String> properties) {
        jms.send(queue, session -> {
            var message = session.createTextMessage(body);
            message.setStringProperty(Queues.DUPLICATE_ID, duplicateId);
            for (var p : properties.entrySet()) message.setStringProperty(p.getKey(), p.getValue());
            return message;
        });
    }
}
