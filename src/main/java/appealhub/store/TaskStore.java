package appealhub.store;

import appealhub.model.TaskRole;
import appealhub.model.TaskStatus;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Tasks on department and township queues, and the replies already applied to them. A task's
 * deadline timers are written with it and stopped when it is answered for good.
 */
@Repository
public class TaskStore {

    public record TaskRecord(String taskId, String caseId, String orgCode, String queue, TaskRole role, int round,
                             TaskStatus status, Instant deadline, Instant createdAt) {}

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final List<TaskLifecycle> listeners;

    public TaskStore(JdbcTemplate jdbc, Clock clock, List<TaskLifecycle> listeners) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.listeners = listeners;
    }

    /** A new task whose message whoever takes its send claim first will send (claimSend). */
    public void insert(TaskRecord t) {
        insert(t, null, null);
    }

    /**
     * A new task whose message {@code sender} is about to send (a placement, under the id of the hand-over
     * it serves): its send claim is taken with the row, for {@code lease}, so no other sender sends it
     * meanwhile (docs/reliability.md, "Each task once").
     */
    public void insertClaimed(TaskRecord t, String sender, java.time.Duration lease) {
        insert(t, sender, clock.instant().plus(lease));
    }

    private void insert(TaskRecord t, String sender, Instant claimedUntil) {
        Instant now = clock.instant();
        jdbc.update("insert into task (task_id, case_id, org_code, queue, role, round, status, deadline, created_at, updated_at, "
                        + "send_claim, send_claimed_until) values (?,?,?,?,?,?,?,?,?,?,?,?)",
                t.taskId(), t.caseId(), t.orgCode(), t.queue(), t.role().wire(), t.round(), t.status().name(),
                Times.db(t.deadline()), Times.db(now), Times.db(now), sender, Times.db(claimedUntil));
        for (TaskLifecycle l : listeners) l.created(t);
    }

    /**
     * Takes the claim to send a task's message, for {@code lease}: true when the claim was free, had lapsed
     * (its sender died), or is already {@code sender}'s own (a redelivery of the same hand-over); false while
     * another sender holds it, or once the message is known to be on its queue. Two senders of one task id
     * at the same moment would both get past the broker's duplicate check.
     */
    public boolean claimSend(String taskId, String sender, java.time.Duration lease) {
        Instant now = clock.instant();
        return jdbc.update("update task set send_claim = ?, send_claimed_until = ? where task_id = ? and queued_at is null "
                        + "and (send_claim is null or send_claimed_until < ? or send_claim = ?)",
                sender, Times.db(now.plus(lease)), taskId, Times.db(now), sender) == 1;
    }

    /** The send failed (broker away): the claim is given up at once, so the next try need not wait for it to lapse. */
    public void releaseSend(String taskId, String sender) {
        jdbc.update("update task set send_claim = null, send_claimed_until = null where task_id = ? and send_claim = ? "
                + "and queued_at is null", taskId, sender);
    }

    /** The task's message is on its queue (sent, or found already there by the broker's duplicate check). */
    public void markQueued(String taskId) {
        jdbc.update("update task set queued_at = ? where task_id = ? and queued_at is null", Times.db(clock.instant()), taskId);
    }

    /** The same for every task of one placement at once: one statement, one commit (issue 16). */
    public void markAllQueued(java.util.Collection<String> taskIds) {
        if (taskIds.isEmpty()) return;
        if (taskIds.size() == 1) {
            markQueued(taskIds.iterator().next());
            return;
        }
        List<Object> args = new java.util.ArrayList<>();
        args.add(Times.db(clock.instant()));
        args.addAll(taskIds);
        jdbc.update("update task set queued_at = ? where task_id in (" + String.join(",", java.util.Collections.nCopies(taskIds.size(), "?"))
                + ") and queued_at is null", args.toArray());
    }

    /**
     * Tasks stored longer ago than {@code before} whose message is not known to be on its queue
     * (the hub stopped between the commit and the send): recovery sends them again.
     */
    public List<TaskRecord> unqueued(Instant before, int limit) {
        return jdbc.query("select * from task where queued_at is null and created_at < ? order by created_at limit ?",
                (rs, n) -> map(rs), Times.db(before), limit);
    }

    public TaskRecord find(String taskId) {
        return jdbc.query("select * from task where task_id = ?", (rs, n) -> map(rs), taskId)
                .stream().findFirst().orElse(null);
    }

    public List<TaskRecord> ofCaseRound(String caseId, int round) {
        return jdbc.query("select * from task where case_id = ? and round = ? order by role desc, org_code",
                (rs, n) -> map(rs), caseId, round);
    }

    public List<TaskRecord> ofCase(String caseId) {
        return jdbc.query("select * from task where case_id = ? order by round, created_at", (rs, n) -> map(rs), caseId);
    }

    public void updateStatus(String taskId, TaskStatus status) {
        jdbc.update("update task set status = ?, updated_at = ? where task_id = ?", status.name(), Times.db(clock.instant()), taskId);
        if (status.finished()) for (TaskLifecycle l : listeners) l.finished(taskId);
    }

    /**
     * Records a reply as applied; false when it was applied before (a department re-sent it).
     * ON CONFLICT rather than a caught unique violation: on PostgreSQL a failed statement aborts
     * the reply's whole transaction.
     */
    public boolean markReplyApplied(String replyId, String taskId) {
        return jdbc.update("insert into applied_reply (reply_id, task_id, applied_at) values (?,?,?) on conflict do nothing",
                replyId, taskId, Times.db(clock.instant())) == 1;
    }

    private static TaskRecord map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new TaskRecord(rs.getString("task_id"), rs.getString("case_id"), rs.getString("org_code"),
                rs.getString("queue"), TaskRole.ofWire(rs.getString("role")), rs.getInt("round"),
                TaskStatus.valueOf(rs.getString("status")),
                Times.read(rs, "deadline"), Times.read(rs, "created_at"));
    }
}
