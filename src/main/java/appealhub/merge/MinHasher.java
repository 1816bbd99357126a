package appealhub.merge;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * MinHash signatures over shingle ids: value i is min over shingles x of h_i(x), with
 * h_i(x) = high 32 bits of (a_i * mix(x) + b_i) (multiply-shift universal hashing, a_i odd).
 * The seeds are fixed, so signatures persisted by one run are valid in the next; changing
 * {@link #SEED} or the number of values invalidates persisted signatures.
 */
public final class MinHasher {
    static final long SEED = 0x5EED_12345L;
    private final long[] a;
    private final long[] b;

    public MinHasher(int size) {
        SplittableRandom random = new SplittableRandom(SEED);
        a = new long[size];
        b = new long[size];
        for (int i = 0; i < size; i++) {
            a[i] = random.nextLong() | 1L;
            b[i] = random.nextLong();
        }
    }

    public int size() {
        return a.length;
    }

    public int[] signature(int[] shingles) {
        int n = a.length;
        long[] min = new long[n];
        Arrays.fill(min, Long.MAX_VALUE);
        for (int s : shingles) {
            long x = TextShingler.mix64(s);
            for (int i = 0; i < n; i++) {
                long v = (a[i] * x + b[i]) >>> 32;
                if (v < min[i]) {
                    min[i] = v;
                }
            }
        }
        int[] sig = new int[n];
        for (int i = 0; i < n; i++) {
            sig[i] = (int) min[i];
        }
        return sig;
    }
}
