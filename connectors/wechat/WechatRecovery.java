package appealhub.connectors.wechat;

import appealhub.feedback.FeedbackPayload;
import appealhub.store.CaseStore;
import appealhub.store.FeedbackOutbox;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Takes in the pushes the hub stored and answered {@code success} but then failed on (database
 * or broker gone half way): a raw item with its nonce row still RECEIVED, or a text whose appeal
 * was committed but not its follower bookkeeping, received more than recovery.after-seconds ago
 * (WechatNonces#stuck). Each is processed as the push would have been; for a text, the follower,
 * who got no passive reply, is told the appeal id by a customer-service message (feedback kind
 * progress). Runs on the instance holding the lease {@value WechatFeedbackSink#LEADER_NAMESPACE}
 * (route wechat-recovery), which also purges the nonces past their window.
 */
@Component
public class WechatRecovery {
    private static final Logger log = LoggerFactory.getLogger(WechatRecovery.class);
    static final int BATCH = 100;

    /** What one pass did. */
    public record Pass(int recovered, int purged) {}

    private final WechatProperties props;
    private final WechatInbound inbound;
    private final WechatNonces nonces;
    private final CaseStore cases;
    private final FeedbackOutbox outbox;
    private final ObjectMapper json;
    private final Clock clock;

    public WechatRecovery(WechatProperties props, WechatInbound inbound, WechatNonces nonces, CaseStore cases,
                          FeedbackOutbox outbox, ObjectMapper json, Clock clock) {
        this.props = props;
        this.inbound = inbound;
        this.nonces = nonces;
        this.cases = cases;
        this.outbox = outbox;
        this.json = json;
        this.clock = clock;
    }

    public Pass recover() {
        Instant now = clock.instant();
        int recovered = 0;
        for (WechatNonces.Stuck s : nonces.stuck(now.minusSeconds(props.recovery().afterSeconds()), BATCH)) {
            WechatInbound.Reply reply;
            try {
                reply = inbound.process(s.rawItemId(), s.body(), null, s.openid(), now);
            } catch (RuntimeException e) {
                // Still failing (database or broker away): the rest waits for the next pass.
                log.warn("WeChat push (raw item {}) still not taken in ({}): next pass in a moment", s.rawItemId(),
                        e.getClass().getSimpleName());
                break;
            }
            if (reply.receiptAppealId() != null) {
                String caseId = cases.caseIdOfAppeal(reply.receiptAppealId());
                String msgId = cases.appeal(reply.receiptAppealId()).firstSource().sourceItemId();
                outbox.enqueue(caseId, WechatMapper.CHANNEL, msgId, "progress",
                        FeedbackPayload.of("progress", reply.receiptText(), null, now).toJson(json));
            }
            log.info("WeChat push (raw item {}) taken in by the recovery{}", s.rawItemId(),
                    reply.receiptAppealId() == null ? "" : ": appeal " + reply.receiptAppealId() + ", the follower is told by a customer-service message");
            recovered++;
        }
        int purged = nonces.purge(now);
        return new Pass(recovered, purged);
    }
}
