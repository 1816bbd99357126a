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

    public static FeedbackPayload fromJson(ObjectMapper json, String text) {
        try {
            return json.readValue(text, FeedbackPayload.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable feedback payload", e);
        }
    }
}
