package appealhub.cluster;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The cluster_lease table (V10): one row per namespace. Every change is a single conditional
 * statement, so of several nodes racing for a namespace exactly one gets it.
 */
public class LeaseTable {
    private final JdbcTemplate jdbc;

    public LeaseTable(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Takes or renews the lease of a namespace for holder until now + ttl: it succeeds when the
     * holder already has it, when it has expired, or when there is no row yet.
     */
    public boolean acquire(String namespace, String holder, Instant now, Duration ttl) {
        OffsetDateTime at = db(now);
        OffsetDateTime until = db(now.plus(ttl));
        int updated = jdbc.update("update cluster_lease set holder = ?, expires_at = ?, renewed_at = ?, "
                        + "acquired_at = case when holder = ? then acquired_at else ? end "
                        + "where namespace = ? and (holder = ? or expires_at < ?)",
                holder, until, at, holder, at, namespace, holder, at);
        if (updated == 1) return true;
        try {
            return jdbc.update("insert into cluster_lease (namespace, holder, acquired_at, renewed_at, expires_at) "
                    + "values (?, ?, ?, ?, ?)", namespace, holder, at, at, until) == 1;
        } catch (DuplicateKeyException heldByAnother) {
            return false;
        }
    }

    /** Gives the lease up (when holder has it), so another node may take it at once. */
    public void release(String namespace, String holder) {
        jdbc.update("delete from cluster_lease where namespace = ? and holder = ?", namespace, holder);
    }

    /** Who holds the namespace's lease at now, if anyone. */
    public Optional<String> holder(String namespace, Instant now) {
        List<String> holders = jdbc.queryForList(
                "select holder from cluster_lease where namespace = ? and expires_at >= ?", String.class, namespace, db(now));
        return holders.stream().findFirst();
    }

    private static OffsetDateTime db(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
