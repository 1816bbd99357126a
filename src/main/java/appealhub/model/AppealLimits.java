package appealhub.model;

import java.util.Optional;

/**
 * The store's column limits (src/main/resources/db/migration) that the fields of a normalized
 * {@link Appeal} end up in, checked up front by every channel (through
 * {@code appealhub.intake.IntakeGuard}) so a too-long value is refused with a reason naming the
 * field, instead of failing the INSERT (an HTTP 500 for a push, a redelivery loop for JMS).
 * Keep these in step with the migrations they mirror.
 *
 * <p>What is not checked here is stored whole, because its column is unbounded: the content
 * (and the whole model: citizen name and phone, attachments, channel fields) is kept as JSON in
 * {@code appeal.model_json text}; the case file's details in {@code case_event.detail text}.
 */
public final class AppealLimits {
    /** {@code raw_item.source_item_id}, {@code appeal_source.source_item_id}, {@code feedback_outbox.source_item_id} (V1__store.sql). */
    public static final int SOURCE_ITEM_ID = 128;
    /** {@code raw_item.channel}, {@code appeal_source.channel}, {@code feedback_outbox.channel} (V1__store.sql). */
    public static final int CHANNEL = 32;
    /** {@code appeal.title} (V1__store.sql). */
    public static final int TITLE = 512;
    /** {@code merge_index.place} (V7__merge_index.sql): the location's place, else its address, becomes it. */
    public static final int PLACE = 256;
    /** {@code hub_case.township_code} (V1__store.sql), {@code merge_index.township_code} (V7__merge_index.sql). */
    public static final int TOWNSHIP_CODE = 16;
    /** {@code raw_item.content_type} (V1__store.sql): stored truncated, the raw body is what matters. */
    public static final int CONTENT_TYPE = 128;
    /** {@code raw_item.parse_error} (V1__store.sql): stored truncated. */
    public static final int PARSE_ERROR = 2000;

    /** One field longer than its column; {@code field} is the appeal model's name for it. */
    public record Violation(String field, int limit, int length) {
        /** E.g. "title longer than 512 characters". */
        public String message() {
            return message(field);
        }

        /** The same, naming the field as the channel calls it. */
        public String message(String label) {
            return label + " longer than " + limit + " characters (" + length + ")";
        }
    }

    private AppealLimits() {}

    /**
     * The first field of the appeal too long for its column, if any. Lengths are counted in
     * UTF-16 chars, never fewer than the characters PostgreSQL and H2 count, so what passes fits.
     */
    public static Optional<Violation> check(Appeal a) {
        Appeal.Source source = a.firstSource();
        if (source != null) {
            Optional<Violation> v = over("channel", source.channel(), CHANNEL)
                    .or(() -> over("sourceItemId", source.sourceItemId(), SOURCE_ITEM_ID));
            if (v.isPresent()) return v;
        }
        Optional<Violation> v = over("title", a.title(), TITLE);
        if (v.isPresent() || a.location() == null) return v;
        Appeal.Location loc = a.location();
        return over("address", loc.address(), PLACE)
                .or(() -> over("place", loc.place(), PLACE))
                .or(() -> over("townshipCode", loc.townshipCode(), TOWNSHIP_CODE));
    }

    /** {@code s} cut to {@code max} chars (null stays null), for columns where a cut value is acceptable. */
    public static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private static Optional<Violation> over(String field, String value, int limit) {
        return value != null && value.length() > limit ? Optional.of(new Violation(field, limit, value.length())) : Optional.empty();
    }
}
