package appealhub.contract;

/**
 * A message no retry can help (malformed, naming nothing this hub knows, not the sender's to send):
 * the route's error handling (routes/ErrorHandling) keeps the original message on
 * {@link #deadLetterQueue()} with the reason as property hubDeadReason, for operations, and
 * acknowledges it at once, instead of letting the broker redeliver it in vain.
 */
public abstract class Unprocessable extends RuntimeException {
    protected Unprocessable(String reason) {
        super(reason);
    }

    /** Where the message is kept (hub.dead.replies, hub.dead.intake, …). */
    public abstract String deadLetterQueue();
}
