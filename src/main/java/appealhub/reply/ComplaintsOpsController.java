package appealhub.reply;

import appealhub.model.Appeal;
import appealhub.model.Pii;
import appealhub.store.CaseStore;
import appealhub.store.ComplaintStore;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Complaints about progress, for operations (a 不满意 evaluation of a case still open, see
 * {@link EvaluationService}):
 * <ul>
 *   <li>GET /ops/complaints: open ones first, then the newest (?open=true for open ones only,
 *       ?limit=, default 200, at most 1000); notes and titles masked;</li>
 *   <li>POST /ops/complaints/{id}/handled {note}: an operator dealt with it (urged the department,
 *       called the citizen back...); case file: "complaint-handled" under the operator's name.</li>
 * </ul>
 */
@RestController
@RequestMapping("/ops/complaints")
public class ComplaintsOpsController {
    private static final int MAX_NOTE = 500;

    private final ComplaintStore complaints;
    private final CaseStore cases;
    private final TransactionTemplate tx;

    public ComplaintsOpsController(ComplaintStore complaints, CaseStore cases, TransactionTemplate tx) {
        this.complaints = complaints;
        this.cases = cases;
        this.tx = tx;
    }

    @GetMapping
    public List<Map<String, Object>> list(@RequestParam(defaultValue = "false") boolean open,
                                          @RequestParam(defaultValue = "200") int limit) {
        return complaints.list(open, Math.max(1, Math.min(limit, 1000))).stream().map(this::view).toList();
    }

    public record Handled(String note) {}

    @PostMapping("/{id}/handled")
    public ResponseEntity<Map<String, Object>> handled(@PathVariable long id, @RequestBody(required = false) Handled body,
                                                       Principal operator) {
        String note = body == null || body.note() == null ? "" : body.note().strip();
        if (note.length() > MAX_NOTE) {
            return ResponseEntity.badRequest().body(Map.of("error", "note is longer than " + MAX_NOTE + " characters"));
        }
        ComplaintStore.Complaint c = complaints.find(id);
        if (c == null) return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "no complaint " + id));
        String masked = note.isEmpty() ? null : Pii.maskInText(note);
        boolean marked = Boolean.TRUE.equals(tx.execute(status -> {
            if (!complaints.markHandled(id, operator.getName(), masked)) return false;
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("complaintId", id);
            if (masked != null) detail.put("note", masked);
            cases.addEvent(c.caseId(), "complaint-handled", operator.getName(), detail);
            return true;
        }));
        if (!marked) return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", "complaint " + id + " was handled before"));
        return ResponseEntity.ok(Map.of("id", id, "caseId", c.caseId(), "status", "HANDLED"));
    }

    private Map<String, Object> view(ComplaintStore.Complaint c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("caseId", c.caseId());
        m.put("channel", c.channel());
        m.put("sourceItemId", c.sourceItemId());
        m.put("satisfaction", c.satisfaction());
        m.put("notes", Pii.maskInText(c.notes()));
        m.put("caseStatusAtComplaint", c.caseStatus());
        CaseStore.CaseRecord now = cases.findCase(c.caseId());
        m.put("caseStatus", now == null ? null : now.status().name());
        m.put("leadOrg", now == null ? null : now.leadDept());
        m.put("deadline", now == null ? null : now.deadline());
        List<Appeal> appeals = cases.appealsOfCase(c.caseId());
        m.put("title", appeals.isEmpty() ? null : Pii.maskInText(appeals.get(0).title()));
        m.put("receivedAt", c.receivedAt());
        m.put("open", c.open());
        m.put("handledAt", c.handledAt());
        m.put("handledBy", c.handledBy());
        m.put("handledNote", c.handledNote());
        return m;
    }
}
