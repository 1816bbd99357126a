package appealhub.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Cases per status, and FED_BACK (RESOLVED cases with a DONE result), for the dashboard's
 * pipeline without counting a year of cases on every refresh (issue 16; migration V18).
 *
 * <p>Why this design: every status change inserts its -1 (old status) and +1 (new status) rows
 * into {@code case_stage_delta} in the transaction that changes the status, under the case's
 * row lock. The counts are then exactly what the committed rows of {@code hub_case} say: a
 * rolled-back change takes its deltas with it, and a re-open is just another change (RESOLVED
 * -1, DISPATCHED +1, FED_BACK -1 when its result had been delivered). The rows are only
 * inserted, so two hubs (or two threads) never wait on a shared counter row and cannot deadlock
 * on one, as "update total set n = n + 1" would. In-memory running totals (as DomainCounts
 * keeps for the metrics) were not chosen: a closed case is not final (re-opens, un-merges), and
 * each hub would have to find the changes other hubs made to old cases. The reader sums totals
 * and deltas in one statement (one snapshot); once the deltas pass {@link #FOLD_AFTER} rows, a
 * fold moves them into {@code case_stage_total} under the lock of its '#fold' row, deleting
 * exactly the rows it summed (by id), so a concurrent fold or a change committed meanwhile is
 * neither lost nor counted twice.
 *
 * <p>FED_BACK changes in two places: the case entering or leaving RESOLVED (with a DONE result
 * already there) and a result's feedback row entering or leaving DONE while the case is
 * RESOLVED; the latter locks the case row first, so both see the other's committed state.
 */
@Repository
public class CaseStageCounts {
    public static final String FED_BACK = "FED_BACK";
    static final String RESOLVED = "RESOLVED";
    private static final String FOLD_LOCK = "#fold";
    /** Delta rows that make the next read fold them first. */
    static final int FOLD_AFTER = 1000;
    private static final int FOLD_AT_MOST = 20_000;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public CaseStageCounts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        // same data source as the callers' transactions: joins theirs when there is one
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(Objects.requireNonNull(jdbc.getDataSource())));
    }

    /** Runs a status change and its counting in one transaction (the caller's when it has one). */
    <T> T inTransaction(java.util.function.Supplier<T> work) {
        return tx.execute(s -> work.get());
    }

    /** A case moved from one status to another (from null: created). Call under the case's row lock, in its transaction. */
    void moved(String caseId, String from, String to) {
        if (Objects.equals(from, to)) return;
        List<Object[]> rows = new ArrayList<>();
        if (from != null) rows.add(new Object[] {from, -1});
        if (to != null) rows.add(new Object[] {to, 1});
        if ((RESOLVED.equals(from) || RESOLVED.equals(to)) && hasDoneResult(caseId)) {
            rows.add(new Object[] {FED_BACK, RESOLVED.equals(to) ? 1 : -1});
        }
        jdbc.batchUpdate("insert into case_stage_delta (stage, delta) values (?, ?)", rows);
    }

    /**
     * Whether the case counts as fed back now; locks the case row (call before a result's feedback
     * row changes status, then {@link #resultChanged} after, in the same transaction).
     */
    boolean fedBackLocked(String caseId) {
        List<String> status = jdbc.queryForList("select status from hub_case where case_id = ? for update", String.class, caseId);
        return !status.isEmpty() && RESOLVED.equals(status.get(0)) && hasDoneResult(caseId);
    }

    void resultChanged(String caseId, boolean fedBackBefore) {
        boolean now = fedBackLocked(caseId);
        if (now != fedBackBefore) {
            jdbc.update("insert into case_stage_delta (stage, delta) values (?, ?)", FED_BACK, now ? 1 : -1);
        }
    }

    private boolean hasDoneResult(String caseId) {
        return !jdbc.queryForList("select 1 from feedback_outbox where case_id = ? and kind = 'result' and status = 'DONE' "
                + "fetch first 1 rows only", Integer.class, caseId).isEmpty();
    }

    /** Cases per status and FED_BACK (a part of RESOLVED) now. */
    public Map<String, Long> current() {
        Integer pending = jdbc.queryForObject("select count(*) from case_stage_delta", Integer.class);
        if (pending != null && pending > FOLD_AFTER) fold();
        Map<String, Long> out = new TreeMap<>();
        jdbc.query("select stage, sum(n) from (select stage, n from case_stage_total union all "
                + "select stage, delta n from case_stage_delta) x group by stage", rs -> {
                    if (!FOLD_LOCK.equals(rs.getString(1))) out.put(rs.getString(1), rs.getLong(2));
                });
        return out;
    }

    /** Moves delta rows into the totals (see the class comment); returns how many. */
    int fold() {
        Integer n = tx.execute(s -> {
            jdbc.queryForList("select n from case_stage_total where stage = ? for update", Long.class, FOLD_LOCK);
            List<Long> ids = new ArrayList<>();
            Map<String, Long> sums = new TreeMap<>();
            jdbc.query("select id, stage, delta from case_stage_delta order by id fetch first " + FOLD_AT_MOST + " rows only", rs -> {
                ids.add(rs.getLong(1));
                sums.merge(rs.getString(2), rs.getLong(3), Long::sum);
            });
            for (int i = 0; i < ids.size(); i += 500) {
                List<Long> part = ids.subList(i, Math.min(ids.size(), i + 500));
                jdbc.update("delete from case_stage_delta where id in (" + String.join(",", Collections.nCopies(part.size(), "?"))
                        + ")", part.toArray());
            }
            sums.forEach((stage, delta) -> {
                if (jdbc.update("update case_stage_total set n = n + ? where stage = ?", delta, stage) == 0) {
                    jdbc.update("insert into case_stage_total (stage, n) values (?, ?)", stage, delta);
                }
            });
            return ids.size();
        });
        return n == null ? 0 : n;
    }
}
