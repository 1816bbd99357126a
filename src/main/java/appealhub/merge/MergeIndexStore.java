package appealhub.merge;

import java.nio.ByteBuffer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.sql.Types;
import java.time.Instant;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;

/** Table merge_index (V7): the persisted form of {@link IndexedCase}. */
public final class MergeIndexStore {
    private final JdbcTemplate jdbc;
    private final int version;

    public MergeIndexStore(JdbcTemplate jdbc, int version) {
        this.jdbc = jdbc;
        this.version = version;
    }

    public void save(IndexedCase e, Instant now) {
        Object[] args = {utc(e.receivedAt()), e.townshipCode(), e.place(),
                Double.isNaN(e.lat()) ? null : e.lat(), Double.isNaN(e.lon()) ? null : e.lon(), e.phoneHmac(), version,
                pack(e.shingles()), pack(e.signature()), e.prefixSignature() == null ? null : pack(e.prefixSignature()),
                utc(now), e.caseId()};
        int[] types = {Types.TIMESTAMP_WITH_TIMEZONE, Types.VARCHAR, Types.VARCHAR, Types.DOUBLE, Types.DOUBLE,
                Types.VARCHAR, Types.INTEGER, Types.BINARY, Types.BINARY, Types.BINARY, Types.TIMESTAMP_WITH_TIMEZONE,
                Types.VARCHAR};
        int n = jdbc.update("update merge_index set received_at = ?, township_code = ?, place = ?, lat = ?, lon = ?,"
                + " phone_hmac = ?, minhash_version = ?, shingles = ?, signature = ?, prefix_signature = ?,"
                + " indexed_at = ?, seq = nextval('merge_index_seq') where case_id = ?", args, types);
        if (n == 0) {
            jdbc.update("insert into merge_index (received_at, township_code, place, lat, lon, phone_hmac,"
                    + " minhash_version, shingles, signature, prefix_signature, indexed_at, case_id, seq)"
                    + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, nextval('merge_index_seq'))", args, types);
        }
    }

    public void delete(String caseId) {
        jdbc.update("delete from merge_index where case_id = ?", caseId);
    }

    /** Deletes rows received before the cut-off (out of every window); returns how many. */
    public java.util.List<String> caseIdsReceivedBefore(Instant cutoff, int limit) {
        return jdbc.queryForList("select case_id from merge_index where received_at < ? order by received_at limit ?",
                String.class, utc(cutoff), limit);
    }

    public int deleteReceivedBefore(Instant cutoff) {
        return jdbc.update("delete from merge_index where received_at < ?", utc(cutoff));
    }

    /**
     * Streams every row received at or after since. Rows signed with another MinHash
     * version (other bands/rows) come with a null signature and no prefix signature: the
     * caller re-signs them from their shingles.
     */
    public void loadSince(Instant since, Consumer<IndexedCase> sink) {
        jdbc.setFetchSize(1000);
        jdbc.query("select case_id, received_at, township_code, place, lat, lon, phone_hmac, minhash_version,"
                + " shingles, signature, prefix_signature from merge_index where received_at >= ?",
                rs -> {
                    sink.accept(row(rs));
                }, utc(since));
    }

    /** The highest row number saved so far (0 for an empty index). */
    public long maxSeq() {
        Long max = jdbc.queryForObject("select max(seq) from merge_index", Long.class);
        return max == null ? 0 : max;
    }

    /** A row read by its number, for an instance following the index. */
    public record Numbered(long seq, IndexedCase row) {}

    /** Rows numbered after {@code after}, and the rows numbered {@code gaps} (committed late), by number. */
    public java.util.List<Numbered> savedAfter(long after, java.util.Collection<Long> gaps, int limit) {
        String columns = "select seq, case_id, received_at, township_code, place, lat, lon, phone_hmac, minhash_version,"
                + " shingles, signature, prefix_signature from merge_index ";
        java.util.List<Numbered> rows = new java.util.ArrayList<>(jdbc.query(columns + "where seq > ? order by seq limit ?",
                (rs, n) -> new Numbered(rs.getLong("seq"), row(rs)), after, limit));
        if (!gaps.isEmpty()) {
            String in = String.join(",", java.util.Collections.nCopies(gaps.size(), "?"));
            rows.addAll(jdbc.query(columns + "where seq in (" + in + ")",
                    (rs, n) -> new Numbered(rs.getLong("seq"), row(rs)), gaps.toArray()));
        }
        return rows;
    }

    private IndexedCase row(ResultSet rs) throws SQLException {
        double lat = rs.getDouble("lat");
        if (rs.wasNull()) {
            lat = Double.NaN;
        }
        double lon = rs.getDouble("lon");
        if (rs.wasNull()) {
            lon = Double.NaN;
        }
        boolean current = rs.getInt("minhash_version") == version;
        byte[] prefix = rs.getBytes("prefix_signature");
        return new IndexedCase(rs.getString("case_id"), rs.getObject("received_at", OffsetDateTime.class).toInstant(),
                rs.getString("township_code"), rs.getString("place"), lat, lon, rs.getString("phone_hmac"),
                unpack(rs.getBytes("shingles")), current ? unpack(rs.getBytes("signature")) : null,
                current && prefix != null ? unpack(prefix) : null);
    }

    static byte[] pack(int[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4);
        b.asIntBuffer().put(values);
        return b.array();
    }

    static int[] unpack(byte[] bytes) {
        int[] v = new int[bytes.length / 4];
        ByteBuffer.wrap(bytes).asIntBuffer().get(v);
        return v;
    }

    /** "timestamp with time zone" parameters as OffsetDateTime: the same on H2 and PostgreSQL. */
    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
