package appealhub.store;

import appealhub.model.AppealLimits;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/**
 * Raw inbound items: written first, in a transaction of their own, before any parsing
 * and before the sender is answered. Statuses then say what became of each item.
 */
@Repository
public class RawItemStore {
    public enum Status { RECEIVED, ACCEPTED, DUPLICATE, INVALID, REJECTED }

    public record RawItem(long id, String channel, String kind, String sourceItemId, String contentType,
                          byte[] body, Instant receivedAt, String status, String error, String appealId) {}

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public RawItemStore(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
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
