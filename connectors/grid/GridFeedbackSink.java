package appealhub.connectors.grid;

import appealhub.organization.OrganizationRegistry;
import appealhub.contract.Queues;
import appealhub.feedback.FeedbackPayload;
import appealhub.feedback.FeedbackSink;
import appealhub.model.Ids;
import appealhub.model.Pii;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.jms.JmsException;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;

/**
 * Feedback to the grid app: one JSON message per step on outbound.grid.feedback. The hub
 * acknowledges intake (已受理) at once; progress is 办理中, a result 已办结, a return 退回.
 * Handing the message to the broker is the delivery; a broker failure is retried later.
 */
@Component
public class GridFeedbackSink implements FeedbackSink {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(Ids.BEIJING);

    private final GridProperties props;
    private final JmsTemplate jms;
    private final ObjectMapper json;
    private final Clock clock;
    private final String hubName;

    public GridFeedbackSink(GridProperties props, JmsTemplate jms, ObjectMapper json, Clock clock,
                            OrganizationRegistry registry) {
        this.props = props;
        this.jms = jms;
        this.json = json;
        this.clock = clock;
        this.hubName = (registry.district() == null ? "" : registry.district().name()) + "综治中心";
    }

    @Override
    public String channel() {
        return GridReportMapper.CHANNEL;
    }

    @Override
    public boolean acknowledgesIntake() {
        return true;
    }

    @Override
    public Outcome deliver(String eventId, FeedbackPayload payload) {
        String status = switch (payload.kind() == null ? "" : payload.kind()) {
            case "ack" -> "已受理";
            case "progress" -> "办理中";
            case "result" -> "已办结";
            case "return" -> "退回";
            default -> null;
        };
        if (status == null) return new Outcome.Refused("the grid app has no status for feedback kind " + payload.kind());
        Instant at = payload.at() == null ? clock.instant() : payload.at();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventId", eventId);
        body.put("status", status);
        // Shown in the grid app: no phone or ID numbers.
        body.put("result", payload.text() == null ? "" : Pii.maskInText(payload.text()));
        body.put("department", payload.orgName() == null || payload.orgName().isBlank() ? hubName : payload.orgName());
        body.put("time", TIME.format(at));
        String text;
        try {
            text = json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // The same feedback sent again (delivered, then not marked done) is dropped by the broker.
        String duplicateId = "grid-feedback-" + eventId + "-" + payload.kind() + "-" + at.toEpochMilli() + "-"
                + Integer.toHexString(Objects.hash(payload.text(), payload.orgName()));
        try {
            jms.send(props.feedbackQueue(), session -> {
                var message = session.createTextMessage(text);
                message.setStringProperty("eventId", eventId);
                message.setStringProperty("status", status);
                message.setStringProperty(Queues.DUPLICATE_ID, duplicateId);
                return message;
            });
        } catch (JmsException e) {
            return new Outcome.Retry("grid feedback queue " + props.feedbackQueue() + " unavailable: " + e.getMessage(), null);
        }
        return new Outcome.Delivered("sent to " + props.feedbackQueue() + " (" + status + ")");
    }
}
