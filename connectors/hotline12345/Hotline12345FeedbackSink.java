package appealhub.connectors.hotline12345;

import appealhub.feedback.FeedbackPayload;
import appealhub.feedback.FeedbackSink;
import appealhub.model.Ids;
import appealhub.model.Pii;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Feedback to 12345: progress (办理中) and result (办结) by reply, return (退回) by return.
 * 0 and 40901 (already replied) are done; 429 waits as long as Retry-After says; 5xx,
 * time-outs and an open circuit are tried again later by the dispatcher.
 */
@Component
public class Hotline12345FeedbackSink implements FeedbackSink {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(Ids.BEIJING);

    private final Hotline12345Client client;

    public Hotline12345FeedbackSink(Hotline12345Client client) {
        this.client = client;
    }

    @Override
    public String channel() {
        return Hotline12345Mapper.CHANNEL;
    }

    @Override
    public Outcome deliver(String gdbh, FeedbackPayload payload) {
        Hotline12345Client.Response r;
        try {
            if ("return".equals(payload.kind())) {
                r = client.call("POST", "/api/v1/workorders/" + gdbh + "/return", Map.of("thyy", payload.text()));
            } else {
                r = client.call("POST", "/api/v1/workorders/" + gdbh + "/reply", Map.of(
                        "blzt", "result".equals(payload.kind()) ? "办结" : "办理中",
                        // The platform reads this to the citizen: no phone or ID numbers in it.
                        "bljg", Pii.maskInText(payload.text()),
                        "blbm", payload.orgName() == null ? "" : payload.orgName(),
                        "blsj", TIME.format(payload.at())));
            }
        } catch (Hotline12345Client.Unavailable e) {
            return new Outcome.Retry(e.getMessage(), null);
        }
        if (r.status() == 429) {
            return new Outcome.Retry("12345 rate limit (429)", Duration.ofSeconds(r.retryAfterSeconds() == null ? 60 : r.retryAfterSeconds()));
        }
        if (r.status() == 200 && r.code() == 0) return new Outcome.Delivered("accepted");
        if (r.code() == 40901) return new Outcome.Delivered("already replied (40901)");
        if (r.status() == 401) return new Outcome.Retry("12345 refused our credentials: HTTP 401 code " + r.code(), null);
        // Any other answer (a 4xx with its own code) will not change by itself: operations look at it.
        return new Outcome.Refused("12345 answered HTTP " + r.status() + " code " + r.code()
                + (r.body() != null && r.body().has("msg") ? " " + r.body().get("msg").asText() : ""));
    }
}
