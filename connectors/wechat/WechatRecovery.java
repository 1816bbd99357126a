package appealhub.connectors.wechat;

import appealhub.feedback.FeedbackPayload;
import appealhub.store.CaseStore;
import appealhub.store.FeedbackOutbox;
import appealhub.store.RawItemStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Takes in the pushes the hub stored and answered {@code success} but then failed on (database
 * or broker gone half way): a raw item marked as checked (signature, replay) still RECEIVED, or a text whose appeal
 * was committed but not its follower bookkeeping, received more than recovery.after-seconds ago
 * (WechatCheckedPushes#stuck). Each is processed as the push would have been; for a text, the follower,
 * who got no passive reply, is told the appeal id by a customer-service message (feedback kind
 * progress). A push that fails {@value #MAX_ATTEMPTS} times is marked INVALID with the reason, for
 * operations, so that it does not hold up the others. Runs on the instance holding the lease {@value WechatFeedbackSink#LEADER_NAMESPACE}
 * (route wechat-recovery), which also drops the marks of finished pushes (the nonces themselves
 * are purged by NonceStore).
 */
@Component
public class WechatRecovery {
    private static final Logger log = LoggerFactory.getLogger(WechatRecovery.class);
    static final int BATCH = 100;
    static final int MAX_ATTEMPTS = 10;
    private static final String ATTEMPT = "recovery attempt ";

    /** What one pass did. */
    public record Pass(int recovered, int purged) {}

    private final WechatProperties props;
    private final WechatInbound inbound;
    private final WechatCheckedPushes checked;
    private final RawItemStore raw;
    private final CaseStore cases;
    private final FeedbackOutbox outbox;
    private final ObjectMapper json;
    private final Clock clock;

    public WechatRecovery(WechatProperties props, WechatInbound inbound, WechatCheckedPushes checked, RawItemStore raw,
                          CaseStore cases, FeedbackOutbox outbox, ObjectMapper json, Clock clock) {
        this.raw = raw;
        this.props = props;
        this.inbound = inbound;
        this.checked = checked;
        this.cases = cases;
        this.outbox = outbox;
        this.json = json;
        this.clock = clock;
    }

    private static int attemptsOf(String note) {
        if (note == null || !note.startsWith(ATTEMPT)) return 0;
        try {
            return Integer.parseInt(note.substring(ATTEMPT.length(), note.indexOf(' ', ATTEMPT.length())));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    public Pass recover() {
        Instant now = clock.instant();
        int recovered = 0;
        Instant before = now.minusSeconds(props.recovery().afterSeconds());
        for (WechatCheckedPushes.Stuck s : checked.stuck(before, BATCH)) {
            WechatInbound.Reply reply;
            try {
                reply = inbound.process(s.rawItemId(), s.body(), null, s.openid(), now);
            } catch (RuntimeException e) {
                // Counted on the raw item, so that one push that always fails does not hold up the rest for ever:
                // after MAX_ATTEMPTS it is INVALID, for operations. (With the database away the count cannot be
                // written either: then the pass ends and the next one tries again.)
                int attempts = attemptsOf(s.note()) + 1;
                String cause = e.getClass().getSimpleName();
                try {
                    if (attempts >= MAX_ATTEMPTS) {
                        raw.mark(s.rawItemId(), RawItemStore.Status.INVALID, null, null,
                                "not taken in after " + attempts + " attempts of the recovery (" + cause + "): see the logs");
                        log.error("WeChat push (raw item {}) not taken in after {} attempts ({}): INVALID, for operations",
                                s.rawItemId(), attempts, cause);
                    } else {
                        raw.mark(s.rawItemId(), RawItemStore.Status.valueOf(s.status()), null, null,
                                ATTEMPT + attempts + " failed (" + cause + ")");
                        log.warn("WeChat push (raw item {}) not taken in yet, attempt {} ({}): next pass in a moment",
                                s.rawItemId(), attempts, cause);
                    }
                } catch (RuntimeException storeAway) {
                    log.warn("WeChat recovery stopped for this pass: the store is away ({})", storeAway.getClass().getSimpleName());
                    break;
                }
                continue;
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
        int purged = checked.purgeFinished(before);
        return new Pass(recovered, purged);
    }
}
