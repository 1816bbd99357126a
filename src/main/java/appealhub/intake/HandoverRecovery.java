package appealhub.intake;

import appealhub.dispatch.DispatchService;
import appealhub.messaging.HubMessaging;
import appealhub.store.CaseStore;
import appealhub.store.TaskStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jms.JmsException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The safety net behind every hand-over that happens after a commit (docs/reliability.md):
 * <ul>
 * <li>a case stored and answered whose hand-over to placement (hub.intake) never led to its
 * placement is handed over again, each attempt under a fresh duplicate id (the attempt number
 * is counted in the database first), at growing intervals; after the last attempt it is parked
 * where operations see it, never dropped silently;</li>
 * <li>a task whose message is not known to be on its department's queue is sent again under its
 * own id, which the broker's duplicate check drops if the first send did arrive.</li>
 * </ul>
 * Placing a case twice is harmless: placement of a case that is no longer RECEIVED only re-sends
 * what still waits, under the same ids.
 */
@Service
public class HandoverRecovery {
    private static final Logger log = LoggerFactory.getLogger(HandoverRecovery.class);
    private static final int BATCH = 500;

    private final CaseStore cases;
    private final TaskStore tasks;
    private final HubMessaging messaging;
    private final DispatchService dispatch;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Duration after;
    private final int maxAttempts;

    public HandoverRecovery(CaseStore cases, TaskStore tasks, HubMessaging messaging, DispatchService dispatch,
                            TransactionTemplate tx, Clock clock,
                            @Value("${hub.intake.recovery-after-seconds}") long afterSeconds,
                            @Value("${hub.intake.max-handover-attempts:5}") int maxAttempts) {
        this.cases = cases;
        this.tasks = tasks;
        this.messaging = messaging;
        this.dispatch = dispatch;
        this.tx = tx;
        this.clock = clock;
        this.after = Duration.ofSeconds(afterSeconds);
        this.maxAttempts = maxAttempts;
    }

    /** What one pass did. */
    public record Pass(int handedOver, int parked, int tasksRequeued) {}

    public Pass recover() {
        Instant now = clock.instant();
        int handedOver = 0, parked = 0, requeued = 0;
        for (CaseStore.Waiting w : cases.awaitingHandover(now.minus(after), BATCH)) {
            if (w.lastTry().isAfter(now.minus(wait(w.handoverAttempts())))) continue; // its last attempt is still young
            if (w.handoverAttempts() >= maxAttempts) {
                if (park(w)) parked++;
                continue;
            }
            int attempt = w.handoverAttempts() + 1;
            if (!cases.countHandoverAttempt(w.caseId(), attempt)) continue; // placed meanwhile
            try {
                messaging.enqueueForPlacement(w.caseId(), w.round(), "recovery-" + attempt);
            } catch (JmsException brokerAway) {
                // Not the case's fault: the attempt does not count, and the rest waits for the next pass.
                cases.uncountHandoverAttempt(w.caseId(), attempt);
                log.warn("hand-overs not re-sent, the broker cannot be reached ({}): next pass in a moment",
                        brokerAway.getMessage());
                return new Pass(handedOver, parked, requeued);
            }
            log.warn("case {} still waiting for placement: handed over again (attempt {} of {})", w.caseId(), attempt,
                    maxAttempts);
            handedOver++;
        }
        for (TaskStore.TaskRecord t : tasks.unqueued(now.minus(after), BATCH)) {
            try {
                if (dispatch.requeue(t)) requeued++;
            } catch (JmsException brokerAway) {
                log.warn("task messages not re-sent, the broker cannot be reached ({}): next pass in a moment",
                        brokerAway.getMessage());
                break;
            }
        }
        return new Pass(handedOver, parked, requeued);
    }

    /** Attempt n waits after·2^n since the last one: a long queue is not mistaken for a lost hand-over. */
    private Duration wait(int attemptsMade) {
        return after.multipliedBy(1L << Math.min(attemptsMade, 6));
    }

    private boolean park(CaseStore.Waiting w) {
        String reason = "not placed after " + w.handoverAttempts() + " hand-overs to placement (see the dead letters of hub.intake)";
        Boolean done = tx.execute(status -> {
            if (!cases.park(w.caseId(), reason)) return false;
            cases.addEvent(w.caseId(), "parked", "hub", Map.of("reason", reason, "attempts", w.handoverAttempts()));
            return true;
        });
        if (Boolean.TRUE.equals(done)) {
            log.error("case {} parked for operations: {}", w.caseId(), reason);
            return true;
        }
        return false;
    }

    /** Operations hand a parked case over again (POST /ops/parked/{caseId}/retry). */
    public boolean retryParked(String caseId, String operator) {
        Boolean done = tx.execute(status -> {
            if (!cases.unpark(caseId)) return false;
            cases.addEvent(caseId, "unparked", operator, Map.of());
            return true;
        });
        if (!Boolean.TRUE.equals(done)) return false;
        if (cases.countHandoverAttempt(caseId, 1)) {
            messaging.enqueueForPlacement(caseId, cases.findCase(caseId).round(), "retry-" + clock.millis());
        }
        return true;
    }
}
