package appealhub.store;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Deadline timers of tasks (reminder, escalation, emergency check). A timer is fired by
 * claiming it: a conditional update that only succeeds while the row still shows the
 * firing time the claimer read, so of several hub instances sharing the database exactly
 * one fires each occurrence.
 */
@Repository
public class DeadlineTimerStore {
    public static final String ACTIVE = "ACTIVE";
    public static final String DONE = "DONE";
    public static final String STOPPED = "STOPPED";

    public record Timer(String timerId, String kind, String taskId, String caseId, String state, Instant nextFireAt,
                        int firedCount, Integer level, Instant lastFiredAt) {}

    /** An open task past its deadline, for operations. */
    public record Overdue(String caseId, String taskId, String orgCode, String role, Instant deadline, String taskStatus,
                          String caseStatus, String urgency, String category, String topic, Integer level,
                          int escalations, Instant lastEscalatedAt, Instant nextEscalationAt) {}

    /** An emergency alert that went out. */
    public record Alert(String caseId, String taskId, String orgCode, Instant alertedAt, String caseStatus,
                        String category, String topic, String townshipCode, Instant deadline) {}

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public DeadlineTimerStore(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A new active timer, written in the transaction that creates its task. */
    public void insert(String timerId, String kind, String taskId, String caseId, Instant fireAt) {
        Instant now = clock.instant();
        jdbc.update("insert into deadline_timer (timer_id, kind, task_id, case_id, state, next_fire_at, fired_count, "
                        + "created_at, updated_at) values (?,?,?,?,?,?,0,?,?)",
                timerId, kind, taskId, caseId, ACTIVE, Times.db(fireAt), Times.db(now), Times.db(now));
    }

    public Timer find(String timerId) {
        return jdbc.query("select * from deadline_timer where timer_id = ?", (rs, n) -> map(rs), timerId)
                .stream().findFirst().orElse(null);
    }

    public List<Timer> ofTask(String taskId) {
        return jdbc.query("select * from deadline_timer where task_id = ? order by timer_id", (rs, n) -> map(rs), taskId);
    }

    /** Active timers due at {@code now}, earliest first. */
    public List<Timer> due(Instant now, int limit) {
        return jdbc.query("select * from deadline_timer where state = ? and next_fire_at <= ? order by next_fire_at limit ?",
                (rs, n) -> map(rs), ACTIVE, Times.db(now), limit);
    }

    /**
     * Fires one occurrence: moves the timer on from {@code expectedNextFireAt} to
     * {@code nextFireAt} (null: none, the timer is {@code state} from now on), counting the
     * fire; {@code level} (null: unchanged) is the escalation level sent. False when another
     * claimer moved it first.
     */
    public boolean claimFire(Timer t, Instant nextFireAt, String state, Integer level) {
        Instant now = clock.instant();
        return jdbc.update("update deadline_timer set state = ?, next_fire_at = ?, fired_count = fired_count + 1, "
                        + "level = ?, last_fired_at = ?, updated_at = ? "
                        + "where timer_id = ? and state = ? and next_fire_at = ? and fired_count = ?",
                state, Times.db(nextFireAt), level != null ? level : t.level(), Times.db(now), Times.db(now),
                t.timerId(), ACTIVE, Times.db(t.nextFireAt()), t.firedCount()) == 1;
    }

    /** Stops a timer without firing it (the task was closed, or there is nothing to say). False when claimed first. */
    public boolean claimStop(Timer t) {
        return jdbc.update("update deadline_timer set state = ?, next_fire_at = null, updated_at = ? "
                        + "where timer_id = ? and state = ? and next_fire_at = ? and fired_count = ?",
                STOPPED, Times.db(clock.instant()), t.timerId(), ACTIVE, Times.db(t.nextFireAt()), t.firedCount()) == 1;
    }

    /** Stops a task's timers still to fire, except the emergency check (an emergency is told even when closed at once). */
    public int stopForTask(String taskId) {
        return jdbc.update("update deadline_timer set state = ?, next_fire_at = null, updated_at = ? "
                        + "where task_id = ? and state = ? and kind <> 'emergency'",
                STOPPED, Times.db(clock.instant()), taskId, ACTIVE);
    }

    /** Open tasks of the current round past their deadline, most overdue first. */
    public List<Overdue> overdue(Instant now, int limit) {
        return jdbc.query("select t.case_id, t.task_id, t.org_code, t.role, t.deadline, t.status as task_status, "
                        + "c.status as case_status, c.urgency, c.category, c.topic, e.level, coalesce(e.fired_count, 0) as escalations, "
                        + "e.last_fired_at, e.next_fire_at "
                        + "from task t join hub_case c on c.case_id = t.case_id "
                        + "left join deadline_timer e on e.task_id = t.task_id and e.kind = 'escalation' "
                        + "where t.status in ('SENT', 'ACCEPTED') and t.deadline < ? and t.round = c.round "
                        + "and c.status not in ('RESOLVED', 'RETURNED_UPSTREAM', 'MERGED') "
                        + "order by t.deadline limit ?",
                (rs, n) -> new Overdue(rs.getString("case_id"), rs.getString("task_id"), rs.getString("org_code"),
                        rs.getString("role"), Times.read(rs, "deadline"), rs.getString("task_status"),
                        rs.getString("case_status"), rs.getString("urgency"), rs.getString("category"),
                        rs.getString("topic"), (Integer) rs.getObject("level", Integer.class), rs.getInt("escalations"),
                        Times.read(rs, "last_fired_at"), Times.read(rs, "next_fire_at")),
                Times.db(now), limit);
    }

    /** Emergency alerts sent, newest first. */
    public List<Alert> alerts(int limit) {
        return jdbc.query("select d.case_id, d.task_id, t.org_code, d.last_fired_at, c.status, c.category, c.topic, "
                        + "c.township_code, t.deadline from deadline_timer d join task t on t.task_id = d.task_id "
                        + "join hub_case c on c.case_id = d.case_id "
                        + "where d.kind = 'emergency' and d.fired_count > 0 order by d.last_fired_at desc limit ?",
                (rs, n) -> new Alert(rs.getString("case_id"), rs.getString("task_id"), rs.getString("org_code"),
                        Times.read(rs, "last_fired_at"), rs.getString("status"), rs.getString("category"),
                        rs.getString("topic"), rs.getString("township_code"), Times.read(rs, "deadline")),
                limit);
    }

    private static Timer map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Timer(rs.getString("timer_id"), rs.getString("kind"), rs.getString("task_id"), rs.getString("case_id"),
                rs.getString("state"), Times.read(rs, "next_fire_at"), rs.getInt("fired_count"),
                rs.getObject("level", Integer.class), Times.read(rs, "last_fired_at"));
    }
}
