package appealhub.merge;

import java.text.Normalizer;
import java.util.Arrays;

/**
 * Chinese-text shingling. Normalisation: NFKC (full-width to half-width), lower case, every
 * run of digits becomes one {@code 0} (dates, house numbers and amounts are re-typed
 * differently by different people), everything that is not a letter or digit (punctuation,
 * whitespace, the scraped HTML's tabs and line breaks, emoji) is dropped. Shingles are the
 * overlapping character n-grams of the normalised text (bigrams: a Chinese word is mostly
 * two characters, so a swapped synonym only touches the few bigrams around it), each hashed
 * to a 32-bit id; a text becomes the sorted, distinct array of those ids.
 */
public final class TextShingler {
    private final int[] sizes;

    public TextShingler(int... sizes) {
        this.sizes = sizes.clone();
    }

    public static String normalize(String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        String n = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(java.util.Locale.ROOT);
        StringBuilder out = new StringBuilder(n.length());
        boolean inDigits = false;
        for (int i = 0; i < n.length(); ) {
            int cp = n.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isDigit(cp)) {
                if (!inDigits) {
                    out.append('0');
                }
                inDigits = true;
            } else {
                inDigits = false;
                if (Character.isLetter(cp)) {
                    out.appendCodePoint(cp);
                }
            }
        }
        return out.toString();
    }

    /** Sorted distinct shingle ids of already-normalised text parts (shingles never span two parts). */
    public int[] shingles(String... normalizedParts) {
        int total = 0;
        int[][] cps = new int[normalizedParts.length][];
        for (int p = 0; p < normalizedParts.length; p++) {
            cps[p] = normalizedParts[p] == null ? new int[0] : normalizedParts[p].codePoints().toArray();
            total += cps[p].length * sizes.length;
        }
        int[] ids = new int[total];
        int k = 0;
        for (int[] cp : cps) {
            for (int size : sizes) {
                for (int i = 0; i + size <= cp.length; i++) {
                    long h = size * 0x9E3779B97F4A7C15L;
                    for (int j = 0; j < size; j++) {
                        h = (h ^ cp[i + j]) * 0xBF58476D1CE4E5B9L;
                    }
                    ids[k++] = (int) (mix64(h) >>> 32);
                }
            }
        }
        int[] sorted = Arrays.copyOf(ids, k);
        Arrays.sort(sorted);
        return distinct(sorted);
    }

    static int[] distinct(int[] sorted) {
        if (sorted.length == 0) {
            return sorted;
        }
        int n = 1;
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] != sorted[n - 1]) {
                sorted[n++] = sorted[i];
            }
        }
        return n == sorted.length ? sorted : Arrays.copyOf(sorted, n);
    }

    /** |a ∩ b| of two sorted distinct arrays. */
    public static int intersection(int[] a, int[] b) {
        int i = 0, j = 0, n = 0;
        while (i < a.length && j < b.length) {
            int x = a[i], y = b[j];
            if (x == y) {
                n++;
                i++;
                j++;
            } else if (x < y) {
                i++;
            } else {
                j++;
            }
        }
        return n;
    }

    /** Murmur3's 64-bit finaliser. */
    static long mix64(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB93FE1A85EC3L;
        return z ^ (z >>> 33);
    }
}
