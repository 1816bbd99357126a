package appealhub.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The cluster_lease table (V10): one row per namespace. Every change is a single conditional
 * statement, so of several nodes racing for a namespace exactly one gets it.
 * <p>
 * Time is the database's (current_timestamp, a timestamp with time zone like the columns, on
 * PostgreSQL and on H2): every node compares expiry with the same clock, so a node whose own clock
 * runs ahead cannot take a lease that still holds, and one running behind does not wait for it
 * longer than it should. (current_timestamp is the start of the transaction on PostgreSQL: the
 * statements here run each in its own, never inside a longer one.)
 */
public class LeaseTable {
    /** ttl in milliseconds as an interval, written the same way for PostgreSQL and H2. */
    private static final String TTL = "cast(? as bigint) * interval '0.001' second";

    private final JdbcTemplate jdbc;

    public LeaseTable(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Takes or renews the lease of a namespace for holder until the database's now + ttl: it
     * succeeds when the holder already has it, when it has expired, or when there is no row yet.
     */
    public boolean acquire(String namespace, String holder, Duration ttl) {
        long ttlMs = ttl.toMillis();
        int updated = jdbc.update("update cluster_lease set holder = ?, expires_at = current_timestamp + " + TTL + ", "
                        + "renewed_at = current_timestamp, "
                        + "acquired_at = case when holder = ? then acquired_at else current_timestamp end "
                        + "where namespace = ? and (holder = ? or expires_at < current_timestamp)",
                holder, ttlMs, holder, namespace, holder);
        if (updated == 1) return true;
        try {
            return jdbc.update("insert into cluster_lease (namespace, holder, acquired_at, renewed_at, expires_at) "
                    + "values (?, ?, current_timestamp, current_timestamp, current_timestamp + " + TTL + ")",
                    namespace, holder, ttlMs) == 1;
        } catch (DuplicateKeyException heldByAnother) {
            return false;
        }
    }

    /** Gives the lease up (when holder has it), so another node may take it at once. */
    public void release(String namespace, String holder) {
        jdbc.update("delete from cluster_lease where namespace = ? and holder = ?", namespace, holder);
    }

    /** Who holds the namespace's lease now (by the database's clock), if anyone. */
    public Optional<String> holder(String namespace) {
        List<String> holders = jdbc.queryForList(
                "select holder from cluster_lease where namespace = ? and expires_at >= current_timestamp", String.class, namespace);
        return holders.stream().findFirst();
    }
}
