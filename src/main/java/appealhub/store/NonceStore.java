package appealhub.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The replay guard of signed pushes (table replay_nonce, V13): every nonce seen with a valid
 * signature is remembered, with a hash of its body, until the request could no longer pass the
 * timestamp window. The table is shared by every hub instance on the database, so a request
 * captured on one instance and replayed to another is caught as well.
 * <ul>
 *   <li>{@link Verdict#FRESH}: a nonce not seen (or seen so long ago that its row expired);</li>
 *   <li>{@link Verdict#SAME_BODY}: the nonce came before with this very body: a re-send of the
 *       same item, which the channel answers as it answers any re-send (a duplicate);</li>
 *   <li>{@link Verdict#REUSED}: the nonce came before with another body: refused.</li>
 * </ul>
 * Expired rows are purged at most once a minute per instance, on the way ({@link #purgeExpired}).
 */
@Repository
public class NonceStore {
    public enum Verdict { FRESH, SAME_BODY, REUSED }

    private static final long PURGE_EVERY_MS = 60_000;

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final AtomicLong nextPurge = new AtomicLong();

    public NonceStore(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Remembers {@code nonce} of {@code scope} with {@code body} until {@code expiresAt}, and says
     * whether it was used before.
     */
    public Verdict remember(String scope, String nonce, byte[] body, Instant expiresAt) {
        purgeIfDue();
        String nonceHash = sha256(nonce.getBytes(StandardCharsets.UTF_8));
        String bodyHash = sha256(body);
        Instant now = clock.instant();
        // ON CONFLICT DO NOTHING: a caught unique violation would abort a surrounding transaction on PostgreSQL.
        if (jdbc.update("insert into replay_nonce (scope, nonce_hash, body_hash, expires_at, created_at) values (?,?,?,?,?) "
                + "on conflict do nothing", scope, nonceHash, bodyHash, Times.db(expiresAt), Times.db(now)) == 1) {
            return Verdict.FRESH;
        }
        // Known. A row past its expiry is nobody's any more (its request is outside the window): taken over.
        if (jdbc.update("update replay_nonce set body_hash = ?, expires_at = ?, created_at = ? "
                        + "where scope = ? and nonce_hash = ? and expires_at < ?",
                bodyHash, Times.db(expiresAt), Times.db(now), scope, nonceHash, Times.db(now)) == 1) {
            return Verdict.FRESH;
        }
        List<String> seen = jdbc.queryForList("select body_hash from replay_nonce where scope = ? and nonce_hash = ?",
                String.class, scope, nonceHash);
        if (seen.isEmpty()) return remember(scope, nonce, body, expiresAt); // purged in between: try again
        return seen.get(0).equals(bodyHash) ? Verdict.SAME_BODY : Verdict.REUSED;
    }

    /** Deletes the rows past their expiry; at most once a minute per instance. @return rows deleted */
    public int purgeIfDue() {
        long now = clock.millis();
        long due = nextPurge.get();
        if (now < due || !nextPurge.compareAndSet(due, now + PURGE_EVERY_MS)) return 0;
        return purgeExpired();
    }

    /** Deletes every row past its expiry. @return rows deleted */
    public int purgeExpired() {
        return jdbc.update("delete from replay_nonce where expires_at < ?", Times.db(clock.instant()));
    }

    public int count(String scope) {
        Integer n = jdbc.queryForObject("select count(*) from replay_nonce where scope = ?", Integer.class, scope);
        return n == null ? 0 : n;
    }

    /** The time a request stamped {@code timestamp} stays acceptable under a window of {@code window}. */
    public static Instant expiryOf(Instant timestamp, Duration window) {
        return timestamp.plus(window).plusSeconds(1);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
