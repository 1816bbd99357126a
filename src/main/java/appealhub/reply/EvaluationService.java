package appealhub.reply;

import appealhub.dispatch.DispatchService;
import appealhub.store.CaseStore;
import appealhub.store.TaskStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** A citizen's evaluation (回访) of a closed case: recorded in the case file; dissatisfied re-opens it. */
@Service
public class EvaluationService {
    private final CaseStore cases;
    private final TaskStore tasks;
    private final DispatchService dispatch;
    private final TransactionTemplate tx;

    public EvaluationService(CaseStore cases, TaskStore tasks, DispatchService dispatch, TransactionTemplate tx) {
        this.cases = cases;
        this.tasks = tasks;
        this.dispatch = dispatch;
        this.tx = tx;
    }

    /**
     * @param evaluationKey unique per evaluation, so a re-sent evaluation is recorded once
     * @return true when the case was re-opened
     */
    public boolean record(String caseId, String channel, String evaluationKey, String satisfaction, boolean dissatisfied,
                          Map<String, String> notes) {
        Boolean fresh = tx.execute(status -> {
            if (!tasks.markReplyApplied(evaluationKey, "-")) return false;
            Map<String, Object> detail = new LinkedHashMap<>(notes);
            detail.put("satisfaction", satisfaction);
            cases.addEvent(caseId, "evaluated", channel, detail);
            return true;
        });
        if (!Boolean.TRUE.equals(fresh) || !dissatisfied) return false;
        return dispatch.reopen(caseId, channel, Map.of("reason", "citizen dissatisfied (" + satisfaction + ")"));
    }
}
