package appealhub.merge;

import java.util.Arrays;

/**
 * MinHash LSH banding table over int slots, in primitive arrays (no boxing: about 20 bytes
 * per (signature, band) posting). A signature of {@code bands * rows} values is cut into
 * bands; each band hashes to one 32-bit bucket key (band number mixed in, so one open
 * addressing table serves all bands); two signatures are candidates when any band agrees.
 * Each slot may hold two signatures (kind 0 = whole text, kind 1 = prefix); postings are
 * chained through {@code next}. Not thread-safe: {@link MergeEngine} guards it.
 */
final class LshIndex {
    private static final int NEVER = -2;   // table slot never used
    private static final int NONE = -1;    // end of a chain / used key with no postings left

    private final int bands;
    private final int rows;
    private int[] keys = new int[1 << 12];
    private int[] heads = filled(1 << 12, NEVER);
    private int usedKeys;
    private int[] next = new int[0];        // posting (entry * bands + band) -> next entry in chain
    private int[] found = new int[64];      // scratch for lookups

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

    /** Index of the table slot holding key, or -(insertion point + 1). */
    private int find(int key) {
        int mask = keys.length - 1;
        int i = (key * 0x9E3779B9) >>> 1 & mask;
        while (true) {
            if (heads[i] == NEVER) {
                return -(i + 1);
            }
            if (keys[i] == key) {
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
            int key = bandKey(sig, band);
            int t = find(key);
            if (t < 0) {
                if ((usedKeys + 1) * 2 > keys.length) {
                    grow();
                    t = find(key);
                }
                t = -t - 1;
                keys[t] = key;
                heads[t] = NONE;
                usedKeys++;
            }
            next[entry * bands + band] = heads[t];
            heads[t] = entry;
        }
    }

    /** Removes entry (slot*2 + kind), which was added with sig. */
    void remove(int slot, int kind, int[] sig) {
        int entry = slot * 2 + kind;
        for (int band = 0; band < bands; band++) {
            int t = find(bandKey(sig, band));
            if (t < 0) {
                continue;
            }
            int prev = NONE;
            for (int e = heads[t]; e != NONE; prev = e, e = next[e * bands + band]) {
                if (e == entry) {
                    int after = next[e * bands + band];
                    if (prev == NONE) {
                        heads[t] = after;
                    } else {
                        next[prev * bands + band] = after;
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
            for (int e = heads[t]; e != NONE; e = next[e * bands + band]) {
                if (n == found.length) {
                    found = Arrays.copyOf(found, n * 2);
                }
                found[n++] = e >>> 1;
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
        }
    }

    private void grow() {
        int[] oldKeys = keys;
        int[] oldHeads = heads;
        keys = new int[oldKeys.length * 2];
        heads = filled(oldKeys.length * 2, NEVER);
        usedKeys = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldHeads[i] >= 0) {               // drop keys whose chain emptied
                int t = -find(oldKeys[i]) - 1;
                keys[t] = oldKeys[i];
                heads[t] = oldHeads[i];
                usedKeys++;
            }
        }
    }

    /** Approximate bytes held (table + chains), for the benchmark. */
    long bytes() {
        return 8L * keys.length + 4L * next.length + 4L * found.length;
    }
}
