package appealhub.store;

import appealhub.model.AppealLimits;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/**
 * Raw inbound items: written first, in a transaction of their own, before any parsing
 * and before the sender is answered. Statuses then say what became of each item.
 *
 * <p>A body the hub refused ({@link Status#REJECTED}: unauthenticated, oversized, of a wrong
 * content type) is not kept whole: only its first {@code hub.push.stored-prefix-bytes} bytes, its
 * size and (when it was read whole) its SHA-256 (columns body_bytes, body_sha256, body_cut).
 * Nobody can fill the store with bodies nobody vouched for, and a sender that re-sends still
 * leaves a trace of each try.
 */
@Repository
public class RawItemStore {
    public enum Status { RECEIVED, ACCEPTED, DUPLICATE, INVALID, REJECTED }

    public record RawItem(long id, String channel, String kind, String sourceItemId, String contentType,
                          byte[] body, Instant receivedAt, String status, String error, String appealId) {}

    /** The default of {@code hub.push.stored-prefix-bytes}. */
    public static final int DEFAULT_PREFIX_BYTES = 1024;

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final int prefixBytes;

    public RawItemStore(JdbcTemplate jdbc, Clock clock,
                        @Value("${hub.push.stored-prefix-bytes:" + DEFAULT_PREFIX_BYTES + "}") int prefixBytes) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.prefixBytes = Math.max(0, prefixBytes);
    }

    /** How many bytes of a refused body are kept. */
    public int prefixBytes() {
        return prefixBytes;
    }

    /**
     * An item refused before it was read whole (too large, wrong content type, flooding): its
     * metadata and first bytes only, stored {@link Status#REJECTED} with the reason.
     *
     * @param head        the bytes read (only the first {@link #prefixBytes()} are kept)
     * @param totalBytes  the size as declared or counted (null when unknown)
     * @param sha256      the whole body's digest, when it was read whole (null otherwise)
     */
    public long storeRefused(String channel, String kind, String contentType, byte[] head, Long totalBytes, String sha256,
                             String error) {
        byte[] prefix = head == null ? new byte[0] : Arrays.copyOf(head, Math.min(head.length, prefixBytes));
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(con -> {
            var ps = con.prepareStatement(
                    "insert into raw_item (channel, kind, content_type, body, received_at, parse_status, parse_error, "
                            + "body_bytes, body_sha256, body_cut) values (?,?,?,?,?,?,?,?,?,?)",
                    new String[] {"id"});
            ps.setString(1, channel);
            ps.setString(2, kind);
            ps.setString(3, AppealLimits.truncate(contentType, AppealLimits.CONTENT_TYPE));
            ps.setBytes(4, prefix);
            ps.setObject(5, Times.db(clock.instant()));
            ps.setString(6, Status.REJECTED.name());
            ps.setString(7, truncate(error));
            ps.setObject(8, totalBytes);
            ps.setString(9, sha256);
            ps.setBoolean(10, true);
            return ps;
        }, keys);
        return keys.getKey().longValue();
    }

    /** Lowercase hex SHA-256 of the bytes. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A content type over its column (raw_item.content_type) is stored cut: the raw body is what matters. */
    public long store(String channel, String kind, String contentType, byte[] body) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(con -> {
            var ps = con.prepareStatement(
                    "insert into raw_item (channel, kind, content_type, body, received_at, parse_status) values (?,?,?,?,?,?)",
                    new String[] {"id"});
            ps.setString(1, channel);
            ps.setString(2, kind);
            ps.setString(3, AppealLimits.truncate(contentType, AppealLimits.CONTENT_TYPE));
            ps.setBytes(4, body);
            ps.setObject(5, Times.db(clock.instant()));
            ps.setString(6, Status.RECEIVED.name());
            return ps;
        }, keys);
        return keys.getKey().longValue();
    }

    /**
     * A source item id over its column (a bad item's own id may be) is kept cut, so marking the
     * item never fails; {@link #bySource} looks it up cut the same way.
     */
    public void mark(long id, Status status, String sourceItemId, String appealId, String error) {
        jdbc.update("update raw_item set parse_status = ?, source_item_id = coalesce(?, source_item_id), "
                        + "appeal_id = coalesce(?, appeal_id), parse_error = ? where id = ?",
                status.name(), AppealLimits.truncate(sourceItemId, AppealLimits.SOURCE_ITEM_ID), appealId, truncate(error), id);
        if (status == Status.REJECTED) cut(id);
    }

    /**
     * A refused item (bad signature, bad key) keeps its first bytes, its size and its digest; the
     * rest of the body is dropped. Stored whole first because the hub could not know yet.
     */
    private void cut(long id) {
        List<byte[]> bodies = jdbc.query("select body from raw_item where id = ? and body_cut = false",
                (rs, n) -> rs.getBytes(1), id);
        if (bodies.isEmpty() || bodies.get(0) == null) return;
        byte[] body = bodies.get(0);
        jdbc.update("update raw_item set body = ?, body_bytes = ?, body_sha256 = ?, body_cut = true where id = ?",
                Arrays.copyOf(body, Math.min(body.length, prefixBytes)), (long) body.length, sha256(body), id);
    }

    public RawItem find(long id) {
        return jdbc.query("select * from raw_item where id = ?", (rs, n) -> map(rs), id)
                .stream().findFirst().orElse(null);
    }

    public List<RawItem> byStatus(String status, int limit) {
        return jdbc.query("select * from raw_item where parse_status = ? order by id desc limit ?",
                (rs, n) -> map(rs), status, limit);
    }

    public List<RawItem> bySource(String channel, String sourceItemId) {
        return jdbc.query("select * from raw_item where channel = ? and source_item_id = ? order by id",
                (rs, n) -> map(rs), channel, AppealLimits.truncate(sourceItemId, AppealLimits.SOURCE_ITEM_ID));
    }

    private static RawItem map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new RawItem(rs.getLong("id"), rs.getString("channel"), rs.getString("kind"),
                rs.getString("source_item_id"), rs.getString("content_type"), rs.getBytes("body"),
                Times.read(rs, "received_at"), rs.getString("parse_status"), rs.getString("parse_error"),
                rs.getString("appeal_id"));
    }

    private static String truncate(String s) {
        return AppealLimits.truncate(s, AppealLimits.PARSE_ERROR);
    }
}
