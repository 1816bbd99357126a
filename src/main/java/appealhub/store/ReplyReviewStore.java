package appealhub.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Held 办结 replies (table reply_review, V16): a lead's resolve the reply check found weak, waiting
 * for operations to release it upstream or send it back to the department.
 */
@Repository
public class ReplyReviewStore {
    /** Where a held reply is. Only HELD is open; the others are decisions, never changed again. */
    public enum Status {
        /** Waiting for operations; the task and the case stay open, the citizen has heard 办理中 only. */
        HELD,
        /** An operator let it go upstream: applied as the 办结 it was. */
        RELEASED,
        /** An operator sent it back to the department (a task update with the reason); the task stays open. */
        SENT_BACK,
        /** The department answered the task again (another resolve, or a return) before anyone decided. */
        SUPERSEDED
    }

    public record Review(long id, String caseId, String taskId, int round, String replyId, String orgCode, String handler,
                         String text, int score, List<String> reasons, Status status, Instant heldAt, Instant decidedAt,
                         String decidedBy, String note) {}

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public ReplyReviewStore(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Holds a reply; false when this reply is held already (a re-sent resolve). ON CONFLICT rather
     * than a caught unique violation: on PostgreSQL a failed statement aborts the reply's transaction.
     */
    public boolean hold(String caseId, String taskId, int round, String replyId, String orgCode, String handler, String text,
                        int score, List<String> reasons) {
        return jdbc.update("insert into reply_review (case_id, task_id, round, reply_id, org_code, handler, text, score, reasons,"
                        + " status, held_at) values (?,?,?,?,?,?,?,?,?,?,?) on conflict do nothing",
                caseId, taskId, round, replyId, orgCode, handler, text, score, String.join(",", reasons), Status.HELD.name(),
                Times.db(clock.instant())) == 1;
    }

    public Review find(long id) {
        return jdbc.query("select * from reply_review where id = ?", this::review, id).stream().findFirst().orElse(null);
    }

    public Review byReply(String replyId) {
        return jdbc.query("select * from reply_review where reply_id = ?", this::review, replyId).stream().findFirst().orElse(null);
    }

    /** Held ones first (oldest first: they wait longest), then the newest decided. */
    public List<Review> list(boolean heldOnly, int limit) {
        return jdbc.query("select * from reply_review" + (heldOnly ? " where status = 'HELD'" : "")
                + " order by case when status = 'HELD' then 0 else 1 end, case when status = 'HELD' then id else -id end"
                + " limit ?", this::review, limit);
    }

    public List<Review> ofCase(String caseId) {
        return jdbc.query("select * from reply_review where case_id = ? order by id", this::review, caseId);
    }

    public int heldCount() {
        Integer n = jdbc.queryForObject("select count(*) from reply_review where status = 'HELD'", Integer.class);
        return n == null ? 0 : n;
    }

    /** HELD → {@code to}; false when it was decided before (two operators at once, a second click). */
    public boolean decide(long id, Status to, String operator, String note) {
        return jdbc.update("update reply_review set status = ?, decided_at = ?, decided_by = ?, note = ? where id = ? and status = ?",
                to.name(), Times.db(clock.instant()), operator, note, id, Status.HELD.name()) == 1;
    }

    /** The task's held reviews become SUPERSEDED (the department answered again); how many. */
    public int supersede(String taskId, String byReplyId) {
        return jdbc.update("update reply_review set status = ?, decided_at = ?, decided_by = ?, note = ? where task_id = ? and status = ?",
                Status.SUPERSEDED.name(), Times.db(clock.instant()), "department", "superseded by reply " + byReplyId, taskId,
                Status.HELD.name());
    }

    private Review review(ResultSet rs, int n) throws SQLException {
        String reasons = rs.getString("reasons");
        return new Review(rs.getLong("id"), rs.getString("case_id"), rs.getString("task_id"), rs.getInt("round"),
                rs.getString("reply_id"), rs.getString("org_code"), rs.getString("handler"), rs.getString("text"),
                rs.getInt("score"), reasons == null || reasons.isEmpty() ? List.of() : Arrays.asList(reasons.split(",")),
                Status.valueOf(rs.getString("status")), Times.read(rs, "held_at"), Times.read(rs, "decided_at"),
                rs.getString("decided_by"), rs.getString("note"));
    }
}
