package appealhub.messaging;

import appealhub.contract.Queues;
import jakarta.jms.ConnectionFactory;
import java.util.Map;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.jms.connection.SingleConnectionFactory;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;

/**
 * Every message the hub puts on a queue goes through here. Each carries a stable
 * duplicate-detection id, so a step repeated after a crash or redelivery sends nothing twice.
 * <p>
 * Those sends never join the transaction of the JMS consumer they are made from: Artemis rolls
 * back a whole transaction that carries a duplicate id it has seen, so placement repeated for a
 * case already placed (a hand-over handed over again by the recovery, a redelivery after a broker
 * restart) would fail on every delivery and park a good hand-over on DLQ.hub.intake. Sent on
 * their own, a repeat is simply dropped by the broker, which is what the ids are for. (Found by
 * reliability/BrokerRestartTest: 45 hand-overs dead-lettered after a broker restart.) Only the
 * dead-reply notice, which has no id, stays in the consumer's transaction.
 */
@Component
public class HubMessaging {
    private final JmsTemplate jms;
    /** Same broker and login, its own connection: no consumer's transaction is bound to it. */
    private final JmsTemplate ownTransaction;

    public HubMessaging(JmsTemplate jms) {
        this.jms = jms;
        this.ownTransaction = new JmsTemplate(separate(jms.getConnectionFactory()));
        this.ownTransaction.setSessionTransacted(false);
    }

    @jakarta.annotation.PreDestroy
    void close() {
        if (ownTransaction.getConnectionFactory() instanceof SingleConnectionFactory own) own.destroy();
    }

    private static ConnectionFactory separate(ConnectionFactory shared) {
        ConnectionFactory target = shared instanceof SingleConnectionFactory s && s.getTargetConnectionFactory() != null
                ? s.getTargetConnectionFactory() : shared;
        CachingConnectionFactory own = new CachingConnectionFactory(target);
        own.setSessionCacheSize(10);
        own.setReconnectOnException(true); // a broker restarted: the next send connects again
        return own;
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
        ownTransaction.execute(session -> {
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
        ownTransaction.execute(session -> {
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
        park(Queues.DEAD_REPLIES, body, reason);
    }

    /** A hand-over to placement that cannot be placed (it names no case): kept for operations at once. */
    public void sendDeadHandover(String body, String reason) {
        park(Queues.DEAD_INTAKE, body, reason);
    }

    private void park(String queue, String body, String reason) {
        jms.send(queue, session -> {
            var message = session.createTextMessage(body);
            message.setStringProperty(Queues.DEAD_REASON, reason);
            return message;
        });
    }

    private void send(String queue, String body, String duplicateId, Map<String, String> properties) {
        ownTransaction.send(queue, session -> {
            var message = session.createTextMessage(body);
            message.setStringProperty(Queues.DUPLICATE_ID, duplicateId);
            for (var p : properties.entrySet()) message.setStringProperty(p.getKey(), p.getValue());
            return message;
        });
    }
}
