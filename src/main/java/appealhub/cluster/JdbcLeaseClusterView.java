package appealhub.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One namespace's lease. start: the first attempt is made at once (so on a single instance the
 * routes start with the context, not a renewal period later; a listener added afterwards is told
 * the current leader by AbstractCamelClusterView), then every ttl/3 on its own thread; stop: the
 * lease is released. A node steps down when it could not renew in time, before its lease
 * expires and another node may take it.
 */
public class JdbcLeaseClusterView extends AbstractCamelClusterView {
    private static final Logger log = LoggerFactory.getLogger(JdbcLeaseClusterView.class);

    private final LeaseTable leases;
    private final Clock clock;
    private final Duration ttl;
    private final Duration renewEvery;
    private final String nodeId;
    private final Member local;

    private volatile boolean leader;
    private volatile String leaderId;
    private volatile Instant leaseUntil;
    private ScheduledExecutorService timer;

    JdbcLeaseClusterView(JdbcLeaseClusterService service, String namespace, LeaseTable leases, Clock clock, Duration ttl) {
        super(service, namespace);
        this.leases = leases;
        this.clock = clock;
        this.ttl = ttl;
        this.renewEvery = ttl.dividedBy(3);
        this.nodeId = service.getId();
        this.local = new Member(nodeId, true);
    }

    @Override
    protected void doStart() {
        check();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cluster-lease-" + getNamespace());
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::scheduledCheck, renewEvery.toMillis(), renewEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() throws InterruptedException {
        if (timer != null) {
            timer.shutdownNow();
            timer.awaitTermination(ttl.toMillis(), TimeUnit.MILLISECONDS); // a round in flight ends first
            timer = null;
        }
        synchronized (this) {
            boolean wasLeader = leader;
            changeLeader(false, null);
            if (!wasLeader) return;
            try {
                leases.release(getNamespace(), nodeId);
                log.info("cluster: {} released by {}", getNamespace(), nodeId);
            } catch (RuntimeException e) {
                log.warn("cluster: {} not released ({}); it expires within {}", getNamespace(), e.toString(), ttl);
            }
        }
    }

    /** One round: take or renew the lease, or learn who has it. Package-private for tests. */
    synchronized void check() {
        // Expiry is the database's business (LeaseTable compares with its clock). This node's clock
        // only bounds, as elapsed time, how long a lease it renewed surely holds: the database set
        // expires_at = its now + ttl after this statement was sent, so not before sent + ttl.
        Instant sent = clock.instant();
        boolean leads;
        String holder;
        try {
            leads = leases.acquire(getNamespace(), nodeId, ttl);
            if (leads) leaseUntil = sent.plus(ttl);
            holder = leads ? nodeId : leases.holder(getNamespace()).orElse(null);
        } catch (RuntimeException e) {
            // The database is unreachable: keep leading only while the lease surely still holds
            // at the next round (the failed call itself may have taken a while).
            leads = leader && leaseUntil != null && clock.instant().plus(renewEvery).isBefore(leaseUntil);
            holder = leads ? nodeId : null;
            log.warn("cluster: lease of {} not renewed ({}){}", getNamespace(), e.toString(),
                    leader ? (leads ? "; still held until " + leaseUntil : "; stepping down") : "");
        }
        changeLeader(leads, holder);
    }

    /** The timer's round: an exception escaping would end the renewals for good. */
    private void scheduledCheck() {
        try {
            check();
        } catch (RuntimeException e) {
            log.error("cluster: round for {} failed, trying again in {}", getNamespace(), renewEvery, e);
        }
    }

    private void changeLeader(boolean nowLeader, String newLeaderId) {
        boolean changed = nowLeader != leader || !java.util.Objects.equals(newLeaderId, leaderId);
        boolean wasLeader = leader;
        leader = nowLeader;
        leaderId = newLeaderId;
        if (!changed) return;
        if (nowLeader != wasLeader) {
            log.info("cluster: {} {} {}", nodeId, nowLeader ? "now leads" : "no longer leads", getNamespace());
        }
        fireLeadershipChangedEvent(getLeader());
    }

    public boolean isLeader() {
        return leader;
    }

    @Override
    public Optional<CamelClusterMember> getLeader() {
        String id = leaderId;
        if (id == null) return Optional.empty();
        return Optional.of(id.equals(nodeId) ? local : new Member(id, false));
    }

    @Override
    public CamelClusterMember getLocalMember() {
        return local;
    }

    @Override
    public List<CamelClusterMember> getMembers() {
        // Only the holder is known from the lease table (other nodes leave no trace while waiting).
        List<CamelClusterMember> members = new ArrayList<>();
        members.add(local);
        getLeader().filter(m -> !m.isLocal()).ifPresent(members::add);
        return members;
    }

    private final class Member implements CamelClusterMember {
        private final String id;
        private final boolean isLocal;

        Member(String id, boolean isLocal) {
            this.id = id;
            this.isLocal = isLocal;
        }

        @Override
        public String getId() {
            return id;
        }

        @Override
        public boolean isLeader() {
            return id.equals(leaderId);
        }

        @Override
        public boolean isLocal() {
            return isLocal;
        }
    }
}
