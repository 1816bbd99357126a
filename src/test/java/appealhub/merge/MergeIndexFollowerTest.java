package appealhub.merge;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.support.MutableClock;
import java.time.Instant;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;

/**
 * Two instances' detectors on one merge_index table (H2, the real migrations): each finds the
 * other's cases, also one whose row committed after a row numbered above it.
 */
class MergeIndexFollowerTest {
    private final MutableClock clock = new MutableClock(Instant.now());
    private DriverManagerDataSource shared;

    @BeforeEach
    void database() {
        shared = new DriverManagerDataSource("jdbc:h2:mem:merge-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "hub", "");
        Flyway.configure().dataSource(shared).locations("classpath:db/migration").load().migrate();
    }

    @Test
    void eachInstanceFindsTheCasesTheOtherIndexed() {
        DuplicateDetector a = detector(new JdbcTemplate(shared));
        DuplicateDetector b = detector(new JdbcTemplate(shared));
        a.index("CASE-ROAD", road());
        assertThat(b.findDuplicate(reworded())).map(MergeDecision::caseId).contains("CASE-ROAD");
        assertThat(b.candidates(reworded())).extracting(MergeDecision::caseId).contains("CASE-ROAD");
    }

    @Test
    void aRowCommittedAfterAHigherNumberedOneIsStillRead() {
        // Instance A saves its case in a transaction that stays open while instance B saves a later one.
        SingleConnectionDataSource slowConnection = new SingleConnectionDataSource(shared.getUrl(), "hub", "", true);
        DataSourceTransactionManager txA = new DataSourceTransactionManager(slowConnection);
        DuplicateDetector a = detector(new JdbcTemplate(slowConnection));
        DuplicateDetector b = detector(new JdbcTemplate(shared));
        TransactionStatus open = txA.getTransaction(new DefaultTransactionDefinition());
        a.index("CASE-ROAD", road());                        // numbered first, not committed
        b.index("CASE-LIGHTS", lights());                   // numbered second, committed
        assertThat(b.findDuplicate(reworded())).as("not committed yet").isEmpty();

        txA.commit(open);
        assertThat(b.findDuplicate(reworded())).as("the gap is asked for again")
                .map(MergeDecision::caseId).contains("CASE-ROAD");
        slowConnection.destroy();
    }

    @Test
    void aNumberThatNeverCommitsIsGivenUpAfterAWhile() {
        SingleConnectionDataSource slowConnection = new SingleConnectionDataSource(shared.getUrl(), "hub", "", true);
        DataSourceTransactionManager txA = new DataSourceTransactionManager(slowConnection);
        DuplicateDetector a = detector(new JdbcTemplate(slowConnection));
        DuplicateDetector b = detector(new JdbcTemplate(shared));
        TransactionStatus open = txA.getTransaction(new DefaultTransactionDefinition());
        a.index("CASE-ROAD", road());
        b.index("CASE-LIGHTS", lights());
        b.findDuplicate(reworded());
        assertThat(b.followerGaps()).isEqualTo(1);
        txA.rollback(open);                                 // the number is never used
        clock.advance(MergeIndexFollower.GAP_PATIENCE.plusSeconds(1));
        b.findDuplicate(reworded());
        assertThat(b.followerGaps()).isZero();
        slowConnection.destroy();
    }

    /**
     * Lookups queued behind a catch-up: one that came in after that catch-up began reads again
     * (and finds a case committed meanwhile); of those that waited together only one queries.
     */
    @Test
    void lookupsWaitingBehindACatchUpReadOnceMoreAndShareThatRead() throws Exception {
        java.util.concurrent.CountDownLatch inFirstRead = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        JdbcTemplate slowFirstRead = new JdbcTemplate(shared) {
            @Override
            public <T> java.util.List<T> query(String sql, org.springframework.jdbc.core.RowMapper<T> mapper, Object... args) {
                java.util.List<T> rows = super.query(sql, mapper, args);
                if (sql.contains("where seq > ") && reads.incrementAndGet() == 1) {
                    inFirstRead.countDown();          // read done, before the case below commits
                    await(release);
                }
                return rows;
            }
        };
        DuplicateDetector a = detector(new JdbcTemplate(shared));
        DuplicateDetector b = detector(slowFirstRead);
        var first = new java.util.concurrent.FutureTask<>(() -> b.findDuplicate(reworded()));
        var second = new java.util.concurrent.FutureTask<>(() -> b.findDuplicate(reworded()));
        var third = new java.util.concurrent.FutureTask<>(() -> b.findDuplicate(reworded()));
        Thread t1 = new Thread(first);
        Thread t2 = new Thread(second);
        Thread t3 = new Thread(third);
        try {
            t1.start();
            assertThat(inFirstRead.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            a.index("CASE-ROAD", road());                   // committed after the first read
            t2.start();
            t3.start();
            long until = System.nanoTime() + 10_000_000_000L; // both wait for the first catch-up to end
            while ((t2.getState() != Thread.State.BLOCKED || t3.getState() != Thread.State.BLOCKED) && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            assertThat(t2.getState()).isEqualTo(Thread.State.BLOCKED);
            assertThat(t3.getState()).isEqualTo(Thread.State.BLOCKED);
            release.countDown();
            first.get(10, java.util.concurrent.TimeUnit.SECONDS); // read before the commit (its lookup may still see the others' read)
            assertThat(second.get(10, java.util.concurrent.TimeUnit.SECONDS)).map(MergeDecision::caseId).contains("CASE-ROAD");
            assertThat(third.get(10, java.util.concurrent.TimeUnit.SECONDS)).map(MergeDecision::caseId).contains("CASE-ROAD");
            assertThat(reads.get()).as("the two waiting lookups share one read").isEqualTo(2);
        } finally {
            release.countDown();
        }
    }

    private static void await(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private DuplicateDetector detector(JdbcTemplate jdbc) {
        DuplicateDetector d = new DuplicateDetector(MergeProperties.defaults(), jdbc, clock);
        d.afterSingletonsInstantiated();
        return d;
    }

    private Candidate road() {
        return new Candidate(MergeEngineTest.ROAD_TITLE, MergeEngineTest.ROAD, "13812345678", "T01", "冀城嘉园",
                37.5551, 115.5802, clock.instant());
    }

    private Candidate lights() {
        return new Candidate("冀城嘉园门口路灯不亮", MergeEngineTest.LIGHTS, "13812345678", "T01", "冀城嘉园",
                37.5551, 115.5802, clock.instant());
    }

    private Candidate reworded() {
        return new Candidate("长安路路面塌陷积水", MergeEngineTest.ROAD_REWORDED, "15000000000", null, null, null, null,
                clock.instant().plusSeconds(600));
    }
}
