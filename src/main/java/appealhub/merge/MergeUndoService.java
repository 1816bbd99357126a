package appealhub.merge;

import appealhub.messaging.HubMessaging;
import appealhub.messaging.TaskUpdate;
import appealhub.model.Appeal;
import appealhub.store.CaseStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Undo of a wrong merge, by operations: the appeal goes back to the case it was received as,
 * that case is never merged automatically again and is dispatched normally; the case it had
 * joined is told (its departments get a task update, its citizen count and hot flag are
 * recomputed). Both case files record the split with the operator's name.
 */
@Service
public class MergeUndoService {
    private static final Logger log = LoggerFactory.getLogger(MergeUndoService.class);

    /** The appeal is not merged into another case (nothing to undo). */
    public static class NotMerged extends RuntimeException {
        public NotMerged(String message) {
            super(message);
        }
    }

    private record Split(String originCaseId, List<TaskUpdate> updates) {}

    private final CaseStore cases;
    private final CaseMerger merger;
    private final HubMessaging messaging;
    private final TransactionTemplate tx;

    public MergeUndoService(CaseStore cases, CaseMerger merger, HubMessaging messaging, TransactionTemplate tx) {
        this.cases = cases;
        this.merger = merger;
        this.messaging = messaging;
        this.tx = tx;
    }

    /** @return the case the appeal is back in, now waiting to be dispatched */
    public String split(String appealId, String operator) {
        Split done = tx.execute(status -> {
            String current = cases.caseIdOfAppeal(appealId);
            if (current == null) throw new NotMerged("no appeal " + appealId);
            String origin = cases.originCaseOfAppeal(appealId);
            if (origin == null || origin.equals(current)) {
                throw new NotMerged("appeal " + appealId + " was not merged into another case");
            }
            CaseStore.CaseRecord target = cases.lockCase(current);
            cases.lockCase(origin);
            Appeal appeal = cases.appeal(appealId);
            cases.moveAppeal(appealId, current, origin);
            cases.updateAppeal(appeal.withIds(appealId, origin));
            cases.unmerge(origin);
            int citizens = merger.countCitizens(current);
            boolean hot = target.hot() && citizens >= merger.hotCitizens();
            cases.updateCitizens(current, citizens, hot, hot ? target.priority() : CaseMerger.PRIORITY_NORMAL);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("appealId", appealId);
            detail.put("toCase", origin);
            detail.put("operator", operator);
            detail.put("citizens", citizens);
            cases.addEvent(current, "split", operator, detail);
            cases.addEvent(origin, "split-from", operator, Map.of("fromCase", current, "appealId", appealId,
                    "operator", operator));
            return new Split(origin, merger.updatesFor(current, appeal, "source-removed"));
        });
        for (TaskUpdate u : done.updates()) messaging.sendTaskUpdate(u);
        // If this hand-over is lost, intake recovery re-sends it (the case is RECEIVED again).
        messaging.enqueueForPlacement(done.originCaseId(), 0, "split");
        log.info("appeal {} split back into case {} by an operator", appealId, done.originCaseId());
        return done.originCaseId();
    }
}
