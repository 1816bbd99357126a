package appealhub.merge;

import java.util.Arrays;

/**
 * MinHash LSH banding table over int slots, in primitive arrays (no boxing). A signature of
 * {@code bands * rows} values is cut into bands; each band hashes to one 32-bit bucket key
 * (band number mixed in, so one open addressing table serves all bands); two signatures are
 * candidates when any band agrees. Each slot may hold two signatures (kind 0 = whole text,
 * kind 1 = prefix), entry = slot*2 + kind; entry e's band b is posting {@code e*bands + b}.
 *
 * <p>Memory layout (issue 16: a year of data): per posting its bucket key and the next posting
 * of its bucket's chain (8 bytes); the table holds only each bucket's first posting (4 bytes a
 * bucket, at most 3/4 full) and compares the key stored with that posting. The signatures
 * themselves are not kept: a remove unlinks the postings by their stored keys. About 13 bytes
 * per posting, 40 postings per case with a prefix signature, where it was ~28 plus the two
 * 100-value signatures the caller kept for removal. Not thread-safe: {@link MergeEngine} guards it.
 */
final class LshIndex {
    private static final int FREE = -1;     // table slot never used
    private static final int EMPTIED = -2;  // its chain emptied: skipped, dropped when the table grows
    private static final int NONE = -1;     // end of a chain

    private final int bands;
    private final int rows;
    private int[] heads = filled(1 << 12, FREE);   // table slot -> first posting of the bucket
    private int usedSlots;                          // live and emptied
    private int[] keys = new int[0];                // posting -> its bucket key
    private int[] next = new int[0];                // posting -> next posting in the chain
    private int[] found = new int[64];              // scratch for lookups

    LshIndex(int bands, int rows) {
        this.bands = bands;
        this.rows = rows;
    }

    int bands() {
        return bands;
    }

    int rows() {
        return rows;
    }

    private static int[] filled(int n, int v) {
        int[] a = new int[n];
        Arrays.fill(a, v);
        return a;
    }

    private int bandKey(int[] sig, int band) {
        long h = 0x243F6A8885A308D3L + band;
        int off = band * rows;
        for (int r = 0; r < rows; r++) {
            h = (h ^ (sig[off + r] & 0xFFFFFFFFL)) * 0x9E3779B97F4A7C15L;
        }
        return (int) (TextShingler.mix64(h) >>> 32);
    }

    /** Index of the table slot whose bucket has key, or -(first free slot + 1). */
    private int find(int key) {
        int mask = heads.length - 1;
        int i = (key * 0x9E3779B9) >>> 1 & mask;
        while (true) {
            int h = heads[i];
            if (h == FREE) {
                return -(i + 1);
            }
            if (h >= 0 && keys[h] == key) {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    /** Adds signature sig as entry (slot*2 + kind). */
    void add(int slot, int kind, int[] sig) {
        int entry = slot * 2 + kind;
        ensureEntries(entry + 1);
        for (int band = 0; band < bands; band++) {
            int posting = entry * bands + band;
            int key = bandKey(sig, band);
            keys[posting] = key;
            int t = find(key);
            if (t < 0) {
                if ((usedSlots + 1) * 4L > heads.length * 3L) {
                    grow();
                    t = find(key);
                }
                t = -t - 1;
                usedSlots++;
                next[posting] = NONE;
            } else {
                next[posting] = heads[t];
            }
            heads[t] = posting;
        }
    }

    /** Removes entry (slot*2 + kind), which was added before. */
    void remove(int slot, int kind) {
        int entry = slot * 2 + kind;
        for (int band = 0; band < bands; band++) {
            int posting = entry * bands + band;
            int t = find(keys[posting]);
            if (t < 0) {
                continue;
            }
            int prev = NONE;
            for (int p = heads[t]; p != NONE; prev = p, p = next[p]) {
                if (p == posting) {
                    if (prev == NONE) {
                        heads[t] = next[p] == NONE ? EMPTIED : next[p];
                    } else {
                        next[prev] = next[p];
                    }
                    break;
                }
            }
        }
    }

    /**
     * Slots having a band in common with sig (either kind), sorted and distinct, in a scratch
     * array valid until the next call: returns the count; read them with {@link #found()}.
     */
    int lookup(int[] sig, int already) {
        int n = already;
        for (int band = 0; band < bands; band++) {
            int t = find(bandKey(sig, band));
            if (t < 0) {
                continue;
            }
            for (int p = heads[t]; p != NONE; p = next[p]) {
                if (n == found.length) {
                    found = Arrays.copyOf(found, n * 2);
                }
                found[n++] = (p / bands) >>> 1;
            }
        }
        return n;
    }

    /** Sorts and de-duplicates the first n found slots; returns the distinct count. */
    int distinct(int n) {
        Arrays.sort(found, 0, n);
        int d = 0;
        for (int i = 0; i < n; i++) {
            if (d == 0 || found[i] != found[d - 1]) {
                found[d++] = found[i];
            }
        }
        return d;
    }

    int[] found() {
        return found;
    }

    private void ensureEntries(int entries) {
        long need = (long) entries * bands;
        if (need > next.length) {
            long cap = Math.max(need, (long) next.length * 3 / 2 + bands * 64L);
            if (cap > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("merge index full");
            }
            next = Arrays.copyOf(next, (int) cap);
            keys = Arrays.copyOf(keys, (int) cap);
        }
    }

    private void grow() {
        int[] old = heads;
        int live = 0;
        for (int h : old) {
            if (h >= 0) {
                live++;
            }
        }
        int size = old.length;
        while ((live + 1) * 2L > size) {   // room to grow again after dropping emptied buckets
            size *= 2;
        }
        heads = filled(size, FREE);
        usedSlots = 0;
        for (int h : old) {
            if (h >= 0) {
                heads[-find(keys[h]) - 1] = h;
                usedSlots++;
            }
        }
    }

    /** Approximate bytes held (table + postings), for the benchmark. */
    long bytes() {
        return 4L * heads.length + 4L * keys.length + 4L * next.length + 4L * found.length;
    }
}
