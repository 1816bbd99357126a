package appealhub.feedback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;

/**
 * What the hub owes a source, channel-neutral; each channel's sink turns it into its protocol.
 *
 * @param kind   progress | result | return
 * @param text   progress note, result text, or reason for a return
 * @param orgName the handling organisation's name
 */
public record FeedbackPayload(String kind, String text, String orgName, Instant at) {

    public static FeedbackPayload of(String kind, String text, String orgName, Instant at) {
        return new FeedbackPayload(kind, text, orgName, at);
    }

    public String toJson(ObjectMapper json) {
        try {
            return json.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @throws Unreadable when the stored text is not a payload the sinks can deliver (not JSON, or without
     *                    its kind or time): no retry can help such a row
     */
    public static FeedbackPayload fromJson(ObjectMapper json, String text) {
        FeedbackPayload p;
        try {
            p = json.readValue(text, FeedbackPayload.class);
        } catch (JsonProcessingException e) {
            throw new Unreadable("not a feedback payload (" + e.getOriginalMessage() + ")");
        }
        if (p == null || p.kind() == null || p.at() == null) {
            throw new Unreadable("a feedback payload without " + (p == null || p.kind() == null ? "its kind" : "its time"));
        }
        return p;
    }

    /** A stored payload that cannot be delivered as it is: refused for operations, never retried. */
    public static class Unreadable extends IllegalStateException {
        public Unreadable(String message) {
            super(message);
        }
    }
}
