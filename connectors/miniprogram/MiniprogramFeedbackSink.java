package appealhub.connectors.miniprogram;

import appealhub.feedback.FeedbackPayload;
import appealhub.feedback.FeedbackSink;
import appealhub.model.Ids;
import appealhub.model.Pii;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Feedback to the mini-program as status callbacks: ack → ACCEPTED (right after intake),
 * progress → PROCESSING, result → RESOLVED, return → REJECTED; the message is shown to the
 * citizen, so phone and ID numbers are masked. 200 {"ok": true} is delivered, 200 {"ok": false}
 * is refused for operations, a 200 without a readable ok flag is retried; 409 (status already
 * recorded) is done too; 503 (nightly maintenance 02:00–02:30) waits Retry-After or
 * maintenance-retry-seconds; other 5xx, time-outs and an open circuit are retried with the
 * dispatcher's back-off; 429 waits Retry-After; any other 4xx is refused for operations.
 */
@Component
public class MiniprogramFeedbackSink implements FeedbackSink {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(Ids.BEIJING);

    private final MiniprogramClient client;
    private final MiniprogramProperties props;

    public MiniprogramFeedbackSink(MiniprogramClient client, MiniprogramProperties props) {
        this.client = client;
        this.props = props;
    }

    @Override
    public String channel() {
        return MiniprogramMapper.CHANNEL;
    }

    @Override
    public boolean acknowledgesIntake() {
        return true;
    }

    @Override
    public Outcome deliver(String reportId, FeedbackPayload payload) {
        String status = status(payload.kind());
        if (status == null) return new Outcome.Refused("no mini-program status for feedback kind " + payload.kind());
        if (props.callbackKey() == null || props.callbackKey().isBlank()) {
            return new Outcome.Retry("hub.channels.miniprogram.callback-key is not set", null);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reportId", reportId);
        body.put("status", status);
        body.put("message", message(status, payload));
        body.put("updatedAt", TIME.format(payload.at() == null ? Instant.now() : payload.at()));

        MiniprogramClient.Response r;
        try {
            r = client.postStatus(body);
        } catch (MiniprogramClient.Unavailable e) {
            if (e.status() == 503) {
                long wait = e.retryAfterSeconds() != null ? e.retryAfterSeconds() : props.maintenanceRetrySeconds();
                return new Outcome.Retry("mini-program unavailable (503, maintenance)", Duration.ofSeconds(wait));
            }
            return new Outcome.Retry(e.getMessage(), null);
        }
        if (r.status() >= 200 && r.status() < 300) {
            // The spec's success is 200 {"ok": true}: the flag is read, not only the status.
            Boolean ok = r.ok();
            if (Boolean.TRUE.equals(ok)) return new Outcome.Delivered(status + " recorded");
            if (Boolean.FALSE.equals(ok)) {
                // The backend said no in so many words: that will not change by itself, operations look at it.
                return new Outcome.Refused("mini-program answered HTTP " + r.status() + " {\"ok\": false} to " + status
                        + (r.error() == null ? "" : ": " + r.error()));
            }
            // No readable flag (empty body, not JSON, no "ok"): not known to be recorded, tried again later.
            return new Outcome.Retry("mini-program answered HTTP " + r.status() + " without the ok flag to " + status, null);
        }
        if (r.status() == 409) return new Outcome.Delivered(status + " already recorded (409)");
        if (r.status() == 429) {
            return new Outcome.Retry("mini-program rate limit (429)",
                    Duration.ofSeconds(r.retryAfterSeconds() == null ? 60 : r.retryAfterSeconds()));
        }
        // A 4xx will not change by itself (bad key, unknown report, bad body): operations look at it.
        return new Outcome.Refused("mini-program answered HTTP " + r.status() + " to " + status
                + (r.error() == null ? "" : ": " + r.error()));
    }

    static String status(String kind) {
        if (kind == null) return null;
        return switch (kind) {
            case "ack" -> "ACCEPTED";
            case "progress" -> "PROCESSING";
            case "result" -> "RESOLVED";
            case "return" -> "REJECTED";
            default -> null;
        };
    }

    private static String message(String status, FeedbackPayload payload) {
        String text = payload.text();
        if (text == null || text.isBlank()) {
            text = switch (status) {
                case "ACCEPTED" -> "您的诉求已受理。";
                case "PROCESSING" -> payload.orgName() == null ? "您的诉求正在办理中。" : "您的诉求正在由" + payload.orgName() + "办理。";
                case "RESOLVED" -> "您的诉求已办结。";
                default -> "您的诉求已退回。";
            };
        }
        // Shown to the citizen in the mini-program: no phone or ID numbers.
        return Pii.maskInText(text);
    }
}
