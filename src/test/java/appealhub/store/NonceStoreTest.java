package appealhub.store;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.support.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The replay guard's table on its own (H2 in PostgreSQL mode, as the embedded hub runs it, all
 * migrations applied): two stores on one database share what they saw; a nonce lives for its
 * window and is purged after.
 */
class NonceStoreTest {
    static final Duration WINDOW = Duration.ofSeconds(300);

    @Test
    void twoStoresOnOneDatabaseShareTheNoncesAndExpiredOnesArePurgedOrTakenOver() {
        DriverManagerDataSource ds = new DriverManagerDataSource("jdbc:h2:mem:nonce-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        MutableClock clock = new MutableClock(Instant.parse("2025-04-09T00:31:02Z"));
        NonceStore one = new NonceStore(new JdbcTemplate(ds), clock);
        NonceStore other = new NonceStore(new JdbcTemplate(ds), clock);
        byte[] body = "{\"gdbh\":\"GD1\"}".getBytes(StandardCharsets.UTF_8);
        byte[] forged = "{\"gdbh\":\"GD2\"}".getBytes(StandardCharsets.UTF_8);
        Instant expires = NonceStore.expiryOf(clock.instant(), WINDOW);

        assertThat(one.remember("hotline12345", "n-1", body, expires)).isEqualTo(NonceStore.Verdict.FRESH);
        assertThat(other.remember("hotline12345", "n-1", body, expires)).isEqualTo(NonceStore.Verdict.SAME_BODY);
        assertThat(other.remember("hotline12345", "n-1", forged, expires)).isEqualTo(NonceStore.Verdict.REUSED);
        assertThat(one.remember("wechat", "n-1", forged, expires)).as("scopes apart").isEqualTo(NonceStore.Verdict.FRESH);
        // A nonce of any length or content is kept as its hash.
        String odd = "x".repeat(5000) + "'; drop table replay_nonce; --";
        assertThat(one.remember("hotline12345", odd, body, expires)).isEqualTo(NonceStore.Verdict.FRESH);
        assertThat(other.remember("hotline12345", odd, forged, expires)).isEqualTo(NonceStore.Verdict.REUSED);

        // Still inside the window: kept, purge or not.
        clock.advance(WINDOW.minusSeconds(1));
        assertThat(one.purgeIfDue()).isZero();
        assertThat(other.remember("hotline12345", "n-1", forged, expires)).isEqualTo(NonceStore.Verdict.REUSED);

        // Past it no request with that timestamp passes the window any more: an expired row not yet
        // purged is taken over by the nonce's next use; the purge deletes the others.
        clock.advance(Duration.ofSeconds(3));
        Instant later = NonceStore.expiryOf(clock.instant(), WINDOW);
        assertThat(other.remember("hotline12345", "n-1", forged, later)).isEqualTo(NonceStore.Verdict.FRESH);
        assertThat(one.remember("hotline12345", "n-1", body, later)).isEqualTo(NonceStore.Verdict.REUSED);
        assertThat(one.purgeExpired()).isEqualTo(2); // the odd one and wechat's n-1
        assertThat(one.count("hotline12345")).isEqualTo(1);
        assertThat(one.count("wechat")).isZero();

        // The purge on the way runs at most once a minute per store.
        clock.advance(Duration.ofMinutes(10));
        assertThat(one.purgeIfDue()).isEqualTo(1);
        assertThat(one.purgeIfDue()).isZero();
        assertThat(one.count("hotline12345")).isZero();
    }
}
