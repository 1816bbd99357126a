package appealhub.support;

import appealhub.config.BrokerUsers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * The department and township systems: real JMS clients over TCP to the hub's broker, each
 * logged in as its own organisation's user (demo passwords of config/broker-users.properties).
 * A task queue (dept.D16.tasks, township.T03.tasks) is read as that organisation, a reply is
 * sent as the task's organisation; every other queue (the hub's own: intake, triage, dead
 * letters, and a raw send to the reply queue) as the hub's user, the way operations look at them.
 */
public final class Department implements AutoCloseable {
    public static final Path DEMO_USERS = Path.of("config/broker-users.properties");
    public static final String HUB_USER = "hub";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TASK_QUEUE = Pattern.compile("(?:dept|township)\\.([A-Z0-9]+)\\.tasks");
    private final String brokerUrl;
    private final BrokerUsers users = BrokerUsers.read(DEMO_USERS);
    private final Map<String, Connection> connections = new LinkedHashMap<>();
    private final Map<String, Session> sessions = new LinkedHashMap<>();

    public Department(String brokerUrl) {
        this.brokerUrl = brokerUrl;
        session(HUB_USER); // fail now if the broker is not there
    }

    /** The user a queue is used as: the organisation whose task queue it is, else the hub. */
    static String userFor(String queue) {
        Matcher m = TASK_QUEUE.matcher(queue);
        return m.matches() ? m.group(1) : HUB_USER;
    }

    private Session session(String user) {
        Session session = sessions.get(user);
        if (session != null) return session;
        try {
            Connection connection = new ActiveMQConnectionFactory(brokerUrl, user, users.clearPassword(user)).createConnection();
            connections.put(user, connection);
            connection.start();
            session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            sessions.put(user, session);
            return session;
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Next message on a queue as JSON, or null after the timeout. */
    public JsonNode receive(String queue, long timeoutMs) {
        Message m = receiveMessage(queue, timeoutMs);
        try {
            return m == null ? null : JSON.readTree(((TextMessage) m).getText());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public Message receiveMessage(String queue, long timeoutMs) {
        Session session = session(userFor(queue));
        try (MessageConsumer consumer = session.createConsumer(session.createQueue(queue))) {
            return consumer.receive(timeoutMs);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first message on a queue that passes a test, within 30 s (others on the way are taken off). */
    public Message awaitMessage(String queue, java.util.function.Predicate<Message> wanted) {
        long until = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < until) {
            Message m = receiveMessage(queue, 1_000);
            if (m != null && wanted.test(m)) return m;
        }
        throw new AssertionError("no such message on " + queue);
    }

    /** A message's text as JSON. */
    public static JsonNode json(Message m) {
        try {
            return JSON.readTree(((TextMessage) m).getText());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String property(Message m, String name) {
        try {
            return m.getStringProperty(name);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Everything on a queue now, taken off it. */
    public List<JsonNode> drain(String queue, long quietMs) {
        List<JsonNode> all = new ArrayList<>();
        JsonNode n;
        while ((n = receive(queue, quietMs)) != null) all.add(n);
        return all;
    }

    public int count(String queue) {
        Session session = session(userFor(queue));
        try {
            Queue q = session.createQueue(queue);
            try (QueueBrowser browser = session.createBrowser(q)) {
                return Collections.list(browser.getEnumeration()).size();
            }
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    public void send(String queue, String text) {
        send(queue, text, Map.of());
    }

    public void send(String queue, String text, Map<String, String> properties) {
        send(userFor(queue), queue, text, properties);
    }

    /** Sends as the given organisation's user (e.g. a malformed reply from D16). */
    public void sendAs(String user, String queue, String text) {
        send(user, queue, text, Map.of());
    }

    private void send(String user, String queue, String text, Map<String, String> properties) {
        Session session = session(user);
        try (var producer = session.createProducer(session.createQueue(queue))) {
            TextMessage message = session.createTextMessage(text);
            for (var p : properties.entrySet()) message.setStringProperty(p.getKey(), p.getValue());
            producer.send(message);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    public void reply(JsonNode task, String type, String text) {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("replyId", UUID.randomUUID().toString());
        reply.put("taskId", task.path("taskId").asText());
        reply.put("orgCode", task.path("orgCode").asText());
        reply.put("type", type);
        if ("return".equals(type)) reply.put("reason", text);
        else if (text != null) reply.put("text", text);
        reply.put("handler", "值班员");
        try {
            // as the queue contract asks: one task's replies in one message group
            send(task.path("orgCode").asText(), "hub.task.replies", JSON.writeValueAsString(reply),
                    Map.of("JMSXGroupID", task.path("taskId").asText()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (Connection connection : connections.values()) {
            try {
                connection.close();
            } catch (JMSException ignored) {
                // closing anyway
            }
        }
    }
}
