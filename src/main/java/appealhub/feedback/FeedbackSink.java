package appealhub.feedback;

import java.time.Duration;

/**
 * Delivers feedback to one channel in that channel's protocol. One implementation per connector.
 * Kinds of {@link FeedbackPayload}: {@code ack} (受理, right after intake, for channels that want
 * it), {@code progress} (办理中), {@code result} (办结), {@code return} (退回 to the upstream).
 */
public interface FeedbackSink {

    String channel();

    /** True when the channel expects an acknowledgement (已受理) as soon as the hub has taken the item. */
    default boolean acknowledgesIntake() {
        return false;
    }

    Outcome deliver(String sourceItemId, FeedbackPayload payload);

    /** What became of one delivery attempt. */
    sealed interface Outcome {
        /** Taken by the channel (or it says it already has it). */
        record Delivered(String note) implements Outcome {}
        /** Try again later; retryAfter when the channel said when (e.g. 429 Retry-After). */
        record Retry(String error, Duration retryAfter) implements Outcome {}
        /** Refused for good: goes to operations, never retried on its own. */
        record Refused(String error) implements Outcome {}
    }
}
