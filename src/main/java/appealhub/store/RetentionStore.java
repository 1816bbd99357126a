package appealhub.store;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The SQL of retention (V15): which closed cases are due, the claim that makes one instance purge
 * each (a conditional update), the appeals' stored model rewritten, raw bodies emptied, and the
 * record of each run for operations.
 */
@Repository
public class RetentionStore {
    /** Statuses of a closed case (model.CaseStatus#open is false). */
    static final String CLOSED = "('RESOLVED', 'RETURNED_UPSTREAM', 'MERGED')";

    public record AppealRow(String appealId, String title, String modelJson) {}

    public record Run(long id, Instant startedAt, Instant finishedAt, String instance, Instant closedBefore,
                      int casesPurged, int appealsPurged, int rawPurged) {}

    private final JdbcTemplate jdbc;

    public RetentionStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Closed cases, last changed before {@code closedBefore}, not yet purged; oldest first. */
    public List<String> dueCases(Instant closedBefore, int limit) {
        return jdbc.queryForList("select case_id from hub_case where purged_at is null and status in " + CLOSED
                + " and updated_at < ? order by updated_at limit ?", String.class, Times.db(closedBefore), limit);
    }

    /**
     * This instance takes the case for its purge: true for exactly one caller (the update is
     * conditional on purged_at being null and the case still closed and due).
     */
    public boolean claim(String caseId, Instant closedBefore, Instant now) {
        return jdbc.update("update hub_case set purged_at = ? where case_id = ? and purged_at is null and status in "
                + CLOSED + " and updated_at < ?", Times.db(now), caseId, Times.db(closedBefore)) == 1;
    }

    public List<AppealRow> appealsOf(String caseId) {
        return jdbc.query("select appeal_id, title, model_json from appeal where case_id = ?",
                (rs, n) -> new AppealRow(rs.getString(1), rs.getString(2), rs.getString(3)), caseId);
    }

    /** The appeal without its personal data: its phone key goes with the phone, so a phone search no longer finds it. */
    public void rewriteAppeal(String appealId, String title, String modelJson) {
        jdbc.update("update appeal set title = ?, model_json = ?, phone_key = ? where appeal_id = ?", title, modelJson,
                CaseStore.NO_PHONE_KEY, appealId);
    }

    /** Free texts kept with a case (case file details, feedback payloads), by table row: id and text. */
    public record TextRow(long id, String text) {}

    public List<TextRow> eventDetailsOf(String caseId) {
        return jdbc.query("select id, detail from case_event where case_id = ? and detail is not null",
                (rs, n) -> new TextRow(rs.getLong(1), rs.getString(2)), caseId);
    }

    public void rewriteEventDetail(long id, String detail) {
        jdbc.update("update case_event set detail = ? where id = ?", detail, id);
    }

    /** Feedback rows no longer owed (done, refused, called back): the text the citizen was sent. */
    public List<TextRow> settledFeedbackOf(String caseId) {
        return jdbc.query("select id, payload from feedback_outbox where case_id = ? and status <> 'PENDING'",
                (rs, n) -> new TextRow(rs.getLong(1), rs.getString(2)), caseId);
    }

    public void rewriteFeedback(long id, String payload) {
        jdbc.update("update feedback_outbox set payload = ? where id = ?", payload, id);
    }

    /** The raw bodies behind a case's appeals, emptied (size kept); returns how many. */
    public int purgeRawOfCase(String caseId, Instant now) {
        return jdbc.update("update raw_item set body_bytes = coalesce(body_bytes, octet_length(body)), body = ?, "
                        + "body_cut = true, purged_at = ? where purged_at is null and (appeal_id in (select appeal_id from appeal "
                        + "where case_id = ?) or id in (select s.raw_item_id from appeal_source s join appeal a on a.appeal_id "
                        + "= s.appeal_id where a.case_id = ?)) and not exists (select 1 from appeal_source s2 join appeal a2 on "
                        + "a2.appeal_id = s2.appeal_id join hub_case c2 on c2.case_id = a2.case_id where s2.raw_item_id = raw_item.id "
                        + "and c2.purged_at is null)",
                new byte[0], Times.db(now), caseId, caseId);
    }

    /**
     * Raw items that became no appeal (refused, malformed, duplicates, events), received before
     * {@code receivedBefore}: emptied; an item an unpurged case still refers to is left.
     */
    public int purgeOrphanRaw(Instant receivedBefore, Instant now, int limit) {
        List<Long> ids = jdbc.queryForList("select id from raw_item r where purged_at is null and received_at < ? "
                + "and (appeal_id is null or not exists (select 1 from appeal a where a.appeal_id = r.appeal_id)) "
                + "and not exists (select 1 from appeal_source s join appeal a on a.appeal_id = s.appeal_id "
                + "join hub_case c on c.case_id = a.case_id where s.raw_item_id = r.id and c.purged_at is null) "
                + "order by id limit ?", Long.class, Times.db(receivedBefore), limit);
        int n = 0;
        for (Long id : ids) {
            n += jdbc.update("update raw_item set body_bytes = coalesce(body_bytes, octet_length(body)), body = ?, "
                    + "body_cut = true, purged_at = ? where id = ? and purged_at is null", new byte[0], Times.db(now), id);
        }
        return n;
    }

    public void recordRun(Instant startedAt, Instant finishedAt, String instance, Instant closedBefore, int cases,
                          int appeals, int raw) {
        jdbc.update("insert into retention_run (started_at, finished_at, instance, closed_before, cases_purged, "
                        + "appeals_purged, raw_purged) values (?,?,?,?,?,?,?)", Times.db(startedAt), Times.db(finishedAt),
                instance, Times.db(closedBefore), cases, appeals, raw);
    }

    /** The latest runs that purged anything, newest first. */
    public List<Run> runs(int limit) {
        return jdbc.query("select * from retention_run order by id desc limit ?", (rs, n) -> new Run(rs.getLong("id"),
                Times.read(rs, "started_at"), Times.read(rs, "finished_at"), rs.getString("instance"),
                Times.read(rs, "closed_before"), rs.getInt("cases_purged"), rs.getInt("appeals_purged"),
                rs.getInt("raw_purged")), limit);
    }

    /** What was purged so far, and what is still kept whole. */
    public Map<String, Object> totals() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("casesPurged", jdbc.queryForObject("select count(*) from hub_case where purged_at is not null", Long.class));
        m.put("rawItemsPurged", jdbc.queryForObject("select count(*) from raw_item where purged_at is not null", Long.class));
        m.put("rawItemsCut", jdbc.queryForObject("select count(*) from raw_item where body_cut = true and purged_at is null",
                Long.class));
        m.put("lastCasePurgedAt", jdbc.query("select max(purged_at) as last_at from hub_case",
                (rs, n) -> Times.read(rs, "last_at")).stream().findFirst().orElse(null));
        m.put("lastRawPurgedAt", jdbc.query("select max(purged_at) as last_at from raw_item",
                (rs, n) -> Times.read(rs, "last_at")).stream().findFirst().orElse(null));
        return m;
    }
}
