package appealhub.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Table metrics_settled (V23): {@link DomainCounts}' running totals as of a cutoff, so that a
 * restarted hub, or a second instance, starts from them instead of counting every old row once
 * more (at 1M cases that first count took 1.3 s on PostgreSQL). A counter's row only ever moves
 * forward: a save with an older cutoff (another instance that is behind, a clock a little slow)
 * changes nothing. Saving is an optimisation: a failed save is logged and the refresh goes on.
 */
final class SettledTotals {
    private static final Logger log = LoggerFactory.getLogger(SettledTotals.class);

    /** A counter's saved state: the rows older than cutoff (or up to lastId) are in totals. */
    record Saved(Instant cutoff, long lastId, JsonNode totals) {
    }

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;

    SettledTotals(JdbcTemplate jdbc, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    Optional<Saved> load(String counter) {
        List<Saved> rows = jdbc.query("select cutoff, last_id, totals from metrics_settled where counter = ?", (rs, i) -> {
            OffsetDateTime cutoff = rs.getObject("cutoff", OffsetDateTime.class);
            try {
                return new Saved(cutoff == null ? null : cutoff.toInstant(), rs.getLong("last_id"), json.readTree(rs.getString("totals")));
            } catch (Exception unreadable) {
                log.warn("metrics totals of {} unreadable, counting again: {}", counter, unreadable.toString());
                return null;
            }
        }, counter);
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0));
    }

    /** Totals of the rows older than cutoff. */
    void saveUpTo(String counter, Instant cutoff, Object totals) {
        save(counter, "cutoff < ?", db(cutoff), db(cutoff), null, totals);
    }

    /** Totals of the rows with an id up to lastId. */
    void saveUpToId(String counter, long lastId, Object totals) {
        save(counter, "last_id < ?", lastId, null, lastId, totals);
    }

    private void save(String counter, String older, Object position, OffsetDateTime cutoff, Long lastId, Object totals) {
        try {
            String text = json.writeValueAsString(totals);
            OffsetDateTime now = db(clock.instant());
            int updated = jdbc.update("update metrics_settled set cutoff = ?, last_id = ?, totals = ?, saved_at = ? "
                    + "where counter = ? and " + older, cutoff, lastId, text, now, counter, position);
            if (updated == 0) {
                try {
                    jdbc.update("insert into metrics_settled (counter, cutoff, last_id, totals, saved_at) "
                            + "select ?, ?, ?, ?, ? where not exists (select 1 from metrics_settled where counter = ?)",
                            counter, cutoff, lastId, text, now, counter);
                } catch (DuplicateKeyException anotherInstanceFirst) {
                    // its row is at least as far along as ours would have been, or will be moved on by it
                }
            }
        } catch (DataAccessException | com.fasterxml.jackson.core.JsonProcessingException e) {
            log.warn("metrics totals of {} not saved (the next start counts the old rows again): {}", counter, e.toString());
        }
    }

    private static OffsetDateTime db(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
