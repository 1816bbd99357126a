package appealhub.store;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.model.CaseStatus;
import appealhub.model.PhoneHasher;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The dashboard's kept pipeline counts (CaseStageCounts, V18) equal a full recount of hub_case
 * and feedback_outbox: after a mix of status changes, a re-open, feedback delivered, re-sent and
 * called back, a rolled-back change and folds; and on PostgreSQL after two "hubs" (two
 * connection pools) change the same cases and fold at once.
 */
class CaseStageCountsTest {
    static final String PG_ADMIN = System.getProperty("hub.test.postgres", "jdbc:postgresql://127.0.0.1:5432/postgres");

    @Test
    void aMixOfChangesAndAReopenEqualAFullRecountOnH2() {
        DataSource ds = h2();
        mixOfChanges(ds);
    }

    @Test
    void aMixOfChangesAndAReopenEqualAFullRecountOnPostgresql() throws Exception {
        withPostgres(this::mixOfChanges);
    }

    @Test
    void twoHubsChangingTheSameCasesAtOnceOnPostgresql() throws Exception {
        withPostgres(url -> {
            DataSource first = new DriverManagerDataSource(url, "postgres", "");
            DataSource second = new DriverManagerDataSource(url, "postgres", "");
            Hub a = new Hub(first);
            Hub b = new Hub(second);
            for (int i = 0; i < 40; i++) a.cases.insertCase("CS-" + i, CaseStatus.RECEIVED);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> runs = List.of(pool.submit(() -> churn(a, 1)), pool.submit(() -> churn(b, 2)),
                        pool.submit(() -> churn(a, 3)), pool.submit(() -> churn(b, 4)));
                for (Future<?> f : runs) f.get();
            } finally {
                pool.shutdownNow();
            }
            assertThat(a.stages.current()).isEqualTo(recount(a.jdbc));
            a.stages.fold();
            assertThat(b.stages.current()).isEqualTo(recount(a.jdbc));
            return null;
        });
    }

    private Object mixOfChanges(String url) {
        mixOfChanges(new DriverManagerDataSource(url, "postgres", ""));
        return null;
    }

    private void mixOfChanges(DataSource ds) {
        Hub hub = new Hub(ds);
        CaseStore cases = hub.cases;
        for (int i = 0; i < 6; i++) cases.insertCase("CS-" + i, CaseStatus.RECEIVED);
        assertThat(cases.leaveReceived("CS-0", CaseStatus.PLACING)).isTrue();
        assertThat(cases.leaveReceived("CS-0", CaseStatus.PLACING)).as("only once").isFalse();
        cases.updateStatus("CS-0", CaseStatus.DISPATCHED);
        cases.updateStatus("CS-0", CaseStatus.ACCEPTED);
        cases.updateStatus("CS-0", CaseStatus.RESOLVED);
        hub.outbox.enqueue("CS-0", "hotline12345", "GD0", "progress", "{}");
        hub.outbox.enqueue("CS-0", "hotline12345", "GD0", "result", "{}");
        List<FeedbackOutbox.Item> rows = hub.outbox.ofCase("CS-0");
        hub.outbox.markDone(rows.get(0).id());   // a progress note: not "fed back"
        assertThat(hub.stages.current()).isEqualTo(recount(hub.jdbc)).containsEntry(CaseStageCounts.FED_BACK, 0L);
        hub.outbox.markDone(rows.get(1).id());
        assertThat(hub.stages.current()).isEqualTo(recount(hub.jdbc)).containsEntry(CaseStageCounts.FED_BACK, 1L);

        // the citizen is dissatisfied: re-opened (RESOLVED -> DISPATCHED, no longer fed back), resolved again
        cases.lockCase("CS-0");
        cases.updatePlacement("CS-0", new CaseStore.CasePlacement(CaseStatus.DISPATCHED, null, null, "D07", List.of(),
                null, null, null, null, 1));
        assertThat(hub.stages.current()).isEqualTo(recount(hub.jdbc)).containsEntry(CaseStageCounts.FED_BACK, 0L);
        cases.updateStatus("CS-0", CaseStatus.RESOLVED);   // the first round's DONE result is still there
        assertThat(hub.stages.current()).isEqualTo(recount(hub.jdbc)).containsEntry(CaseStageCounts.FED_BACK, 1L);
        hub.outbox.resend(rows.get(1).id());
        assertThat(hub.stages.current()).isEqualTo(recount(hub.jdbc)).containsEntry(CaseStageCounts.FED_BACK, 0L);
        hub.outbox.markRefused(rows.get(1).id(), "refused");
        hub.outbox.markCalledBack(rows.get(1).id());

        cases.markMerged("CS-1", "CS-0");
        cases.unmerge("CS-1");
        cases.markMerged("CS-2", "CS-0");
        cases.updatePlacement("CS-3", new CaseStore.CasePlacement(CaseStatus.TRIAGE, null, null, null, List.of(),
                null, null, null, null, 0));
        cases.updateStatus("CS-4", CaseStatus.RETURNED_UPSTREAM);
        cases.updateStatus("CS-4", CaseStatus.RETURNED_UPSTREAM);   // no change: counted once
        // a change rolled back takes its counting with it
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        tx.executeWithoutResult(s -> {
            cases.updateStatus("CS-5", CaseStatus.RESOLVED);
            s.setRollbackOnly();
        });
        assertThat(hub.stages.current()).isEqualTo(recount(hub.jdbc));
        assertThat(hub.stages.fold()).isPositive();
        assertThat(hub.jdbc.queryForObject("select count(*) from case_stage_delta", Integer.class)).isZero();
        assertThat(hub.stages.current()).isEqualTo(recount(hub.jdbc));
        // enough changes make a read fold them first
        for (int i = 0; i < CaseStageCounts.FOLD_AFTER; i++) {
            cases.updateStatus("CS-5", i % 2 == 0 ? CaseStatus.TRIAGE : CaseStatus.RECEIVED);
        }
        assertThat(hub.stages.current()).isEqualTo(recount(hub.jdbc));
        assertThat(hub.jdbc.queryForObject("select count(*) from case_stage_delta", Integer.class)).isZero();
    }

    /** Random status changes, feedback deliveries and folds on 40 shared cases. */
    private static Object churn(Hub hub, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        CaseStatus[] to = {CaseStatus.TRIAGE, CaseStatus.DISPATCHED, CaseStatus.ACCEPTED, CaseStatus.RESOLVED,
                CaseStatus.RESOLVED, CaseStatus.MERGED, CaseStatus.RECEIVED};
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(hub.jdbc.getDataSource()));
        for (int i = 0; i < 300; i++) {
            String caseId = "CS-" + r.nextInt(40);
            switch (r.nextInt(10)) {
                case 0 -> hub.outbox.enqueue(caseId, "hotline12345", "GD" + caseId, "result", "{}");
                case 1, 2 -> {
                    List<FeedbackOutbox.Item> rows = hub.outbox.ofCase(caseId);
                    if (!rows.isEmpty()) {
                        FeedbackOutbox.Item row = rows.get(r.nextInt(rows.size()));
                        if (r.nextBoolean()) hub.outbox.markDone(row.id());
                        else hub.outbox.resend(row.id());
                    }
                }
                case 3 -> hub.stages.fold();
                default -> tx.executeWithoutResult(s -> {
                    hub.cases.lockCase(caseId);   // as the hub's steps do
                    hub.cases.updateStatus(caseId, to[r.nextInt(to.length)]);
                });
            }
        }
        return null;
    }

    /** What the dashboard showed before V18: a count over every case. */
    static Map<String, Long> recount(JdbcTemplate jdbc) {
        Map<String, Long> out = new TreeMap<>();
        for (CaseStatus s : CaseStatus.values()) out.put(s.name(), 0L);
        jdbc.query("select status, count(*) from hub_case group by status", rs -> {
            out.put(rs.getString(1), rs.getLong(2));
        });
        out.put(CaseStageCounts.FED_BACK, jdbc.queryForObject("select count(*) from hub_case c where c.status = 'RESOLVED' "
                + "and exists (select 1 from feedback_outbox f where f.case_id = c.case_id and f.kind = 'result' "
                + "and f.status = 'DONE')", Long.class));
        return out;
    }

    private static final class Hub {
        final JdbcTemplate jdbc;
        final CaseStageCounts stages;
        final CaseStore cases;
        final FeedbackOutbox outbox;

        Hub(DataSource ds) {
            jdbc = new JdbcTemplate(ds);
            stages = new CaseStageCounts(jdbc);
            cases = new CaseStore(jdbc, new ObjectMapper(), Clock.systemUTC(), new PhoneHasher("k"), stages);
            outbox = new FeedbackOutbox(jdbc, Clock.systemUTC(), stages);
        }
    }

    private static DataSource h2() {
        DataSource ds = new DriverManagerDataSource("jdbc:h2:mem:stages-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "hub", "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return ds;
    }

    interface OnDatabase {
        Object run(String url) throws Exception;
    }

    private static void withPostgres(OnDatabase test) throws Exception {
        String db = "appealhub_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = DriverManager.getConnection(PG_ADMIN, "postgres", "")) {
            admin.createStatement().execute("create database " + db);
        }
        String url = PG_ADMIN.replace("/postgres", "/" + db);
        try {
            Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration").load().migrate();
            test.run(url);
        } finally {
            try (Connection admin = DriverManager.getConnection(PG_ADMIN, "postgres", "")) {
                admin.createStatement().execute("drop database if exists " + db + " with (force)");
            }
        }
    }
}
