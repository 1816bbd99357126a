package appealhub.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.support.ScratchPostgres;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Nodes whose clocks disagree by minutes, on real PostgreSQL (a throw-away database) with the
 * views' own renewal timers and a short lease: a node whose clock runs ahead never takes a lease
 * that still holds, and when the holder dies (its database calls fail from then on, as for a
 * node cut off or gone) the lease is taken over once it ran out by the database's clock, by a
 * node ahead or behind alike, and never held by two at once.
 */
class LeaseClockSkewTest {
    static final String NS = "hotline12345-pull";
    static final Duration TTL = Duration.ofSeconds(5); // rounds every 1.7 s: room for a busy machine
    static final Duration SKEW = Duration.ofMinutes(7);

    ScratchPostgres db;
    JdbcTemplate jdbc;
    final List<JdbcLeaseClusterService> services = new ArrayList<>();

    @BeforeEach
    void database() {
        db = new ScratchPostgres("appealhub_lease");
        var ds = new DriverManagerDataSource(db.url(), ScratchPostgres.USER, "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(ds);
    }

    @AfterEach
    void stop() {
        services.forEach(JdbcLeaseClusterService::stop);
        if (db != null) db.close();
    }

    /** A node's lease table that can be cut off: from then on every call fails, as with no database. */
    static final class Cuttable extends LeaseTable {
        volatile boolean cut;

        Cuttable(JdbcTemplate jdbc) {
            super(jdbc);
        }

        @Override
        public boolean acquire(String namespace, String holder, Duration ttl) {
            if (cut) throw new DataAccessResourceFailureException("cut off");
            return super.acquire(namespace, holder, ttl);
        }

        @Override
        public java.util.Optional<String> holder(String namespace) {
            if (cut) throw new DataAccessResourceFailureException("cut off");
            return super.holder(namespace);
        }

        @Override
        public void release(String namespace, String holder) {
            if (cut) throw new DataAccessResourceFailureException("cut off");
            super.release(namespace, holder);
        }
    }

    record Node(String id, JdbcLeaseClusterService service, Cuttable table) {
        boolean leads() {
            return service.isLeader(NS);
        }
    }

    Node node(String id, Duration clockOffset) throws Exception {
        Cuttable table = new Cuttable(jdbc);
        var service = new JdbcLeaseClusterService(id, table, Clock.offset(Clock.systemUTC(), clockOffset), TTL);
        service.start();
        services.add(service);
        service.getView(NS); // starts the view: first attempt now, then a round every TTL / 3
        return new Node(id, service, table);
    }

    /** The row as the database has it: holder, when taken, until when. */
    record Row(String holder, Instant acquiredAt, Instant expiresAt) {}

    Row row() {
        List<Map<String, Object>> rows = jdbc.queryForList(
                "select holder, acquired_at, expires_at from cluster_lease where namespace = ?", NS);
        if (rows.isEmpty()) return null;
        Map<String, Object> r = rows.get(0);
        return new Row((String) r.get("holder"), ((Timestamp) r.get("acquired_at")).toInstant(),
                ((Timestamp) r.get("expires_at")).toInstant());
    }

    /**
     * Watches for {@code duration}: never two nodes leading at once; the row changes hands only
     * to a node that took it after the last expiry seen of the one before (by the database's clock).
     * Returns the holders in the order they held it.
     */
    List<String> watch(Duration duration, List<Node> nodes) throws InterruptedException {
        List<String> holders = new ArrayList<>();
        Row last = null;
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            long leading = nodes.stream().filter(Node::leads).count();
            assertThat(leading).as("nodes leading at once").isLessThanOrEqualTo(1);
            Row now = row();
            if (now != null) {
                if (last != null && !now.holder().equals(last.holder())) {
                    assertThat(now.acquiredAt()).as(now.holder() + " took the lease after " + last.holder() + "'s ran out")
                            .isAfter(last.expiresAt());
                }
                if (holders.isEmpty() || !holders.get(holders.size() - 1).equals(now.holder())) holders.add(now.holder());
                last = now;
            }
            Thread.sleep(20);
        }
        return holders;
    }

    @Test
    void nodesSevenMinutesApartNeverBothHoldTheLeaseAndTakeOverWhenItRunsOut() throws Exception {
        Node onTime = node("node-on-time", Duration.ZERO);
        Node ahead = node("node-ahead", SKEW);
        Node behind = node("node-behind", SKEW.negated());
        List<Node> all = List.of(onTime, ahead, behind);
        assertThat(onTime.leads()).as("the first to start leads").isTrue();

        // Two lease times of renewals: by its clock node-ahead sees the lease run out minutes ago at
        // every round, yet it stays where it is.
        assertThat(watch(TTL.multipliedBy(2), all)).containsExactly("node-on-time");
        assertThat(ahead.leads()).isFalse();
        assertThat(behind.leads()).isFalse();

        // The holder is gone: one of the others takes over once the lease ran out (at most TTL after
        // its last renewal, found at the next round), not minutes early or late.
        onTime.table().cut = true;
        Instant cut = Instant.now();
        List<String> afterCut = watch(TTL.plus(TTL.dividedBy(3)).plusSeconds(3), all);
        assertThat(afterCut).hasSize(2).startsWith("node-on-time");
        assertThat(onTime.leads()).as("the node cut off stepped down").isFalse();
        Node second = afterCut.get(1).equals(ahead.id()) ? ahead : behind;
        Node third = second == ahead ? behind : ahead;
        assertThat(second.leads()).isTrue();
        assertThat(Duration.between(cut, row().acquiredAt())).as("taken over after the cut")
                .isPositive().isLessThan(TTL.plus(TTL.dividedBy(3)).plusSeconds(2));

        // Then that one is gone too: the last node takes over the same way, whichever way its clock is off.
        second.table().cut = true;
        List<String> afterSecondCut = watch(TTL.plus(TTL.dividedBy(3)).plusSeconds(3), all);
        assertThat(afterSecondCut).containsExactly(second.id(), third.id());
        assertThat(third.leads()).isTrue();
        assertThat(second.leads()).isFalse();
    }
}
