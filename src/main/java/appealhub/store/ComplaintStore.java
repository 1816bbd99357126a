package appealhub.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/**
 * Complaints about progress (table progress_complaint, V13): a citizen dissatisfied (不满意)
 * with a case that is still open. There is nothing to re-open, so it goes to operations, who see
 * the open ones first (GET /ops/complaints) and mark each handled.
 */
@Repository
public class ComplaintStore {

    public record Complaint(long id, String caseId, String channel, String sourceItemId, String satisfaction,
                            String notes, String caseStatus, Instant receivedAt, Instant handledAt, String handledBy,
                            String handledNote) {
        public boolean open() {
            return handledAt == null;
        }
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public ComplaintStore(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** @return the new complaint's id */
    public long add(String caseId, String channel, String sourceItemId, String satisfaction, String notes,
                    String caseStatus) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(con -> {
            var ps = con.prepareStatement("insert into progress_complaint (case_id, channel, source_item_id, satisfaction, "
                    + "notes, case_status, received_at) values (?,?,?,?,?,?,?)", new String[] {"id"});
            ps.setString(1, caseId);
            ps.setString(2, channel);
            ps.setString(3, sourceItemId);
            ps.setString(4, satisfaction);
            ps.setString(5, notes);
            ps.setString(6, caseStatus);
            ps.setObject(7, Times.db(clock.instant()));
            return ps;
        }, keys);
        return keys.getKey().longValue();
    }

    public Complaint find(long id) {
        return jdbc.query("select * from progress_complaint where id = ?", this::complaint, id).stream().findFirst().orElse(null);
    }

    /** Open ones first, then the newest. */
    public List<Complaint> list(boolean openOnly, int limit) {
        return jdbc.query("select * from progress_complaint" + (openOnly ? " where handled_at is null" : "")
                + " order by case when handled_at is null then 0 else 1 end, id desc limit ?", this::complaint, limit);
    }

    public List<Complaint> ofCase(String caseId) {
        return jdbc.query("select * from progress_complaint where case_id = ? order by id", this::complaint, caseId);
    }

    public int openCount() {
        Integer n = jdbc.queryForObject("select count(*) from progress_complaint where handled_at is null", Integer.class);
        return n == null ? 0 : n;
    }

    /** @return true if marked now, false if it was handled before (or does not exist) */
    public boolean markHandled(long id, String operator, String note) {
        return jdbc.update("update progress_complaint set handled_at = ?, handled_by = ?, handled_note = ? "
                + "where id = ? and handled_at is null", Times.db(clock.instant()), operator, note, id) == 1;
    }

    private Complaint complaint(ResultSet rs, int n) throws SQLException {
        return new Complaint(rs.getLong("id"), rs.getString("case_id"), rs.getString("channel"),
                rs.getString("source_item_id"), rs.getString("satisfaction"), rs.getString("notes"),
                rs.getString("case_status"), Times.read(rs, "received_at"), Times.read(rs, "handled_at"),
                rs.getString("handled_by"), rs.getString("handled_note"));
    }
}
