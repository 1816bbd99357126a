package appealhub.connectors.wechat;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Follower state of the WeChat channel (V4__wechat.sql): each follower's latest text appeal,
 * and every text, location and image message by MsgId. Callers lock a follower's row
 * ({@link #lockFollower}) inside a transaction so a text and a location arriving at the same
 * moment are attached to each other exactly once.
 */
@Repository
public class WechatFollowers {

    public record Follower(String openid, String lastMsgId, String lastAppealId, Instant lastTextAt) {}

    public record Message(String msgId, String openid, String msgType, Instant createdAt, long rawItemId,
                          String detail, String appealId, Instant attachedAt) {}

    private final JdbcTemplate jdbc;

    public WechatFollowers(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Makes sure the follower has a row (its own statement: a failed insert must not spoil a transaction). */
    public void ensureFollower(String openid, Instant now) {
        if (!jdbc.queryForList("select openid from wechat_follower where openid = ?", String.class, openid).isEmpty()) {
            return;
        }
        try {
            jdbc.update("insert into wechat_follower (openid, updated_at) values (?, ?)", openid, db(now));
        } catch (DuplicateKeyException raceLost) {
            // another push of the same follower created it first
        }
    }

    /** Locks the follower's row for the rest of the transaction. */
    public Follower lockFollower(String openid) {
        return jdbc.query("select * from wechat_follower where openid = ? for update", (rs, n) -> new Follower(
                rs.getString("openid"), rs.getString("last_msg_id"), rs.getString("last_appeal_id"),
                read(rs, "last_text_at")), openid).stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("follower row missing"));
    }

    public void setLastText(String openid, String msgId, String appealId, Instant textAt, Instant now) {
        jdbc.update("update wechat_follower set last_msg_id = ?, last_appeal_id = ?, last_text_at = ?, updated_at = ? "
                + "where openid = ?", msgId, appealId, db(textAt), db(now), openid);
    }

    public Optional<Message> message(String msgId) {
        return jdbc.query("select * from wechat_message where msg_id = ?", (rs, n) -> map(rs), msgId).stream().findFirst();
    }

    /** @return false if a message with this MsgId is already there */
    public boolean insertMessage(String msgId, String openid, String msgType, Instant createdAt, long rawItemId,
                                 String detail, String appealId, Instant attachedAt) {
        if (message(msgId).isPresent()) return false;
        jdbc.update("insert into wechat_message (msg_id, openid, msg_type, created_at, raw_item_id, detail, appeal_id, "
                        + "attached_at) values (?,?,?,?,?,?,?,?)",
                msgId, openid, msgType, db(createdAt), rawItemId, detail, appealId, db(attachedAt));
        return true;
    }

    /** Locations and images of the follower not attached to any appeal, sent between from and to. */
    public List<Message> heldBetween(String openid, Instant from, Instant to) {
        return jdbc.query("select * from wechat_message where openid = ? and msg_type in ('location', 'image') and appeal_id is null "
                        + "and created_at >= ? and created_at <= ? order by created_at, msg_id",
                (rs, n) -> map(rs), openid, db(from), db(to));
    }

    public void markAttached(String msgId, String appealId, Instant now) {
        jdbc.update("update wechat_message set appeal_id = ?, attached_at = ? where msg_id = ?", appealId, db(now), msgId);
    }

    private static Message map(ResultSet rs) throws SQLException {
        return new Message(rs.getString("msg_id"), rs.getString("openid"), rs.getString("msg_type"),
                read(rs, "created_at"), rs.getLong("raw_item_id"), rs.getString("detail"), rs.getString("appeal_id"),
                read(rs, "attached_at"));
    }

    private static OffsetDateTime db(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant read(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
