package appealhub.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
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
 * The lease service on the real migration (H2 in PostgreSQL mode, as the default run): nodes on
 * one cluster_lease table. Rounds are run by hand (check()); the lease is long enough that the
 * views' own timers do not run during a test. Expiry is the database's: a lease is made to run
 * out by moving its expires_at in the table, then really waiting for the database's clock to pass it.
 * (Real timers, skewed clocks and PostgreSQL: {@link LeaseClockSkewTest}.)
 */
class JdbcLeaseClusterServiceTest {
    static final String NS = "hotline12345-pull";
    static final Duration TTL = Duration.ofSeconds(60);

    JdbcTemplate jdbc;
    final List<JdbcLeaseClusterService> nodes = new ArrayList<>();
    JdbcLeaseClusterService a;
    JdbcLeaseClusterService b;

    @BeforeEach
    void database() throws Exception {
        var ds = new DriverManagerDataSource("jdbc:h2:mem:lease-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "hub", "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(ds);
        a = node("node-a", Clock.systemUTC());
        b = node("node-b", Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        nodes.forEach(JdbcLeaseClusterService::stop);
    }

    JdbcLeaseClusterService node(String id, Clock clock) {
        var service = new JdbcLeaseClusterService(id, new LeaseTable(jdbc), clock, TTL);
        service.start();
        nodes.add(service);
        return service;
    }

    static JdbcLeaseClusterView view(JdbcLeaseClusterService service) throws Exception {
        return (JdbcLeaseClusterView) service.getView(NS);
    }

    /** As if the holder's last renewal was long enough ago that its lease runs out in {@code ms} by the database's clock. */
    void leaseRunsOutIn(long ms) {
        assertThat(jdbc.update("update cluster_lease set expires_at = current_timestamp + cast(? as bigint) * interval '0.001' second "
                + "where namespace = ?", ms, NS)).isEqualTo(1);
    }

    String holderInTable() {
        return jdbc.queryForObject("select holder from cluster_lease where namespace = ?", String.class, NS);
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
        second.check();
        first.check();
        second.check();
        assertThat(first.isLeader()).isTrue();
        assertThat(second.isLeader()).isFalse();
        assertThat(holderInTable()).isEqualTo("node-a");
        // The database stamps the times: renewed at its now, expiring ttl later.
        var row = jdbc.queryForMap("select renewed_at, expires_at, current_timestamp as db_now from cluster_lease where namespace = ?", NS);
        OffsetDateTime renewed = (OffsetDateTime) row.get("renewed_at");
        assertThat(Duration.between(renewed, (OffsetDateTime) row.get("expires_at"))).isEqualTo(TTL);
        assertThat(Duration.between(renewed, (OffsetDateTime) row.get("db_now"))).isBetween(Duration.ZERO, Duration.ofSeconds(5));
    }

    @Test
    void aLeaseNotRenewedExpiresAndTheOtherNodeTakesItOver() throws Exception {
        JdbcLeaseClusterView first = view(a);
        JdbcLeaseClusterView second = view(b);
        List<Boolean> secondLeads = new CopyOnWriteArrayList<>();
        second.addEventListener((CamelClusterEventListener.Leadership) (v, leader) ->
                secondLeads.add(v.getLocalMember().isLeader()));

        leaseRunsOutIn(2_000); // node-a stopped renewing; its lease still holds for two seconds
        second.check();
        assertThat(second.isLeader()).isFalse();

        Thread.sleep(2_300); // now it has expired, by the database's clock
        second.check();
        assertThat(second.isLeader()).isTrue();
        assertThat(secondLeads).endsWith(true);
        assertThat(holderInTable()).isEqualTo("node-b");

        // node-a comes back: it learns it lost the lease and does not take it back.
        first.check();
        assertThat(first.isLeader()).isFalse();
        assertThat(first.getLeader()).hasValueSatisfying(m -> assertThat(m.getId()).isEqualTo("node-b"));
        assertThat(holderInTable()).isEqualTo("node-b");
    }

    @Test
    void nodesWhoseClocksDisagreeByMinutesStillGoByTheDatabasesClock() throws Exception {
        JdbcLeaseClusterView first = view(a);
        // Ten minutes ahead: by its own clock node-a's lease ran out long ago; by the database's it holds.
        JdbcLeaseClusterView ahead = view(node("node-ahead", Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10))));
        // Ten minutes behind: by its own clock the lease would hold for another ten minutes once run out.
        JdbcLeaseClusterView behind = view(node("node-behind", Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10))));
        ahead.check();
        behind.check();
        assertThat(first.isLeader()).isTrue();
        assertThat(ahead.isLeader()).isFalse();
        assertThat(behind.isLeader()).isFalse();
        assertThat(holderInTable()).isEqualTo("node-a");

        leaseRunsOutIn(300);
        Thread.sleep(500);
        behind.check(); // takes it as soon as the database says it ran out
        ahead.check();
        assertThat(behind.isLeader()).isTrue();
        assertThat(ahead.isLeader()).isFalse();
        assertThat(holderInTable()).isEqualTo("node-behind");
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
