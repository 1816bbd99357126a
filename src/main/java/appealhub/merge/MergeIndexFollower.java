package appealhub.merge;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Keeps this instance's in-memory index level with table merge_index, which every hub instance
 * writes: before a lookup, the rows saved since the last one read are added, so a repeat placed
 * on instance B joins the case instance A made a moment earlier (docs/cluster.md).
 *
 * <p>Rows are numbered by a database sequence when saved, but commit in any order: a number
 * skipped by the rows read so far may belong to a transaction still running. Such gaps are
 * asked for again at each catch-up until the row shows up or {@link #GAP_PATIENCE} has passed
 * (a rolled-back save, or numbers a sequence cache skipped, never fill).
 *
 * <p>Catch-ups run one at a time. A lookup that waited for the monitor while others ran needs
 * no query of its own when one of them began after the lookup arrived: that one read every row
 * committed before (issue 16: eight placements queued on the monitor, each querying in turn).
 */
final class MergeIndexFollower {
    static final Duration GAP_PATIENCE = Duration.ofSeconds(60);
    private static final int BATCH = 1000;
    private static final int MAX_GAPS = 10_000;
    private static final int GAPS_PER_QUERY = 200;

    private final MergeIndexStore store;
    private final MergeEngine engine;
    private final Clock clock;
    /** Every row numbered up to here has been read, except the gaps. */
    private long seen;
    private final TreeMap<Long, Instant> gaps = new TreeMap<>();
    /** Catch-ups begun (counted under the monitor, read without it), and the last one that ended well. */
    private volatile long begun;
    private long ended;

    MergeIndexFollower(MergeIndexStore store, MergeEngine engine, Clock clock) {
        this.store = store;
        this.engine = engine;
        this.clock = clock;
    }

    /** Follows from row number {@code seq} on (the index was just loaded up to it). */
    synchronized void startAfter(long seq) {
        seen = seq;
        gaps.clear();
    }

    /**
     * Adds the rows other instances (and this one) saved since the last catch-up; returns how
     * many (0 when a catch-up begun after this call came in has read them already).
     */
    int catchUp() {
        long arrived = begun;
        synchronized (this) {
            if (ended > arrived) {
                return 0; // a catch-up begun after this call came in read every row committed before, and ended well
            }
            long round = begun + 1;
            begun = round;
            int added = readNewRows();
            ended = round;
            return added;
        }
    }

    private int readNewRows() {
        Instant now = clock.instant();
        gaps.values().removeIf(noticed -> noticed.isBefore(now.minus(GAP_PATIENCE)));
        int added = 0;
        int newRows;
        do {
            List<Long> asked = new ArrayList<>(gaps.keySet()).subList(0, Math.min(gaps.size(), GAPS_PER_QUERY));
            List<MergeIndexStore.Numbered> rows = store.savedAfter(seen, asked, BATCH);
            newRows = 0;
            for (MergeIndexStore.Numbered r : rows) {
                if (r.seq() > seen) {
                    for (long missing = Math.max(seen + 1, r.seq() - MAX_GAPS); missing < r.seq(); missing++) {
                        gaps.put(missing, now);
                    }
                    seen = r.seq();
                    newRows++;
                } else if (gaps.remove(r.seq()) == null) {
                    continue; // read before
                }
                engine.add(r.row()); // replaces the case if this instance has it already
                added++;
            }
            while (gaps.size() > MAX_GAPS) gaps.pollFirstEntry();
        } while (newRows == BATCH);
        return added;
    }

    synchronized int openGaps() {
        return gaps.size();
    }
}
