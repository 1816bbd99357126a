package appealhub.connectors.wechat;

import appealhub.model.AppealLimits;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Which stored pushes passed the signature and replay checks (table wechat_checked_push, V20):
 * the mark is written in the transaction that stores the push's raw item and takes its nonce
 * (the shared replay guard, appealhub.store.NonceStore, scope {@code wechat}). Only a marked raw
 * item is ever taken in by {@link WechatRecovery}: a raw item the hub stored without the checks
 * passing (a refused push whose REJECTED mark never came) is not. A mark is dropped once its push
 * is finished.
 */
@Repository
public class WechatCheckedPushes {

    /** A raw message push left RECEIVED (the hub failed after storing it), with its checked query. */
    public record Stuck(long rawItemId, byte[] body, Instant receivedAt, long timestamp, String openid, String status, String note) {}

    private final JdbcTemplate jdbc;

    public WechatCheckedPushes(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Marks {@code rawItemId} as checked, with the signed query's timestamp and openid (in the caller's transaction). */
    public void mark(long rawItemId, long timestamp, String openid, Instant now) {
        jdbc.update("insert into wechat_checked_push (raw_item_id, push_timestamp, openid, checked_at) values (?,?,?,?)",
                rawItemId, timestamp, AppealLimits.truncate(openid, 128), now.atOffset(ZoneOffset.UTC));
    }

    /**
     * A checked push the hub has not finished: still RECEIVED (the hub failed before taking it in),
     * or a text whose appeal was committed but whose follower bookkeeping (wechat_message) was not.
     */
    private static final String PENDING = "(r.parse_status = 'RECEIVED' or (r.parse_status in ('ACCEPTED', 'DUPLICATE') "
            + "and r.appeal_id is not null and not exists (select 1 from wechat_message m where m.msg_id = r.source_item_id)))";

    /** Checked pushes not finished ({@link #PENDING}), received before {@code before}: the hub failed on them. */
    public List<Stuck> stuck(Instant before, int limit) {
        return jdbc.query("select r.id, r.body, r.received_at, r.parse_status, r.parse_error, c.push_timestamp, c.openid from raw_item r "
                        + "join wechat_checked_push c on c.raw_item_id = r.id where r.channel = ? and r.kind = 'message' "
                        + "and r.received_at < ? and " + PENDING + " order by r.id limit ?",
                (rs, n) -> new Stuck(rs.getLong("id"), rs.getBytes("body"),
                        rs.getObject("received_at", OffsetDateTime.class).toInstant(), rs.getLong("push_timestamp"),
                        rs.getString("openid"), rs.getString("parse_status"), rs.getString("parse_error")),
                WechatMapper.CHANNEL, before.atOffset(ZoneOffset.UTC), limit);
    }

    /**
     * Drops the marks of finished pushes checked before {@code before} (a pending one still waits for the
     * recovery; a push being handled right now is left alone by the time bound).
     */
    public int purgeFinished(Instant before) {
        return jdbc.update("delete from wechat_checked_push where checked_at < ? and not exists (select 1 from raw_item r "
                + "where r.id = wechat_checked_push.raw_item_id and " + PENDING + ")", before.atOffset(ZoneOffset.UTC));
    }
}
