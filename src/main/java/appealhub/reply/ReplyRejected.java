package appealhub.reply;

/** A reply the hub will not apply; it goes to the dead-letter queue with this reason. */
public class ReplyRejected extends RuntimeException {
    public ReplyRejected(String reason) {
        super(reason);
    }
}
