package appealhub.merge;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Near-duplicate detection of appeals (issue 5): "is this new appeal the same problem as an
 * open or recent case?". Method and figures: docs/merge.md; settings: {@code hub.merge}.
 *
 * <p>API for the case flow (intake / dispatch):
 * <ul>
 *   <li>{@link #findDuplicate(Candidate)} — before creating a case for a new appeal: the
 *       best existing case it should join, with score and reasons (for the case file), or
 *       empty (then create a case as usual). Read-only; microseconds; empty when
 *       {@code hub.merge.enabled=false}.</li>
 *   <li>{@link #index(String, Candidate)} — after a NEW case is created (not for an appeal
 *       merged into an existing case: the case's first text stays its fingerprint), so later
 *       appeals can join it. Persists the case's signature in table merge_index; when called
 *       inside a transaction the row is part of it and the in-memory index is updated after
 *       commit (a rolled-back case is never matched).</li>
 *   <li>{@link #remove(String)} — when a case must no longer attract merges (closed beyond
 *       the window, or split/undone by operations if its text was wrong).</li>
 *   <li>{@link #candidates(Candidate)} — every scored candidate above the text floor, for
 *       operations' "possible duplicates" view (no threshold applied).</li>
 * </ul>
 * At start the in-memory LSH bands are rebuilt from merge_index rows received within the
 * window (no raw text is read; about 1 s per 100k cases, see docs/merge.md). Every lookup first
 * reads the rows other hub instances saved since ({@link MergeIndexFollower}), so instances on
 * one database merge each other's repeats. Cases older
 * than the window are skipped by every lookup anyway; {@link #purgeExpired()} deletes them.
 */
@Component
public class DuplicateDetector implements SmartInitializingSingleton {
    private static final Logger log = LoggerFactory.getLogger(DuplicateDetector.class);
    private static final long RECENT_ROWS_READ_AGAIN = 1000;

    private final MergeProperties props;
    private final MergeEngine engine;
    private final MergeIndexStore store;
    private final MergeIndexFollower follower;
    private final Clock clock;

    public DuplicateDetector(MergeProperties props, JdbcTemplate jdbc, Clock clock) {
        this.props = props;
        this.engine = new MergeEngine(props);
        this.store = new MergeIndexStore(jdbc, engine.minhashVersion());
        this.follower = new MergeIndexFollower(store, engine, clock);
        this.clock = clock;
    }

    @Override
    public void afterSingletonsInstantiated() {
        reload();
    }

    /** Rebuilds the in-memory index from table merge_index; returns the number of cases loaded. */
    public int reload() {
        long t0 = System.nanoTime();
        AtomicInteger n = new AtomicInteger();
        // Numbered before loading: rows saved meanwhile, and the last few (one may have committed after
        // rows numbered above it), are read again by the follower; adding a case twice replaces it.
        follower.startAfter(Math.max(0, store.maxSeq() - RECENT_ROWS_READ_AGAIN));
        store.loadSince(clock.instant().minus(Duration.ofDays(props.windowDays())), e -> {
            engine.add(e);
            n.incrementAndGet();
        });
        log.info("Merge index: {} cases loaded in {} ms", n.get(), (System.nanoTime() - t0) / 1_000_000);
        return n.get();
    }

    /** The best case this appeal duplicates, if any (see class comment). */
    public Optional<MergeDecision> findDuplicate(Candidate c) {
        if (!props.enabled()) {
            return Optional.empty();
        }
        follower.catchUp();
        return engine.find(withTime(c));
    }

    /** All candidates whose text similarity reaches min-text-similarity, scored, best first. */
    public List<MergeDecision> candidates(Candidate c) {
        follower.catchUp();
        List<MergeDecision> all = new java.util.ArrayList<>(engine.score(engine.prepare(null, withTime(c)), props.minTextSimilarity()));
        all.sort((a, b) -> Double.compare(b.score(), a.score()));
        return all;
    }

    /** Makes case caseId findable by later appeals (see class comment). */
    public void index(String caseId, Candidate c) {
        IndexedCase e = engine.prepare(caseId, withTime(c));
        store.save(e, clock.instant());
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    engine.add(e);
                }
            });
        } else {
            engine.add(e);
        }
    }

    public void remove(String caseId) {
        store.delete(caseId);
        engine.remove(caseId);
    }

    /** Deletes cases received before the window, from the table and from memory; returns how many. */
    public int purgeExpired() {
        java.time.Instant cutoff = clock.instant().minus(Duration.ofDays(props.windowDays()));
        int purged = 0;
        List<String> batch;
        do {
            batch = store.caseIdsReceivedBefore(cutoff, 1000);
            for (String caseId : batch) {
                engine.remove(caseId);
                store.delete(caseId);
            }
            purged += batch.size();
        } while (batch.size() == 1000);
        return purged;
    }

    /** Row numbers this instance still waits for (saved by a transaction not committed yet). */
    public int followerGaps() {
        return follower.openGaps();
    }

    public int size() {
        return engine.size();
    }

    private Candidate withTime(Candidate c) {
        return c.receivedAt() != null ? c : new Candidate(c.title(), c.content(), c.phone(), c.townshipCode(),
                c.place(), c.lat(), c.lon(), clock.instant());
    }
}
