package appealhub.connectors.wechat;

import appealhub.model.AppealLimits;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The nonces of signed pushes (V14__wechat_replay.sql), shared by every hub instance: a nonce is
 * taken once within the replay window. Its row is written in the transaction that stores the
 * push's raw item, and says that this raw item passed the replay checks.
 */
@Repository
public class WechatNonces {

    /** One push's signed query as it was checked. */
    public record Push(String nonce, long timestamp, String openid, long rawItemId) {}

    /** A raw message push left RECEIVED (the hub failed after storing it), with its checked query. */
    public record Stuck(long rawItemId, byte[] body, Instant receivedAt, long timestamp, String openid, String status, String note) {}

    private final JdbcTemplate jdbc;

    public WechatNonces(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @throws org.springframework.dao.DuplicateKeyException when the nonce was taken already (a replay) */
    public void take(String nonce, long timestamp, String openid, long rawItemId, Instant expiresAt) {
        jdbc.update("insert into wechat_nonce (nonce, push_timestamp, openid, raw_item_id, expires_at) values (?,?,?,?,?)",
                nonce, timestamp, AppealLimits.truncate(openid, 128), rawItemId, expiresAt.atOffset(ZoneOffset.UTC));
    }

    public Optional<Push> ofRawItem(long rawItemId) {
        return jdbc.query("select * from wechat_nonce where raw_item_id = ?", (rs, n) -> new Push(rs.getString("nonce"),
                rs.getLong("push_timestamp"), rs.getString("openid"), rs.getLong("raw_item_id")), rawItemId).stream().findFirst();
    }

    /**
     * A checked push the hub has not finished: still RECEIVED (the hub failed before taking it in),
     * or a text whose appeal was committed but whose follower bookkeeping (wechat_message) was not.
     */
    private static final String PENDING = "(r.parse_status = 'RECEIVED' or (r.parse_status in ('ACCEPTED', 'DUPLICATE') "
            + "and r.appeal_id is not null and not exists (select 1 from wechat_message m where m.msg_id = r.source_item_id)))";

    /** Checked pushes not finished ({@link #PENDING}), received before {@code before}: the hub failed on them. */
    public List<Stuck> stuck(Instant before, int limit) {
        return jdbc.query("select r.id, r.body, r.received_at, r.parse_status, r.parse_error, n.push_timestamp, n.openid from raw_item r "
                        + "join wechat_nonce n on n.raw_item_id = r.id where r.channel = ? and r.kind = 'message' "
                        + "and r.received_at < ? and " + PENDING + " order by r.id limit ?",
                (rs, n) -> new Stuck(rs.getLong("id"), rs.getBytes("body"),
                        rs.getObject("received_at", OffsetDateTime.class).toInstant(), rs.getLong("push_timestamp"),
                        rs.getString("openid"), rs.getString("parse_status"), rs.getString("parse_error")),
                WechatMapper.CHANNEL, before.atOffset(ZoneOffset.UTC), limit);
    }

    /** Drops nonces past their window whose push is finished (a pending one still waits for the recovery). */
    public int purge(Instant now) {
        return jdbc.update("delete from wechat_nonce where expires_at < ? and not exists (select 1 from raw_item r "
                + "where r.id = wechat_nonce.raw_item_id and " + PENDING + ")", now.atOffset(ZoneOffset.UTC));
    }
}
