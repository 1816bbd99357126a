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
