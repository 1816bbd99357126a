package appealhub.support;

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
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/** A department system: a real JMS client over TCP to the hub's broker. */
public final class Department implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Connection connection;
    private final Session session;

    public Department(String brokerUrl) {
        try {
            connection = new ActiveMQConnectionFactory(brokerUrl).createConnection();
            connection.start();
            session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
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
        try (MessageConsumer consumer = session.createConsumer(session.createQueue(queue))) {
            return consumer.receive(timeoutMs);
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
            send("hub.task.replies", JSON.writeValueAsString(reply));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (JMSException ignored) {
            // closing anyway
        }
    }
}
