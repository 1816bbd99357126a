package appealhub.ops;

import appealhub.organization.OrganizationRegistry;
import appealhub.config.BrokerConfig;
import appealhub.contract.ParkingQueue;
import appealhub.contract.ParkingQueues;
import appealhub.contract.Queues;
import appealhub.store.CaseStore;
import appealhub.store.TaskStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jms.JmsException;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;

/**
 * Every queue where messages are parked for operations, and what operations do with them:
 * look, fix the body, and replay it onto the queue it came from.
 * <ul>
 *   <li>hub.dead.replies: department replies the hub refused (reason in hubDeadReason) → hub.task.replies;</li>
 *   <li>a channel's own (contributed as a ParkingQueues bean), e.g. hub.dead.grid: grid reports the channel could not take in → the grid's inbound queue;</li>
 *   <li>DLA::DLQ.&lt;queue&gt;: messages the broker gave up redelivering from one of the hub's queues → that queue.</li>
 * </ul>
 * Bodies are shown with phone and ID numbers masked; an edited body gets them back before it is sent.
 * A replay is one JMS transaction (off the parking queue, onto the target): never on both, never lost.
 */
@Component
public class DeadLetters {
    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    private static final Pattern MESSAGE_ID = Pattern.compile("ID:[A-Za-z0-9:._-]{1,120}");
    public static final String REPLAY_OF = "hubReplayOf";
    public static final String REPLAYED_BY = "hubReplayedBy";

    /** A parking queue, the queue its messages go back to, and what it holds (for people). */

    /** One parked message as operations see it (body masked). */
    public record Parked(String queue, String messageId, long timestamp, String reason, String caseId,
                         Map<String, Object> properties, String body) {}

    /** What a replay did. */
    public record Replayed(String queue, String messageId, String target, String newMessageId, boolean edited,
                           String caseId) {}

    /** The message is not valid for its queue (400). */
    public static class BadBody extends IllegalArgumentException {
        public BadBody(String message) {
            super(message);
        }
    }

    private final JmsTemplate jms;
    private final ConnectionFactory connectionFactory;
    private final ObjectMapper json;
    private final CaseStore cases;
    private final TaskStore tasks;
    private final List<ParkingQueue> queues;
    private final ObjectProvider<EmbeddedActiveMQ> embeddedBroker;

    public DeadLetters(JmsTemplate jms, ConnectionFactory connectionFactory, ObjectMapper json, CaseStore cases,
                       TaskStore tasks, OrganizationRegistry registry, ObjectProvider<EmbeddedActiveMQ> embeddedBroker,
                       List<ParkingQueues> channels) {
        this.jms = jms;
        this.connectionFactory = connectionFactory;
        this.json = json;
        this.cases = cases;
        this.tasks = tasks;
        this.embeddedBroker = embeddedBroker;
        List<ParkingQueue> q = new ArrayList<>();
        q.add(new ParkingQueue(Queues.DEAD_REPLIES, Queues.REPLIES, "部门回复被拒（任务不存在、格式错误、无权回复或发送者未经验证）"));
        q.add(new ParkingQueue(Queues.DEAD_INTAKE, Queues.INTAKE, "分拨交接无对应案件"));
        for (ParkingQueues channel : channels) q.addAll(channel.parkingQueues());
        q.add(dlq(Queues.INTAKE, "受理分拨队列：多次重试失败"));
        q.add(dlq(Queues.REPLIES, "部门回复队列：多次重试失败"));
        q.add(dlq(Queues.TRIAGE, "人工分拨队列：多次重试失败"));
        q.add(dlq(Queues.SUPERVISION, "督办队列：多次投递失败"));
        q.add(dlq(Queues.DUTY_LEADER, "值班领导预警队列：多次投递失败"));
        for (String taskQueue : registry.taskQueues()) {
            String code = taskQueue.split("\\.")[1];
            q.add(dlq(taskQueue, "任务队列 " + registry.orgName(code) + "：多次投递失败"));
        }
        this.queues = List.copyOf(q);
    }

    private static ParkingQueue dlq(String queue, String label) {
        return new ParkingQueue(BrokerConfig.deadLetterQueue(queue), queue, label);
    }

    public List<ParkingQueue> queues() {
        return queues;
    }

    public Optional<ParkingQueue> queue(String name) {
        return queues.stream().filter(q -> q.name().equals(name)).findFirst();
    }

    /**
     * How many messages each parking queue holds now: asked of the embedded broker directly, or
     * browsed over JMS when the broker is external (queues it does not have count 0).
     */
    public Map<String, Integer> counts() {
        EmbeddedActiveMQ embedded = embeddedBroker.getIfAvailable();
        ActiveMQServer server = embedded == null ? null : embedded.getActiveMQServer();
        Map<String, Integer> out = new LinkedHashMap<>();
        for (ParkingQueue q : queues) {
            if (server != null && server.isActive()) {
                String name = q.name().contains("::") ? q.name().substring(q.name().indexOf("::") + 2) : q.name();
                org.apache.activemq.artemis.core.server.Queue queue = server.locateQueue(name);
                out.put(q.name(), queue == null ? 0 : (int) queue.getMessageCount());
                continue;
            }
            try {
                out.put(q.name(), jms.browse(q.name(), (session, browser) -> Collections.list(browser.getEnumeration()).size()));
            } catch (JmsException noSuchQueue) {
                out.put(q.name(), 0);
            }
        }
        return out;
    }

    /** The messages parked on a queue now, oldest first. */
    public List<Parked> list(ParkingQueue queue) {
        try {
            return jms.browse(queue.name(), (session, browser) -> {
                List<Parked> items = new ArrayList<>();
                for (Object o : Collections.list(browser.getEnumeration())) items.add(view(queue, (Message) o));
                return items;
            });
        } catch (JmsException noSuchQueue) {
            return List.of();
        }
    }

    public Optional<Parked> find(ParkingQueue queue, String messageId) {
        if (!validId(messageId)) return Optional.empty();
        return list(queue).stream().filter(p -> p.messageId().equals(messageId)).findFirst();
    }

    /**
     * Takes the message off its parking queue and sends it (or the operator's corrected body) to
     * its target queue, with its application properties and priority; records the replay in the
     * case file of the case it belongs to, when there is one.
     *
     * @param editedBody the body as the operator edited it (masked numbers left in place are restored), or null
     * @return empty if no such message is parked there (any more)
     */
    public Optional<Replayed> replay(ParkingQueue queue, String messageId, String editedBody, String operator) {
        if (!validId(messageId)) return Optional.empty();
        // A connection of our own, not the cached one: a consumer with a one-off selector must not be pooled.
        ConnectionFactory cf = connectionFactory instanceof CachingConnectionFactory c && c.getTargetConnectionFactory() != null
                ? c.getTargetConnectionFactory() : connectionFactory;
        Replayed done;
        try (Connection connection = cf.createConnection()) {
            connection.start();
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            try (MessageConsumer consumer = session.createConsumer(session.createQueue(queue.name()),
                    "JMSMessageID = '" + messageId + "'");
                 MessageProducer producer = session.createProducer(session.createQueue(queue.target()))) {
                Message dead = consumer.receive(2000);
                if (dead == null) {
                    session.rollback();
                    return Optional.empty();
                }
                String original = dead instanceof TextMessage t ? t.getText() : null;
                String body;
                boolean edited = editedBody != null && !editedBody.equals(MaskedEdits.shown(original));
                try {
                    body = edited ? checked(MaskedEdits.restore(original, editedBody)) : original;
                } catch (IllegalArgumentException e) {
                    session.rollback();
                    throw e instanceof BadBody b ? b : new BadBody(e.getMessage());
                }
                if (body == null) {
                    session.rollback();
                    throw new BadBody("message " + messageId + " has no text body: send a corrected one");
                }
                TextMessage replay = session.createTextMessage(body);
                copyProperties(dead, replay);
                replay.setStringProperty(REPLAY_OF, messageId);
                replay.setStringProperty(REPLAYED_BY, operator);
                producer.send(replay, DeliveryMode.PERSISTENT, dead.getJMSPriority(), 0);
                session.commit();
                done = new Replayed(queue.name(), messageId, queue.target(), replay.getJMSMessageID(), edited,
                        caseIdOf(dead, body));
            }
        } catch (JMSException e) {
            throw new IllegalStateException("replay of " + messageId + " from " + queue.name() + " failed: " + e.getMessage(), e);
        }
        record(done, operator);
        return Optional.of(done);
    }

    /** The replay in the case file, with the operator's name (sent already: a failure here only loses the note). */
    private void record(Replayed r, String operator) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("queue", r.queue());
        detail.put("messageId", r.messageId());
        detail.put("target", r.target());
        detail.put("edited", r.edited());
        detail.put("newMessageId", r.newMessageId());
        if (r.caseId() != null && cases.findCase(r.caseId()) != null) {
            try {
                cases.addEvent(r.caseId(), "dead-letter-replayed", operator, detail);
            } catch (RuntimeException e) {
                log.error("dead letter {} replayed by {} but not noted in case {}: {}", r.messageId(), operator, r.caseId(), e.getMessage());
            }
        }
        log.info("dead letter {} on {} replayed{} onto {} by operator {}{}", r.messageId(), r.queue(),
                r.edited() ? " (edited)" : "", r.target(), operator, r.caseId() == null ? " (no case)" : " (case " + r.caseId() + ")");
    }

    private String checked(String body) {
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) throw new BadBody("the corrected message must be a JSON object");
        } catch (BadBody e) {
            throw e;
        } catch (Exception e) {
            throw new BadBody("the corrected message is not valid JSON: " + e.getMessage());
        }
        return body;
    }

    /** Application properties go along (taskId, caseId, eventId, ...); the broker's own and the old reason do not. */
    private static void copyProperties(Message from, Message to) throws JMSException {
        for (Object o : Collections.list(from.getPropertyNames())) {
            String name = (String) o;
            if (name.startsWith("_AMQ") || name.startsWith("__AMQ") || name.startsWith("JMS") || name.equals(Queues.DEAD_REASON)
                    || name.equals(REPLAY_OF) || name.equals(REPLAYED_BY)) continue;
            to.setObjectProperty(name, from.getObjectProperty(name));
        }
    }

    private Parked view(ParkingQueue queue, Message m) throws JMSException {
        String body = m instanceof TextMessage t ? t.getText() : null;
        Map<String, Object> props = new LinkedHashMap<>();
        for (Object o : Collections.list(m.getPropertyNames())) {
            String name = (String) o;
            if (name.startsWith("__AMQ")) continue;
            Object value = m.getObjectProperty(name);
            props.put(name, value instanceof String s ? appealhub.model.Pii.maskInText(s) : String.valueOf(value));
        }
        return new Parked(queue.name(), m.getJMSMessageID(), m.getJMSTimestamp(), m.getStringProperty(Queues.DEAD_REASON),
                caseIdOf(m, body), props, MaskedEdits.shown(body));
    }

    /** The case a parked message belongs to: its caseId, or the case of the task it names. */
    String caseIdOf(Message m, String body) {
        try {
            String caseId = m.getStringProperty("caseId");
            String taskId = m.getStringProperty("taskId");
            if (caseId == null && body != null) {
                JsonNode node = json.readTree(body);
                if (node != null && node.isObject()) {
                    caseId = text(node.get("caseId"));
                    if (caseId == null) caseId = text(node.path("appeal").get("caseId"));
                    if (taskId == null) taskId = text(node.get("taskId"));
                }
            }
            if (caseId == null && taskId != null) {
                TaskStore.TaskRecord t = tasks.find(taskId);
                if (t != null) caseId = t.caseId();
            }
            return caseId;
        } catch (Exception notJson) {
            return null;
        }
    }

    private static String text(JsonNode n) {
        return n == null || !n.isTextual() || n.asText().isBlank() ? null : n.asText();
    }

    private static boolean validId(String messageId) {
        return messageId != null && MESSAGE_ID.matcher(messageId).matches();
    }
}
