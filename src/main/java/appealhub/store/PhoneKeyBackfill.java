package appealhub.store;

import appealhub.model.Appeal;
import appealhub.model.PhoneHasher;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Fills appeal.phone_key (V18) for the appeals stored before it existed, at start, in the
 * background: the key is the configuration's HMAC secret, so SQL in the migration cannot compute it.
 *
 * <p>Idempotent and resumable: it only works on rows whose key is still null, a batch at a time,
 * each batch committed on its own, so a stop half-way leaves the rest for the next start; a row
 * written meanwhile by the hub (insert or model update set the key themselves) is never
 * overwritten ("where phone_key is null"). Two hubs running it at once compute the same values.
 * When the phone key changes (a new hub.merge.phone-key), the stored check no longer matches and
 * every appeal is keyed again. Logs counts only, never a phone.
 */
@Component
public class PhoneKeyBackfill {
    private static final Logger log = LoggerFactory.getLogger(PhoneKeyBackfill.class);
    static final int BATCH = 1000;
    /** Hashed to tell which key made the stored phone keys (no one's phone). */
    private static final String KEY_CHECK_NUMBER = "00000000000";

    private final JdbcTemplate jdbc;
    private final CaseStore cases;
    private final PhoneHasher phones;
    private final ObjectMapper json;

    public PhoneKeyBackfill(JdbcTemplate jdbc, CaseStore cases, PhoneHasher phones, ObjectMapper json) {
        this.jdbc = jdbc;
        this.cases = cases;
        // the stored models may carry fields this version no longer has: only the citizen's phone matters here
        this.json = json.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.phones = phones;
    }

    @EventListener(ApplicationReadyEvent.class)
    void atStart() {
        Thread t = new Thread(() -> {
            try {
                run();
            } catch (RuntimeException e) {
                // the next start resumes where this one stopped
                log.warn("phone key back-fill stopped: {}", e.toString());
            }
        }, "phone-key-backfill");
        t.setDaemon(true);
        t.start();
    }

    /** Keys every appeal that has none yet; returns how many were written. */
    public int run() {
        checkKey();
        // nothing to do (every start after the first): one probe of the appeal_phone_key index
        if (jdbc.queryForList("select appeal_id from appeal where phone_key is null fetch first 1 rows only", String.class).isEmpty()) {
            return 0;
        }
        int total = 0;
        String after = "";
        // one walk in appeal_id order, each batch from where the last one ended: "where phone_key is null" alone
        // would read the rows keyed by the earlier batches again each time (quadratic on a year of data), and
        // PostgreSQL, its statistics of the new column not yet gathered, would sort every null row for each batch
        // (hence the coalesce, which keeps the walk on appeal's primary key)
        while (true) {
            List<Object[]> batch = new ArrayList<>();
            jdbc.query("select appeal_id, model_json from appeal where appeal_id > ? and coalesce(phone_key, '') = '' order by appeal_id "
                    + "fetch first " + BATCH + " rows only", rs -> {
                        batch.add(new Object[] {keyOf(rs.getString(2)), rs.getString(1)});
                    }, after);
            if (batch.isEmpty()) break;
            after = (String) batch.get(batch.size() - 1)[1];
            jdbc.batchUpdate("update appeal set phone_key = ? where appeal_id = ? and phone_key is null", batch);
            total += batch.size();
            if (total % 100_000 < batch.size()) log.info("phone key back-fill: {} appeals keyed so far", total);
        }
        if (total > 0) log.info("phone key back-fill: done, {} appeals keyed", total);
        return total;
    }

    /** A key other than the one that made the stored keys: forget them all (they are re-keyed by {@link #run}). */
    private void checkKey() {
        String check = phones.hash(KEY_CHECK_NUMBER);
        List<String> stored = jdbc.queryForList("select key_check from phone_key_state where id = 1", String.class);
        if (stored.isEmpty()) {
            try {
                jdbc.update("insert into phone_key_state (id, key_check) values (1, ?)", check);
            } catch (org.springframework.dao.DuplicateKeyException anotherHubFirst) {
                checkKey();   // two hubs started at once: compare with what the other one stored
            }
        } else if (!stored.get(0).equals(check)) {
            log.warn("phone key changed since the stored phone keys were made: every appeal is keyed again");
            jdbc.update("update appeal set phone_key = null where phone_key is not null");
            jdbc.update("update phone_key_state set key_check = ? where id = 1", check);
        }
    }

    private String keyOf(String modelJson) {
        try {
            return cases.phoneKey(json.readValue(modelJson, Appeal.class));
        } catch (Exception unreadable) {
            return CaseStore.NO_PHONE_KEY;   // nothing to search by; the row is not read again
        }
    }
}
