package appealhub.reply;

import appealhub.contract.Queues;
import appealhub.contract.Unprocessable;

/** A reply the hub will not apply; it goes to hub.dead.replies with this reason. */
public class ReplyRejected extends Unprocessable {
    public ReplyRejected(String reason) {
        super(reason);
    }

    @Override
    public String deadLetterQueue() {
        return Queues.DEAD_REPLIES;
    }
}
