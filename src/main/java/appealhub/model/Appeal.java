package appealhub.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The one appeal model every channel's mapper produces (docs/flow.md, "The appeal model").
 * Classification results live on the case, not here: an appeal is what the citizen said.
 *
 * @param channelType     the channel's own type code (e.g. 12345 sqlx), kept as a hint
 * @param channelDeadline the channel's own deadline (e.g. 12345 blsx), if any
 * @param urgentHint      the channel said it is urgent (e.g. 12345 sfjj=1)
 * @param attachments     name → URL, as the channel gave them
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Appeal(
        String appealId,
        String caseId,
        List<Source> sources,
        Citizen citizen,
        String title,
        String content,
        Instant occurredAt,
        Instant receivedAt,
        Location location,
        String channelType,
        Instant channelDeadline,
        boolean urgentHint,
        List<Attachment> attachments,
        Map<String, String> channelFields) {

    public record Source(String channel, String sourceItemId, Instant receivedAt, Long rawItemId) {}

    /** Personal data: never logged, never in public replies. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Citizen(String name, String phone, boolean anonymous) {
        @Override
        public String toString() {
            return "Citizen[anonymous=" + anonymous + "]";
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Location(String address, String district, String townshipCode, String place,
                           Double lat, Double lon, String gridCode) {}

    public record Attachment(String name, String url) {}

    public Appeal withIds(String appealId, String caseId) {
        return new Appeal(appealId, caseId, sources, citizen, title, content, occurredAt, receivedAt,
                location, channelType, channelDeadline, urgentHint, attachments, channelFields);
    }

    public Source firstSource() {
        return sources == null || sources.isEmpty() ? null : sources.get(0);
    }

    @Override
    public String toString() {
        // Never print content or citizen: logs must not carry personal data.
        return "Appeal[" + appealId + ", case " + caseId + ", " + (sources == null ? "" : sources) + "]";
    }
}
