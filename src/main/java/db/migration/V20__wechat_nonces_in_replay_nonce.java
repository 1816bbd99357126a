package db.migration;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Issue 14: one replay guard for every signed channel. WeChat's nonces (wechat_nonce, V14) move to
 * the shared replay_nonce (V13) under scope {@code wechat}; what stays WeChat's own is the mark that
 * a stored raw item passed the signature and replay checks, which the recovery (WechatRecovery)
 * needs: table wechat_checked_push.
 *
 * <p>In Java because replay_nonce keeps the SHA-256 (hex) of each nonce and of its body, and H2
 * and PostgreSQL share no SQL for that (H2: HASH/RAWTOHEX, PostgreSQL: sha256/encode). Every
 * nonce row moves, expired or not (NonceStore purges the expired ones), so that a push captured
 * just before the upgrade is still refused after it. The DDL is the same on both databases.
 */
public class V20__wechat_nonces_in_replay_nonce extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection db = context.getConnection();
        try (Statement s = db.createStatement()) {
            // One row per raw item that passed the checks (what the recovery may take in); the recovery deletes
            // it once its push is finished. The openid is the signed query's, checked against the body's FromUserName.
            s.execute("create table wechat_checked_push ("
                    + " raw_item_id bigint primary key references raw_item (id),"
                    + " push_timestamp bigint not null,"  // the query's timestamp (epoch seconds)
                    + " openid varchar(128),"            // the query's openid
                    + " checked_at timestamp with time zone not null)");
            s.execute("insert into wechat_checked_push (raw_item_id, push_timestamp, openid, checked_at) "
                    + "select n.raw_item_id, n.push_timestamp, n.openid, r.received_at from wechat_nonce n "
                    + "join raw_item r on r.id = n.raw_item_id");
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (Statement s = db.createStatement();
             ResultSet rows = s.executeQuery("select n.nonce, n.expires_at, r.body from wechat_nonce n "
                     + "left join raw_item r on r.id = n.raw_item_id");
             PreparedStatement insert = db.prepareStatement("insert into replay_nonce "
                     + "(scope, nonce_hash, body_hash, expires_at, created_at) values ('wechat', ?, ?, ?, ?) "
                     + "on conflict do nothing")) {
            int batched = 0;
            while (rows.next()) {
                byte[] body = rows.getBytes("body");
                insert.setString(1, sha256(rows.getString("nonce").getBytes(StandardCharsets.UTF_8)));
                insert.setString(2, sha256(body == null ? new byte[0] : body));
                insert.setObject(3, rows.getObject("expires_at", OffsetDateTime.class));
                insert.setObject(4, now);
                insert.addBatch();
                if (++batched % 500 == 0) insert.executeBatch();
            }
            insert.executeBatch();
        }
        try (Statement s = db.createStatement()) {
            s.execute("drop table wechat_nonce");
        }
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
