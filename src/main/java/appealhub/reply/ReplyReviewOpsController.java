package appealhub.reply;

import appealhub.model.Appeal;
import appealhub.model.Pii;
import appealhub.store.CaseStore;
import appealhub.store.ReplyReviewStore;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Held 办结 replies (the reply check, docs/reply-quality.md), for operations:
 * <ul>
 *   <li>GET /ops/reply-reviews: held ones first (oldest first), then the newest decided (?held=true for
 *       held ones only, ?limit=, default 200, at most 1000); GET /ops/reply-reviews/{id}: one. The reply
 *       text, the appeal's title and notes shown masked ({@link Pii#maskInText}). Viewers may read.</li>
 *   <li>POST /ops/reply-reviews/{id}/release {note}: the 办结 goes upstream as it was (operator);</li>
 *   <li>POST /ops/reply-reviews/{id}/send-back {reason}: back to the department with the reason, the
 *       task stays open (operator).</li>
 * </ul>
 * 404 when there is no such review, 409 when it was decided before or the task moved on (returned,
 * re-opened: the review is then superseded).
 */
@RestController
@RequestMapping("/ops/reply-reviews")
public class ReplyReviewOpsController {
    private static final int MAX_TEXT = 500;

    private final ReplyReviewStore reviews;
    private final CaseStore cases;
    private final TaskReplyService replies;

    public ReplyReviewOpsController(ReplyReviewStore reviews, CaseStore cases, TaskReplyService replies) {
        this.reviews = reviews;
        this.cases = cases;
        this.replies = replies;
    }

    @GetMapping
    public List<Map<String, Object>> list(@RequestParam(defaultValue = "false") boolean held,
                                          @RequestParam(defaultValue = "200") int limit) {
        return reviews.list(held, Math.max(1, Math.min(limit, 1000))).stream().map(this::view).toList();
    }

    @GetMapping("/{id}")
    public ResponseEntity<Map<String, Object>> one(@PathVariable long id) {
        ReplyReviewStore.Review r = reviews.find(id);
        if (r == null) return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "no reply review " + id));
        return ResponseEntity.ok(view(r));
    }

    public record Decision(String note, String reason) {}

    @PostMapping("/{id}/release")
    public ResponseEntity<Map<String, Object>> release(@PathVariable long id, @RequestBody(required = false) Decision body,
                                                       Principal operator) {
        String note = body == null || body.note() == null ? "" : body.note().strip();
        if (note.length() > MAX_TEXT) return ResponseEntity.badRequest().body(Map.of("error", "note is longer than " + MAX_TEXT + " characters"));
        return answer(id, replies.releaseHeld(id, operator.getName(), note.isEmpty() ? null : Pii.maskInText(note)), "RELEASED");
    }

    @PostMapping("/{id}/send-back")
    public ResponseEntity<Map<String, Object>> sendBack(@PathVariable long id, @RequestBody(required = false) Decision body,
                                                        Principal operator) {
        String reason = body == null || body.reason() == null ? "" : body.reason().strip();
        if (reason.isEmpty()) return ResponseEntity.badRequest().body(Map.of("error", "reason is required"));
        if (reason.length() > MAX_TEXT) return ResponseEntity.badRequest().body(Map.of("error", "reason is longer than " + MAX_TEXT + " characters"));
        return answer(id, replies.sendBack(id, operator.getName(), Pii.maskInText(reason)), "SENT_BACK");
    }

    private ResponseEntity<Map<String, Object>> answer(long id, TaskReplyService.Decision d, String done) {
        return switch (d) {
            case DONE -> ResponseEntity.ok(Map.of("id", id, "status", done));
            case NOT_FOUND -> ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "no reply review " + id));
            case DECIDED_BEFORE -> ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error",
                    "reply review " + id + " was decided before (" + reviews.find(id).status() + ")"));
            case TASK_MOVED_ON -> ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error",
                    "the task of reply review " + id + " is no longer open in this round: the review is superseded"));
        };
    }

    private Map<String, Object> view(ReplyReviewStore.Review r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("caseId", r.caseId());
        m.put("taskId", r.taskId());
        m.put("round", r.round());
        m.put("orgCode", r.orgCode());
        m.put("replyId", r.replyId());
        m.put("status", r.status().name());
        m.put("score", r.score());
        m.put("reasons", r.reasons().stream().map(ReplyReviewOpsController::reason).toList());
        m.put("text", Pii.maskInText(r.text()));
        List<Appeal> appeals = cases.appealsOfCase(r.caseId());
        m.put("title", appeals.isEmpty() ? null : Pii.maskInText(appeals.get(0).title()));
        m.put("heldAt", r.heldAt());
        m.put("decidedAt", r.decidedAt());
        m.put("decidedBy", r.decidedBy());
        m.put("note", r.note());
        return m;
    }

    private static Map<String, String> reason(String name) {
        try {
            return Map.of("code", name, "label", ReplyQuality.Reason.valueOf(name).label());
        } catch (IllegalArgumentException e) {
            return Map.of("code", name, "label", name); // a reason of an older version
        }
    }
}
