package appealhub.feedback;

import java.time.Duration;

/** Delivers feedback to one channel in that channel's protocol. One implementation per connector. */
public interface FeedbackSink {

    String channel();

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
