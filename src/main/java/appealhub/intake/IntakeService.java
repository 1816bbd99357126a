package appealhub.intake;

import appealhub.model.CaseStatus;
import appealhub.messaging.HubMessaging;
import appealhub.feedback.FeedbackPayload;
import appealhub.feedback.FeedbackSink;
import appealhub.store.FeedbackOutbox;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import appealhub.model.Appeal;
import appealhub.model.Ids;
import appealhub.store.CaseStore;
import appealhub.store.RawItemStore;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Takes a normalized appeal (its raw item already stored) into the hub: exact
 * de-duplication on (channel, source item id), then case, appeal, source and the first
 * case-file entry in one transaction. Only after that commit may the sender be answered.
 * An item already taken in is a duplicate, always (see {@link #duplicate}).
 */
@Service
public class IntakeService {
    private static final Logger log = LoggerFactory.getLogger(IntakeService.class);

    public record Result(String appealId, String caseId, boolean duplicate) {}

    /** Tries at taking one item in when a generated key (not the item's id) clashes with a stored row. */
    static final int GENERATED_KEY_ATTEMPTS = 5;

    private final CaseStore cases;
    private final RawItemStore raw;
    private final HubMessaging messaging;
    private final TransactionTemplate tx;
    private final FeedbackOutbox outbox;
    private final Set<String> channelsWantingAck;
    private final ObjectMapper json;
    private final Clock clock;

    public IntakeService(CaseStore cases, RawItemStore raw, HubMessaging messaging, TransactionTemplate tx,
                         FeedbackOutbox outbox, List<FeedbackSink> sinks, ObjectMapper json, Clock clock) {
        this.cases = cases;
        this.raw = raw;
        this.messaging = messaging;
        this.tx = tx;
        this.outbox = outbox;
        this.channelsWantingAck = sinks.stream().filter(FeedbackSink::acknowledgesIntake).map(FeedbackSink::channel)
                .collect(Collectors.toSet());
        this.json = json;
        this.clock = clock;
    }

    public Result intake(Appeal normalized) {
        Appeal.Source source = normalized.firstSource();
        var existing = cases.appealIdBySource(source.channel(), source.sourceItemId());
        if (existing.isPresent()) return duplicate(source, existing.get());
        Result created = null;
        for (int attempt = 1; created == null; attempt++) {
            try {
                created = tx.execute(status -> {
                    String caseId = Ids.caseId();
                    Appeal appeal = normalized.withIds(Ids.appeal(), caseId);
                    cases.insertCase(caseId, CaseStatus.RECEIVED);
                    cases.insertAppeal(appeal);
                    cases.insertSource(appeal.appealId(), source);
                    cases.addEvent(caseId, "received", source.channel(), Map.of(
                            "appealId", appeal.appealId(), "sourceItemId", source.sourceItemId(),
                            "rawItemId", source.rawItemId()));
                    raw.mark(source.rawItemId(), RawItemStore.Status.ACCEPTED, source.sourceItemId(), appeal.appealId(), null);
                    if (channelsWantingAck.contains(source.channel())) {
                        outbox.enqueue(caseId, source.channel(), source.sourceItemId(), "ack", FeedbackPayload.of("ack",
                                "您的诉求已受理，编号 " + appeal.appealId() + "。", null, clock.instant()).toJson(json));
                    }
                    return new Result(appeal.appealId(), caseId, false);
                });
            } catch (DuplicateKeyException clash) {
                // The same item arrived twice at once (push and pull): the other one won.
                var other = cases.appealIdBySource(source.channel(), source.sourceItemId());
                if (other.isPresent()) return duplicate(source, other.get());
                // Not the item's doing: a key the hub generated clashed with a stored row (an H2
                // identity behind its rows after a kill -9, docs/reliability.md). The hub's fault,
                // never the item's: tried again with new keys, then left to the sender's retry.
                if (attempt >= GENERATED_KEY_ATTEMPTS) {
                    throw new org.springframework.dao.TransientDataAccessResourceException(
                            "a generated key clashed " + attempt + " times: " + IntakeGuard.reason(clash), clash);
                }
                log.warn("{} item: a generated key clashed with a stored row, taking it in again ({})",
                        source.channel(), IntakeGuard.reason(clash));
            }
        }
        log.info("appeal {} received from {} item {} as case {}", created.appealId(), source.channel(),
                source.sourceItemId(), created.caseId());
        // If the hub stops right here, IntakeRecovery re-enqueues the case: nothing stays behind.
        messaging.enqueueForPlacement(created.caseId(), 0);
        return created;
    }

    /**
     * The same item (channel + source item id) sent again, whatever the case's state: a duplicate.
     * The raw item is kept as DUPLICATE and the sender gets the same appeal id; nothing else
     * happens: a closed case is not re-opened and no task goes out. Upstreams re-send what they
     * are unsure we have (12345 re-sends a push without a 200 and lists an order until it is
     * signed; 督查 files may repeat rows already sent); only a channel's explicit re-open (a
     * 12345 不满意 evaluation, reply/EvaluationService) or an operator re-opens a case.
     */
    private Result duplicate(Appeal.Source source, String appealId) {
        raw.mark(source.rawItemId(), RawItemStore.Status.DUPLICATE, source.sourceItemId(), appealId, null);
        log.info("{} item {} received again: already appeal {}", source.channel(), source.sourceItemId(), appealId);
        return new Result(appealId, cases.caseIdOfAppeal(appealId), true);
    }
}
