package appealhub.store;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Feedback owed to upstream channels. Rows are written in the transaction of the state
 * change that owes them, so feedback once produced is never lost; the dispatcher works
 * them off in order per source until the channel takes them (or refuses them for good).
 */
@Repository
public class FeedbackOutbox {
    /** CALLED_BACK: refused for good by the channel, and operations called the citizen back instead. */
    public enum Status { PENDING, DONE, REFUSED, CALLED_BACK }

    public record Item(long id, String caseId, String channel, String sourceItemId, String kind, String payload,
                       Status status, int attempts, Instant nextAttemptAt, String lastError, Instant createdAt,
                       Instant doneAt) {}

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final CaseStageCounts stages;

    public FeedbackOutbox(JdbcTemplate jdbc, Clock clock, CaseStageCounts stages) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.stages = stages;
    }

    /**
     * Changes a row's status; for a result, counts the case in or out of the dashboard's FED_BACK
     * (CaseStageCounts) in the same transaction. Locks the feedback row, then the case row: the
     * order every feedback-side change takes (status changes of a case lock only the case row),
     * so the two never wait on each other in a circle.
     */
    private void changeStatus(long id, Runnable update) {
        stages.inTransaction(() -> {
            List<String> result = jdbc.queryForList("select case_id from feedback_outbox where id = ? and kind = 'result' for update",
                    String.class, id);
            if (result.isEmpty()) {
                update.run();
                return null;
            }
            boolean before = stages.fedBackLocked(result.get(0));
            update.run();
            stages.resultChanged(result.get(0), before);
            return null;
        });
    }

    public void enqueue(String caseId, String channel, String sourceItemId, String kind, String payload) {
        Instant now = clock.instant();
        jdbc.update("insert into feedback_outbox (case_id, channel, source_item_id, kind, payload, status, attempts, "
                        + "next_attempt_at, created_at) values (?,?,?,?,?,?,0,?,?)",
                caseId, channel, sourceItemId, kind, payload, Status.PENDING.name(), Times.db(now), Times.db(now));
    }

    /**
     * A channel's items due now and not claimed by a live delivery, oldest first, and only the
     * oldest pending item of each source: a result must not overtake the progress note before it.
     */
    public List<Item> due(String channel, int limit) {
        Object now = Times.db(clock.instant());
        return jdbc.query("select * from feedback_outbox f where f.channel = ? and f.status = 'PENDING' "
                        + "and f.next_attempt_at <= ? and (f.claimed_until is null or f.claimed_until < current_timestamp) "
                        + "and not exists (select 1 from feedback_outbox e where e.status = 'PENDING' "
                        + "and e.channel = f.channel and e.source_item_id = f.source_item_id and e.id < f.id) "
                        + "order by f.id limit ?",
                (rs, n) -> map(rs), channel, now, limit);
    }

    /** The channels that have rows due now (each is worked by its own route). */
    public List<String> channelsDue() {
        return jdbc.queryForList("select distinct channel from feedback_outbox where status = 'PENDING' and next_attempt_at <= ?",
                String.class, Times.db(clock.instant()));
    }

    /**
     * Claims a row for one delivery attempt by this instance, for {@code claimFor}. Only one
     * claimant wins: another instance, or this one after a restart, sees the row again only
     * when the claim has run out. Claims are timed by the database's clock, so an instance whose
     * clock runs ahead cannot take a row another instance is still delivering.
     */
    public boolean claim(long id, String claimant, java.time.Duration claimFor) {
        return jdbc.update("update feedback_outbox set claimed_by = ?, "
                + "claimed_until = current_timestamp + cast(? as bigint) * interval '0.001' second "
                + "where id = ? and status = 'PENDING' and (claimed_until is null or claimed_until < current_timestamp)",
                claimant, claimFor.toMillis(), id) == 1;
    }

    public void markDone(long id) {
        changeStatus(id, () -> jdbc.update("update feedback_outbox set status = 'DONE', attempts = attempts + 1, done_at = ?, last_error = null, claimed_until = null where id = ?",
                Times.db(clock.instant()), id));
    }

    public void markRefused(long id, String error) {
        jdbc.update("update feedback_outbox set status = 'REFUSED', attempts = attempts + 1, done_at = ?, last_error = ?, claimed_until = null where id = ?",
                Times.db(clock.instant()), truncate(error), id);
    }

    public void retryAt(long id, Instant when, String error, boolean countAttempt) {
        jdbc.update("update feedback_outbox set attempts = attempts + ?, next_attempt_at = ?, last_error = ?, claimed_until = null where id = ?",
                countAttempt ? 1 : 0, Times.db(when), truncate(error), id);
    }

    public List<Item> ofCase(String caseId) {
        return jdbc.query("select * from feedback_outbox where case_id = ? order by id", (rs, n) -> map(rs), caseId);
    }

    public List<Item> byStatus(String status, int limit) {
        return jdbc.query("select * from feedback_outbox where status = ? order by id desc limit ?", (rs, n) -> map(rs), status, limit);
    }

    /** The row, locked for the rest of the transaction (an operator's action on it). */
    public Item lock(long id) {
        return jdbc.query("select * from feedback_outbox where id = ? for update", (rs, n) -> map(rs), id)
                .stream().findFirst().orElse(null);
    }

    /** Feedback that failed: refused for good, or still pending after failed attempts; newest first. */
    public List<Item> failed(int limit) {
        return jdbc.query("select * from feedback_outbox where status = 'REFUSED' or (status = 'PENDING' and attempts > 0) "
                + "order by id desc limit ?", (rs, n) -> map(rs), limit);
    }

    /** Operations send it again: pending, due now (attempts and the last error are kept for the record). */
    public void resend(long id) {
        changeStatus(id, () -> jdbc.update("update feedback_outbox set status = 'PENDING', next_attempt_at = ?, done_at = null, claimed_until = null where id = ?",
                Times.db(clock.instant()), id));
    }

    public void markCalledBack(long id) {
        changeStatus(id, () -> jdbc.update("update feedback_outbox set status = 'CALLED_BACK', done_at = ? where id = ?",
                Times.db(clock.instant()), id));
    }

    private static Item map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Item(rs.getLong("id"), rs.getString("case_id"), rs.getString("channel"),
                rs.getString("source_item_id"), rs.getString("kind"), rs.getString("payload"), Status.valueOf(rs.getString("status")),
                rs.getInt("attempts"), Times.read(rs, "next_attempt_at"), rs.getString("last_error"),
                Times.read(rs, "created_at"), Times.read(rs, "done_at"));
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 1000 ? s : s.substring(0, 1000);
    }
}
