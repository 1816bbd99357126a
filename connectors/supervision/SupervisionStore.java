package appealhub.connectors.supervision;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/** The channel's tables (V5__supervision.sql): files read, results owed, result batches. */
@Repository
public class SupervisionStore {

    /** substituted: the characters GBK cannot hold that were recorded as □ (U+XXXX ...), or null. */
    public record Result(long id, String clueId, String kind, String statusText, String resultText, String orgName,
                         Instant at, Long batchId, String substituted) {}

    public record Batch(long id, String day, int seq, String fileName, String status, int rows, Instant createdAt,
                        Instant writtenAt) {}

    public record FileRecord(long id, String fileName, long rawItemId, String status, int rowsTotal, int rowsTaken,
                             int rowsKnown, int rowsBad, String reason, String movedTo, String errorsFile,
                             Instant processedAt) {}

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    public SupervisionStore(JdbcTemplate jdbc, TransactionTemplate tx, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
    }

    // ------------------------------------------------------------------ inbound files

    public void recordFile(String fileName, long rawItemId, String status, int total, int taken, int known, int bad,
                           String reason, String movedTo, String errorsFile) {
        jdbc.update("insert into supervision_file (file_name, raw_item_id, status, rows_total, rows_taken, rows_known, "
                        + "rows_bad, reason, moved_to, errors_file, processed_at) values (?,?,?,?,?,?,?,?,?,?,?)",
                fileName, rawItemId, status, total, taken, known, bad, truncate(reason, 2000), movedTo, errorsFile,
                db(clock.instant()));
    }

    public List<FileRecord> files(int limit) {
        return jdbc.query("select * from supervision_file order by id desc limit ?", (rs, n) -> new FileRecord(
                rs.getLong("id"), rs.getString("file_name"), rs.getLong("raw_item_id"), rs.getString("status"),
                rs.getInt("rows_total"), rs.getInt("rows_taken"), rs.getInt("rows_known"), rs.getInt("rows_bad"),
                rs.getString("reason"), rs.getString("moved_to"), rs.getString("errors_file"),
                read(rs, "processed_at")), limit);
    }

    // ------------------------------------------------------------------ results

    /** @return true if recorded now, false if this very feedback item was recorded before */
    public boolean recordResult(String clueId, String kind, String statusText, String text, String orgName, Instant at) {
        return recordResult(clueId, kind, statusText, text, orgName, at, null);
    }

    /** @param substituted the characters GBK cannot hold that text and orgName have as □ (U+XXXX ...), or null */
    public boolean recordResult(String clueId, String kind, String statusText, String text, String orgName, Instant at,
                                String substituted) {
        // ON CONFLICT: a caught unique violation would abort a surrounding transaction on PostgreSQL
        return jdbc.update("insert into supervision_result (clue_id, kind, status_text, result_text, org_name, result_at, "
                        + "created_at, gbk_substituted) values (?,?,?,?,?,?,?,?) on conflict do nothing",
                clueId, kind, statusText, text, truncate(orgName, 128), db(at), db(clock.instant()),
                truncate(substituted, 500)) == 1;
    }

    /** The latest results recorded with characters GBK cannot hold (written as □), for operations. */
    public List<Result> substituted(int limit) {
        return jdbc.query("select * from supervision_result where gbk_substituted is not null order by id desc limit ?",
                this::result, limit);
    }

    public List<Result> resultsOf(long batchId) {
        return jdbc.query("select * from supervision_result where batch_id = ? order by id", this::result, batchId);
    }

    public List<Result> resultsOfClue(String clueId) {
        return jdbc.query("select * from supervision_result where clue_id = ? order by id", this::result, clueId);
    }

    public int unbatchedCount() {
        Integer n = jdbc.queryForObject("select count(*) from supervision_result where batch_id is null", Integer.class);
        return n == null ? 0 : n;
    }

    // ------------------------------------------------------------------ batches

    /**
     * Assigns every result not yet in a batch to a new batch of the day (NNN = that day's next
     * number), in one transaction. Null when there is nothing to assign: no batch, no file.
     */
    public Batch assignBatch(String day) {
        for (int attempt = 0; ; attempt++) {
            try {
                return tx.execute(status -> {
                    Long maxId = jdbc.queryForObject("select max(id) from supervision_result where batch_id is null", Long.class);
                    if (maxId == null) return null;
                    Integer last = jdbc.queryForObject("select max(seq) from supervision_batch where batch_day = ?",
                            Integer.class, day);
                    int seq = last == null ? 1 : last + 1;
                    String fileName = "DCJG_" + day + "_" + String.format("%03d", seq) + ".csv";
                    Instant now = clock.instant();
                    GeneratedKeyHolder keys = new GeneratedKeyHolder();
                    jdbc.update(con -> {
                        var ps = con.prepareStatement("insert into supervision_batch (batch_day, seq, file_name, status, "
                                + "rows_count, created_at) values (?,?,?,?,0,?)", new String[] {"id"});
                        ps.setString(1, day);
                        ps.setInt(2, seq);
                        ps.setString(3, fileName);
                        ps.setString(4, "ASSIGNED");
                        ps.setObject(5, db(now));
                        return ps;
                    }, keys);
                    long id = keys.getKey().longValue();
                    int rows = jdbc.update("update supervision_result set batch_id = ? where batch_id is null and id <= ?",
                            id, maxId);
                    if (rows == 0) {
                        // Another instance took them between our two statements.
                        status.setRollbackOnly();
                        return null;
                    }
                    jdbc.update("update supervision_batch set rows_count = ? where id = ?", rows, id);
                    return new Batch(id, day, seq, fileName, "ASSIGNED", rows, now, null);
                });
            } catch (DuplicateKeyException sameNumber) {
                // Another instance numbered a batch of the day at the same moment: take the next number.
                if (attempt >= 5) throw sameNumber;
            }
        }
    }

    public void markBatch(long id, String status) {
        jdbc.update("update supervision_batch set status = ?, written_at = ? where id = ?", status,
                "WRITTEN".equals(status) ? db(clock.instant()) : null, id);
    }

    /** Batches assigned but not known to be finished (a crash between the steps): repaired by the next run. */
    public List<Batch> unfinishedBatches() {
        return jdbc.query("select * from supervision_batch where status <> 'WRITTEN' order by id", this::batch);
    }

    public List<Batch> batches(int limit) {
        return jdbc.query("select * from supervision_batch order by id desc limit ?", this::batch, limit);
    }

    public Map<String, Object> counts() {
        return Map.of(
                "resultsWaiting", unbatchedCount(),
                "batches", jdbc.queryForObject("select count(*) from supervision_batch", Integer.class),
                "files", jdbc.queryForObject("select count(*) from supervision_file", Integer.class));
    }

    private Result result(ResultSet rs, int n) throws SQLException {
        long batch = rs.getLong("batch_id");
        Long batchId = rs.wasNull() ? null : batch;
        return new Result(rs.getLong("id"), rs.getString("clue_id"), rs.getString("kind"), rs.getString("status_text"),
                rs.getString("result_text"), rs.getString("org_name"), read(rs, "result_at"), batchId,
                rs.getString("gbk_substituted"));
    }

    private Batch batch(ResultSet rs, int n) throws SQLException {
        return new Batch(rs.getLong("id"), rs.getString("batch_day"), rs.getInt("seq"), rs.getString("file_name"),
                rs.getString("status"), rs.getInt("rows_count"), read(rs, "created_at"), read(rs, "written_at"));
    }

    static OffsetDateTime db(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }

    static Instant read(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
