package appealhub.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The lease service on the real migration (H2 in PostgreSQL mode, as the default run): two
 * nodes on one cluster_lease table. Rounds are run by hand (check()) with a hand-moved clock;
 * the lease is long enough that the views' own timers do not run during a test.
 */
class JdbcLeaseClusterServiceTest {
    static final String NS = "hotline12345-pull";
    static final Duration TTL = Duration.ofSeconds(60);

    final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T01:00:00Z"));
    JdbcTemplate jdbc;
    JdbcLeaseClusterService a;
    JdbcLeaseClusterService b;

    @BeforeEach
    void database() throws Exception {
        var ds = new DriverManagerDataSource("jdbc:h2:mem:lease-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "hub", "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(ds);
        a = node("node-a");
        b = node("node-b");
    }

    @AfterEach
    void stop() {
        a.stop();
        b.stop();
    }

    JdbcLeaseClusterService node(String id) {
        var service = new JdbcLeaseClusterService(id, new LeaseTable(jdbc), clock, TTL);
        service.start();
        return service;
    }

    static JdbcLeaseClusterView view(JdbcLeaseClusterService service) throws Exception {
        return (JdbcLeaseClusterView) service.getView(NS);
    }

    @Test
    void ofTwoNodesOnlyTheFirstLeadsAndBothKnowWho() throws Exception {
        JdbcLeaseClusterView first = view(a);
        JdbcLeaseClusterView second = view(b);
        // The first attempt is made when the view starts, not a renewal period later.
        assertThat(first.isLeader()).isTrue();
        assertThat(second.isLeader()).isFalse();
        assertThat(a.isLeader(NS)).isTrue();
        assertThat(b.isLeader(NS)).isFalse();
        assertThat(second.getLeader()).hasValueSatisfying(m -> {
            assertThat(m.getId()).isEqualTo("node-a");
            assertThat(m.isLocal()).isFalse();
        });
        // Renewing keeps it where it is.
        clock.advance(TTL.dividedBy(3));
        second.check();
        first.check();
        second.check();
        assertThat(first.isLeader()).isTrue();
        assertThat(second.isLeader()).isFalse();
        assertThat(jdbc.queryForObject("select holder from cluster_lease where namespace = ?", String.class, NS))
                .isEqualTo("node-a");
    }

    @Test
    void aLeaseNotRenewedExpiresAndTheOtherNodeTakesItOver() throws Exception {
        JdbcLeaseClusterView first = view(a);
        JdbcLeaseClusterView second = view(b);
        List<Boolean> secondLeads = new CopyOnWriteArrayList<>();
        second.addEventListener((CamelClusterEventListener.Leadership) (v, leader) ->
                secondLeads.add(v.getLocalMember().isLeader()));

        clock.advance(TTL.minusSeconds(1)); // node-a stopped renewing; its lease still holds
        second.check();
        assertThat(second.isLeader()).isFalse();

        clock.advance(Duration.ofSeconds(2)); // now it has expired
        second.check();
        assertThat(second.isLeader()).isTrue();
        assertThat(secondLeads).endsWith(true);

        // node-a comes back: it learns it lost the lease and does not take it back.
        first.check();
        assertThat(first.isLeader()).isFalse();
        assertThat(first.getLeader()).hasValueSatisfying(m -> assertThat(m.getId()).isEqualTo("node-b"));
    }

    @Test
    void stoppingTheLeaderReleasesItsLeaseSoTheOtherTakesOverAtOnce() throws Exception {
        view(a);
        JdbcLeaseClusterView second = view(b);
        assertThat(second.isLeader()).isFalse();

        a.stop();
        assertThat(jdbc.queryForObject("select count(*) from cluster_lease", Integer.class)).isZero();
        second.check(); // no time has passed
        assertThat(second.isLeader()).isTrue();
    }

    @Test
    void aListenerAddedAfterTheFirstAttemptIsToldAtOnce() throws Exception {
        JdbcLeaseClusterView first = view(a);
        List<Boolean> told = new CopyOnWriteArrayList<>();
        first.addEventListener((CamelClusterEventListener.Leadership) (v, leader) ->
                told.add(leader != null && leader.isLocal()));
        assertThat(told).containsExactly(true);
    }

    @Test
    void namespacesAreLeasedIndependently() throws Exception {
        view(a);
        view(b);
        JdbcLeaseClusterView otherOnB = (JdbcLeaseClusterView) b.getView("supervision");
        assertThat(otherOnB.isLeader()).isTrue();
        assertThat(a.isLeader(NS)).isTrue();
    }
}
