package appealhub.reply;

import appealhub.dispatch.DispatchService;
import appealhub.model.CaseStatus;
import appealhub.store.CaseStore;
import appealhub.store.ComplaintStore;
import appealhub.store.TaskStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A citizen's evaluation (回访) of a case, recorded in the case file once per evaluation key.
 * Dissatisfied (不满意) is the channel's explicit re-open:
 * <ul>
 *   <li>a closed (resolved) case re-opens with the same organisations (DispatchService.reopen);</li>
 *   <li>a case still open has nothing to re-open: the citizen is complaining about progress. It goes
 *       to operations: case-file event "complaint" and a row of progress_complaint, listed at
 *       GET /ops/complaints until an operator marks it handled ({@link ComplaintsOpsController}).</li>
 * </ul>
 * A re-sent item is never a re-open (intake/IntakeService): only this is.
 */
@Service
public class EvaluationService {
    private static final Logger log = LoggerFactory.getLogger(EvaluationService.class);

    /** What an evaluation did. */
    public enum Outcome {
        /** Recorded before (the same evaluation sent again): nothing done. */
        REPEATED,
        /** Recorded in the case file. */
        RECORDED,
        /** Dissatisfied with a resolved case: re-opened with the same organisations. */
        REOPENED,
        /** Dissatisfied with a case still open: a complaint about progress, for operations. */
        COMPLAINT
    }

    private final CaseStore cases;
    private final TaskStore tasks;
    private final ComplaintStore complaints;
    private final DispatchService dispatch;
    private final TransactionTemplate tx;

    public EvaluationService(CaseStore cases, TaskStore tasks, ComplaintStore complaints, DispatchService dispatch,
                             TransactionTemplate tx) {
        this.cases = cases;
        this.tasks = tasks;
        this.complaints = complaints;
        this.dispatch = dispatch;
        this.tx = tx;
    }

    /**
     * @param evaluationKey unique per evaluation, so a re-sent evaluation is recorded once
     * @param notes         case-file detail: "sourceItemId" (the channel's item) and "notes" (the citizen's words) when known
     */
    public Outcome record(String caseId, String channel, String evaluationKey, String satisfaction, boolean dissatisfied,
                          Map<String, String> notes) {
        Outcome recorded = tx.execute(status -> {
            if (!tasks.markReplyApplied(evaluationKey, "-")) return Outcome.REPEATED;
            CaseStore.CaseRecord c = cases.lockCase(caseId);
            Map<String, Object> detail = new LinkedHashMap<>(notes);
            detail.put("satisfaction", satisfaction);
            cases.addEvent(caseId, "evaluated", channel, detail);
            if (!dissatisfied || c == null || !c.status().open()) return Outcome.RECORDED;
            long id = complaints.add(caseId, channel, notes.getOrDefault("sourceItemId", ""), satisfaction,
                    notes.get("notes"), c.status().name());
            Map<String, Object> complaint = new LinkedHashMap<>();
            complaint.put("complaintId", id);
            complaint.put("reason", "citizen dissatisfied (" + satisfaction + ") while the case is still open");
            complaint.put("caseStatus", c.status().name());
            complaint.put("round", c.round());
            if (notes.containsKey("sourceItemId")) complaint.put("sourceItemId", notes.get("sourceItemId"));
            cases.addEvent(caseId, "complaint", channel, complaint);
            return Outcome.COMPLAINT;
        });
        if (recorded == Outcome.COMPLAINT) {
            log.warn("case {}: {} evaluation {} while the case is still open: complaint about progress for operations"
                    + " (GET /ops/complaints)", caseId, channel, satisfaction);
            return recorded;
        }
        if (recorded != Outcome.RECORDED || !dissatisfied) return recorded;
        CaseStore.CaseRecord c = cases.findCase(caseId);
        if (c == null || c.status() != CaseStatus.RESOLVED) return recorded;
        return dispatch.reopen(caseId, channel, Map.of("reason", "citizen dissatisfied (" + satisfaction + ")"))
                ? Outcome.REOPENED : Outcome.RECORDED;
    }
}
