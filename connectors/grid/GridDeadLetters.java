package appealhub.connectors.grid;

import appealhub.contract.Queues;
import appealhub.model.Pii;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
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
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;

/**
 * The grid channel's dead-letter queue (hub.dead.grid): reports the hub could not take in,
 * each with its reason in the string property hubDeadReason, kept for operations to look
 * at, fix and replay onto the inbound queue.
 */
@Component
public class GridDeadLetters {
    public static final String EVENT_ID = "eventId";
    public static final String RAW_ITEM_ID = "hubRawItemId";
    public static final String REPLAY_OF = "hubReplayOf";
    private static final Pattern MESSAGE_ID = Pattern.compile("ID:[A-Za-z0-9:._-]{1,120}");

    /** One dead letter as operations see it. */
    public record DeadLetter(String messageId, long timestamp, String reason, String eventId, Long rawItemId, String body) {}

    private final GridProperties props;
    private final JmsTemplate jms;
    private final ConnectionFactory connectionFactory;

    public GridDeadLetters(GridProperties props, JmsTemplate jms, ConnectionFactory connectionFactory) {
        this.props = props;
        this.jms = jms;
        this.connectionFactory = connectionFactory;
    }

    /**
     * Parks a report. Called inside the transacted inbound consumer, the send joins its
     * transaction: the report leaves the inbound queue exactly when it is on this one.
     */
    public void park(String body, String reason, String eventId, long rawItemId) {
        jms.send(props.deadLetterQueue(), session -> {
            TextMessage message = session.createTextMessage(body);
            message.setStringProperty(Queues.DEAD_REASON, reason);
            if (eventId != null) message.setStringProperty(EVENT_ID, eventId);
            message.setLongProperty(RAW_ITEM_ID, rawItemId);
            return message;
        });
    }

    /** Everything parked now, oldest first; phone and ID numbers in bodies masked. */
    public List<DeadLetter> list() {
        return jms.browse(props.deadLetterQueue(), (session, browser) -> {
            List<DeadLetter> items = new ArrayList<>();
            for (Object o : Collections.list(browser.getEnumeration())) {
                Message m = (Message) o;
                items.add(new DeadLetter(m.getJMSMessageID(), m.getJMSTimestamp(), m.getStringProperty(Queues.DEAD_REASON),
                        m.getStringProperty(EVENT_ID), m.propertyExists(RAW_ITEM_ID) ? m.getLongProperty(RAW_ITEM_ID) : null,
                        m instanceof TextMessage t ? Pii.maskInText(t.getText()) : null));
            }
            return items;
        });
    }

    /**
     * Takes one dead letter off the queue and puts it (or its corrected body) back on the
     * inbound queue, in one JMS transaction: it is never on both queues, nor lost.
     *
     * @return the id of the message sent to the inbound queue, or empty if no such dead letter
     */
    public Optional<String> replay(String messageId, String correctedBody) {
        if (messageId == null || !MESSAGE_ID.matcher(messageId).matches()) return Optional.empty();
        // A connection of our own, not the cached one: a consumer with a one-off selector must not be pooled.
        ConnectionFactory cf = connectionFactory instanceof CachingConnectionFactory c && c.getTargetConnectionFactory() != null
                ? c.getTargetConnectionFactory() : connectionFactory;
        try (Connection connection = cf.createConnection()) {
            connection.start();
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            try (MessageConsumer consumer = session.createConsumer(session.createQueue(props.deadLetterQueue()),
                    "JMSMessageID = '" + messageId + "'");
                 MessageProducer producer = session.createProducer(session.createQueue(props.inboundQueue()))) {
                Message dead = consumer.receive(2000);
                if (dead == null) {
                    session.rollback();
                    return Optional.empty();
                }
                String body = correctedBody != null ? correctedBody
                        : dead instanceof TextMessage t ? t.getText() : null;
                if (body == null) {
                    session.rollback();
                    throw new IllegalStateException("dead letter " + messageId + " has no text body: send a corrected one");
                }
                TextMessage replay = session.createTextMessage(body);
                replay.setStringProperty(REPLAY_OF, messageId);
                producer.send(replay);
                session.commit();
                return Optional.of(replay.getJMSMessageID());
            }
        } catch (JMSException e) {
            throw new IllegalStateException("replay of " + messageId + " failed: " + e.getMessage(), e);
        }
    }

    static Map<String, Object> view(DeadLetter d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("messageId", d.messageId());
        m.put("timestamp", d.timestamp());
        m.put("reason", d.reason());
        m.put("eventId", d.eventId());
        m.put("rawItemId", d.rawItemId());
        m.put("body", d.body());
        return m;
    }
}
