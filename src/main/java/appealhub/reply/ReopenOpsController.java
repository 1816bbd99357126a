package appealhub.reply;

import appealhub.dispatch.DispatchService;
import appealhub.model.CaseStatus;
import appealhub.model.Pii;
import appealhub.store.CaseStore;
import java.security.Principal;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * POST /ops/cases/{caseId}/reopen {reason}: an operator re-opens a resolved case, the one re-open
 * besides a channel's own (a 12345 不满意 evaluation, {@link EvaluationService}). A re-sent item
 * never re-opens a case; when an upstream's re-send does mean the matter is not settled (a 督查
 * clue sent again after its result, say), operations decide. The same organisations get new
 * tasks (round + 1) with a new deadline; case file "reopened" under the operator's name.
 * 202 when re-opened, 409 when the case is not resolved, 404 when there is no such case.
 */
@RestController
public class ReopenOpsController {
    private static final Logger log = LoggerFactory.getLogger(ReopenOpsController.class);
    private static final int MAX_REASON = 500;

    private final CaseStore cases;
    private final DispatchService dispatch;

    public ReopenOpsController(CaseStore cases, DispatchService dispatch) {
        this.cases = cases;
        this.dispatch = dispatch;
    }

    @PostMapping("/ops/cases/{caseId}/reopen")
    public ResponseEntity<Map<String, Object>> reopen(@PathVariable String caseId,
                                                      @RequestBody(required = false) Map<String, String> body,
                                                      Principal operator) {
        String reason = body == null || body.get("reason") == null ? "" : body.get("reason").strip();
        if (reason.isEmpty()) return ResponseEntity.badRequest().body(Map.of("error", "reason is required"));
        if (reason.length() > MAX_REASON) {
            return ResponseEntity.badRequest().body(Map.of("error", "reason is longer than " + MAX_REASON + " characters"));
        }
        CaseStore.CaseRecord c = cases.findCase(caseId);
        if (c == null) return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "no case " + caseId));
        if (c.status() != CaseStatus.RESOLVED
                || !dispatch.reopen(caseId, operator.getName(), Map.of("reason", Pii.maskInText(reason), "by", "operations"))) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error",
                    "case " + caseId + " is " + cases.findCase(caseId).status() + ": only a resolved case is re-opened"));
        }
        log.info("case {} re-opened by operator {}", caseId, operator.getName());
        return ResponseEntity.accepted().body(Map.of("caseId", caseId, "status", "DISPATCHED",
                "round", cases.findCase(caseId).round()));
    }
}
