package appealhub.grid;

import appealhub.config.BrokerUsers;
import appealhub.support.Department;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * The grid app's backend: a real JMS client over TCP, logged in as the grid user, that publishes
 * reports and reads the hub's feedback. (What is on the hub's dead-letter queue it cannot see:
 * deadReasons looks as operations do, as the hub's user.)
 */
final class GridApp implements AutoCloseable {
    static final String REPORTS = "inbound.grid.reports";
    static final String FEEDBACK = "outbound.grid.feedback";
    static final String DEAD = "hub.dead.grid";
    static final ObjectMapper JSON = new ObjectMapper();
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Connection connection;
    private final Session session;
    private final Connection operations;
    private final Session operationsSession;

    GridApp(String brokerUrl) {
        BrokerUsers users = BrokerUsers.read(Department.DEMO_USERS);
        try {
            connection = new ActiveMQConnectionFactory(brokerUrl, "grid", users.clearPassword("grid")).createConnection();
            connection.start();
            session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            operations = new ActiveMQConnectionFactory(brokerUrl, Department.HUB_USER, users.clearPassword(Department.HUB_USER))
                    .createConnection();
            operations.start();
            operationsSession = operations.createSession(false, Session.AUTO_ACKNOWLEDGE);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid report; change fields with {@code with}. */
    static Map<String, Object> report(String eventId, String gridCode, String eventType, String description, int severity) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("eventId", eventId);
        r.put("gridCode", gridCode);
        r.put("reporterId", "W0317");
        r.put("reporterName", "王某");
        r.put("eventType", eventType);
        r.put("description", description);
        r.put("reportedAt", ZonedDateTime.now(java.time.ZoneId.of("Asia/Shanghai")).minusMinutes(5).format(TIME));
        r.put("lat", 37.52);
        r.put("lon", 115.49);
        r.put("severity", severity);
        return r;
    }

    static Map<String, Object> with(Map<String, Object> report, String field, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(report);
        if (value == null) copy.remove(field);
        else copy.put(field, value);
        return copy;
    }

    static String json(Map<String, Object> report) {
        try {
            return JSON.writeValueAsString(report);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void publish(Map<String, Object> report) {
        publish(json(report));
    }

    void publish(String text) {
        try (var producer = session.createProducer(session.createQueue(REPORTS))) {
            producer.send(session.createTextMessage(text));
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next feedback message for one report, or null after the timeout. */
    JsonNode feedback(String eventId, long timeoutMs) {
        String text = feedbackText(eventId, timeoutMs);
        try {
            return text == null ? null : JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next feedback message for one report as sent, or null after the timeout. */
    String feedbackText(String eventId, long timeoutMs) {
        try (MessageConsumer consumer = session.createConsumer(session.createQueue(FEEDBACK), "eventId = '" + eventId + "'")) {
            Message m = consumer.receive(timeoutMs);
            return m == null ? null : ((TextMessage) m).getText();
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JMS string properties eventId → hubDeadReason of what is on the dead-letter queue now (left there). */
    Map<String, String> deadReasons() {
        Map<String, String> out = new LinkedHashMap<>();
        try (var browser = operationsSession.createBrowser(operationsSession.createQueue(DEAD))) {
            var e = browser.getEnumeration();
            while (e.hasMoreElements()) {
                Message m = (Message) e.nextElement();
                out.put(String.valueOf(m.getStringProperty("eventId")), m.getStringProperty("hubDeadReason"));
            }
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    @Override
    public void close() {
        for (Connection c : new Connection[] {connection, operations}) {
            try {
                c.close();
            } catch (JMSException ignored) {
                // closing anyway
            }
        }
    }
}
