package appealhub.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.connectors.wechat.WechatCheckedPushes;
import appealhub.connectors.wechat.WechatInbound;
import appealhub.store.NonceStore;
import appealhub.support.MutableClock;
import appealhub.support.ScratchPostgres;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * V20 on a database that ran WeChat with its own nonce table (wechat_nonce, V14), on H2 (the
 * embedded default, PostgreSQL mode) and on PostgreSQL: the nonces move to the shared replay
 * guard (a push captured before the upgrade is still refused after it), the raw items they
 * marked are still the ones the recovery may take in, and the old table is gone.
 */
class WechatNonceMigrationTest {
    static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    static final String PENDING_BODY = "<xml><FromUserName>oMig-1</FromUserName><MsgType>text</MsgType>"
            + "<Content>冀州镇北关村路灯不亮</Content><MsgId>9000000001</MsgId></xml>";

    @Test
    void onH2() {
        DataSource ds = new DriverManagerDataSource("jdbc:h2:mem:v20-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "");
        migrateAndCheck(ds);
    }

    @Test
    void onPostgres() {
        try (ScratchPostgres pg = new ScratchPostgres("appealhub_test_v20")) {
            migrateAndCheck(new DriverManagerDataSource(pg.url(), ScratchPostgres.USER, ""));
        }
    }

    private static void migrateAndCheck(DataSource ds) {
        // Up to the migration just before V20 (whatever number it has).
        MigrationVersion v20 = MigrationVersion.fromVersion("20");
        MigrationVersion before = Arrays.stream(Flyway.configure().dataSource(ds).locations("classpath:db/migration").load()
                .info().all()).map(MigrationInfo::getVersion).filter(v -> v.compareTo(v20) < 0).max(Comparator.naturalOrder()).orElseThrow();
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").target(before).load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        // Before: a push stored and checked but not taken in yet (the hub failed), its nonce still in the window;
        // an event taken in long ago, its nonce past the window.
        long pending = raw(jdbc, PENDING_BODY, "RECEIVED", NOW.minusSeconds(30));
        long finished = raw(jdbc, "<xml><MsgType>event</MsgType></xml>", "ACCEPTED", NOW.minusSeconds(3600));
        jdbc.update("insert into wechat_nonce (nonce, push_timestamp, openid, raw_item_id, expires_at) values (?,?,?,?,?)",
                "n-pending", NOW.minusSeconds(30).getEpochSecond(), "oMig-1", pending, NOW.plusSeconds(270).atOffset(ZoneOffset.UTC));
        jdbc.update("insert into wechat_nonce (nonce, push_timestamp, openid, raw_item_id, expires_at) values (?,?,?,?,?)",
                "n-old", NOW.minusSeconds(3600).getEpochSecond(), "oMig-2", finished, NOW.minusSeconds(3300).atOffset(ZoneOffset.UTC));

        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();

        assertThat(jdbc.queryForObject("select count(*) from information_schema.tables where lower(table_name) = 'wechat_nonce'",
                Integer.class)).as("the old table is gone").isZero();
        assertThat(jdbc.queryForObject("select count(*) from replay_nonce where scope = ?", Integer.class,
                WechatInbound.NONCE_SCOPE)).isEqualTo(2);

        // The replay guard knows the nonce that is still in its window: a replay is refused, whatever its body.
        MutableClock clock = new MutableClock(NOW);
        NonceStore nonces = new NonceStore(jdbc, clock);
        Instant expires = NonceStore.expiryOf(NOW, Duration.ofSeconds(300));
        assertThat(nonces.remember(WechatInbound.NONCE_SCOPE, "n-pending", "<xml>forged</xml>".getBytes(StandardCharsets.UTF_8), expires))
                .isEqualTo(NonceStore.Verdict.REUSED);
        assertThat(nonces.remember(WechatInbound.NONCE_SCOPE, "n-pending", PENDING_BODY.getBytes(StandardCharsets.UTF_8), expires))
                .isEqualTo(NonceStore.Verdict.SAME_BODY);
        assertThat(nonces.remember(WechatInbound.NONCE_SCOPE, "n-old", new byte[0], expires))
                .as("past its window: taken over").isEqualTo(NonceStore.Verdict.FRESH);
        assertThat(nonces.remember("hotline12345", "n-pending", new byte[0], expires)).as("another channel's scope")
                .isEqualTo(NonceStore.Verdict.FRESH);

        // The recovery still finds the pending push, with its checked query; the finished one's mark is dropped.
        WechatCheckedPushes checked = new WechatCheckedPushes(jdbc);
        List<WechatCheckedPushes.Stuck> stuck = checked.stuck(NOW, 10);
        assertThat(stuck).singleElement().satisfies(s -> {
            assertThat(s.rawItemId()).isEqualTo(pending);
            assertThat(s.openid()).isEqualTo("oMig-1");
            assertThat(s.timestamp()).isEqualTo(NOW.minusSeconds(30).getEpochSecond());
            assertThat(new String(s.body(), StandardCharsets.UTF_8)).isEqualTo(PENDING_BODY);
        });
        assertThat(checked.purgeFinished(NOW)).isEqualTo(1);
        assertThat(jdbc.queryForList("select raw_item_id from wechat_checked_push", Long.class)).containsExactly(pending);
    }

    private static long raw(JdbcTemplate jdbc, String body, String status, Instant at) {
        jdbc.update("insert into raw_item (channel, kind, content_type, body, received_at, parse_status) values (?,?,?,?,?,?)",
                "wechat", "message", "text/xml", body.getBytes(StandardCharsets.UTF_8), at.atOffset(ZoneOffset.UTC), status);
        return jdbc.queryForObject("select max(id) from raw_item", Long.class);
    }
}
