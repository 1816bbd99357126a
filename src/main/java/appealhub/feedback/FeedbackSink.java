package appealhub.feedback;

import java.time.Duration;
import java.util.Optional;

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

    /**
     * The lease (appealhub.cluster namespace) this channel's feedback route follows when its calls
     * must come from one hub instance at a time (one access token, one rate limit for all), shared
     * with the channel's other leader-only routes; empty (the default): the route runs on every
     * instance, each row claimed before its call.
     */
    default Optional<String> leaderNamespace() {
        return Optional.empty();
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
