package appealhub.ops;

import appealhub.model.Pii;
import appealhub.store.CaseStore;
import appealhub.store.FeedbackOutbox;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * Feedback that did not reach the citizen, for operations:
 * <ul>
 *   <li>GET /ops/feedback/failed: refused for good, or pending after failed attempts;</li>
 *   <li>POST /ops/feedback/{id}/resend: back to pending, due now (case file: "feedback-resent");</li>
 *   <li>POST /ops/feedback/{id}/called-back {note}: a refused item (e.g. WeChat's 48-hour rule) the
 *       operator answered by phone instead (case file: "called-back").</li>
 * </ul>
 * The operator is the logged-in user.
 */
@RestController
@RequestMapping("/ops/feedback")
public class FeedbackOpsController {
    private static final Logger log = LoggerFactory.getLogger(FeedbackOpsController.class);
    private static final int MAX_NOTE = 500;

    private final FeedbackOutbox outbox;
    private final CaseStore cases;
    private final TransactionTemplate tx;

    public FeedbackOpsController(FeedbackOutbox outbox, CaseStore cases, TransactionTemplate tx) {
        this.outbox = outbox;
        this.cases = cases;
        this.tx = tx;
    }

    @GetMapping("/failed")
    public List<Map<String, Object>> failed(@RequestParam(defaultValue = "200") int limit) {
        return outbox.failed(Math.max(1, Math.min(limit, 1000))).stream().map(FeedbackOpsController::view).toList();
    }

    @PostMapping("/{id}/resend")
    public ResponseEntity<Map<String, Object>> resend(@PathVariable long id, Principal operator) {
        return act(id, operator, item -> {
            boolean failed = item.status() == FeedbackOutbox.Status.REFUSED || (item.status() == FeedbackOutbox.Status.PENDING && item.attempts() > 0);
            if (!failed) throw new Conflict("feedback " + id + " is " + item.status() + " and has not failed: nothing to re-send");
            outbox.resend(id);
            Map<String, Object> detail = detail(item);
            detail.put("previousStatus", item.status());
            detail.put("attempts", item.attempts());
            if (item.lastError() != null) detail.put("lastError", item.lastError());
            cases.addEvent(item.caseId(), "feedback-resent", operator.getName(), detail);
        }, "PENDING");
    }

    public record CallBack(String note) {}

    @PostMapping("/{id}/called-back")
    public ResponseEntity<Map<String, Object>> calledBack(@PathVariable long id, @RequestBody(required = false) CallBack body,
                                                          Principal operator) {
        String note = body == null || body.note() == null ? "" : body.note().strip();
        if (note.length() > MAX_NOTE) {
            return ResponseEntity.badRequest().body(Map.of("error", "note is longer than " + MAX_NOTE + " characters"));
        }
        return act(id, operator, item -> {
            if (item.status() != FeedbackOutbox.Status.REFUSED) {
                throw new Conflict("feedback " + id + " is " + item.status() + ": only feedback the channel refused is called back");
            }
            outbox.markCalledBack(id);
            Map<String, Object> detail = detail(item);
            // what the operator typed may contain the number they dialled: kept masked
            if (!note.isEmpty()) detail.put("note", Pii.maskInText(note));
            cases.addEvent(item.caseId(), "called-back", operator.getName(), detail);
        }, "CALLED_BACK");
    }

    /** Why an action does not apply to the row as it is (409). */
    private static final class Conflict extends RuntimeException {
        Conflict(String message) {
            super(message);
        }
    }

    /** Runs the change on the locked row, with its case-file event, in one transaction. */
    private ResponseEntity<Map<String, Object>> act(long id, Principal operator, Consumer<FeedbackOutbox.Item> change,
                                                   String newStatus) {
        FeedbackOutbox.Item item;
        try {
            item = tx.execute(status -> {
                FeedbackOutbox.Item found = outbox.lock(id);
                if (found != null) change.accept(found);
                return found;
            });
        } catch (Conflict c) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", c.getMessage()));
        }
        if (item == null) return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "no feedback " + id));
        log.info("feedback {} of case {} set {} by operator {}", id, item.caseId(), newStatus, operator.getName());
        return ResponseEntity.ok(Map.of("id", id, "caseId", item.caseId(), "status", newStatus));
    }

    private static Map<String, Object> detail(FeedbackOutbox.Item item) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("feedbackId", item.id());
        d.put("channel", item.channel());
        d.put("sourceItemId", item.sourceItemId());
        d.put("kind", item.kind());
        return d;
    }

    static Map<String, Object> view(FeedbackOutbox.Item f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.id());
        m.put("caseId", f.caseId());
        m.put("channel", f.channel());
        m.put("channelName", Labels.channel(f.channel()));
        m.put("sourceItemId", f.sourceItemId());
        m.put("kind", f.kind());
        m.put("status", f.status().name());
        m.put("statusName", Labels.FEEDBACK_STATUSES.getOrDefault(f.status().name(), f.status().name()));
        m.put("attempts", f.attempts());
        m.put("nextAttemptAt", f.nextAttemptAt());
        m.put("lastError", Pii.maskInText(f.lastError()));
        m.put("createdAt", f.createdAt());
        m.put("doneAt", f.doneAt());
        m.put("payload", Pii.maskInText(f.payload()));
        return m;
    }
}
