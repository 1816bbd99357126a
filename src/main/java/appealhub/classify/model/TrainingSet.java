package appealhub.classify.model;

import appealhub.classify.model.LabelledAppeals.Example;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a topic model is trained on: raw labelled messages (title and content as the hub sees
 * them) and, optionally, words-only messages (a segmented file, see
 * {@link LabelledAppeals#readSegmented}). Many words-only rows are the same messages as raw
 * rows, and some raw rows are near-copies of each other (one citizen writing twice); both are
 * found here once, by character-bigram containment, so that cross-validation never trains on a
 * twin of a message it measures on.
 *
 * <ul>
 * <li>{@link #rawGroup()}: raw rows that are near-copies share a group (cross-validation keeps a
 *     group in one fold);</li>
 * <li>{@link #twins()}: for each words-only row, the raw rows it is the same message as (it is
 *     left out of training whenever one of them is in the test fold).</li>
 * </ul>
 */
public record TrainingSet(List<Example> raw, List<Example> segmented, int[] rawGroup, int[][] twins) {

    /**
     * Share of a message's distinct character bigrams (word characters only) found in the other
     * message from which on the two count as the same message. Chosen from the distribution of
     * each words-only row's best match (bench/topic-model-eval.sh --overlap): it has two humps,
     * different messages around 0.15 (0.1-0.4), the same message around 0.75 (0.6-0.9), and a
     * trough at 0.45-0.55; 0.5 errs towards "same" (leaving a row out of a fold's training
     * costs little, a leak inflates the figures).
     */
    public static final double SAME_MESSAGE = 0.5;

    /** Messages shorter than this many distinct bigrams are never taken for the same message. */
    private static final int MIN_BIGRAMS = 12;

    /** A bigram in more raw messages than this is too common to say which message it is. */
    private static final int COMMON_BIGRAM = 400;

    public static TrainingSet rawOnly(List<Example> raw) {
        return of(raw, List.of());
    }

    public static TrainingSet of(List<Example> raw, List<Example> segmented) {
        Overlap o = new Overlap(raw);
        int n = raw.size();
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        for (int i = 0; i < n; i++) {
            for (int j : o.matches(o.rawBigrams[i], i)) {
                union(parent, i, j);
            }
        }
        int[] group = new int[n];
        for (int i = 0; i < n; i++) {
            group[i] = find(parent, i);
        }
        int[][] twins = new int[segmented.size()][];
        for (int s = 0; s < segmented.size(); s++) {
            Example e = segmented.get(s);
            twins[s] = o.matches(Overlap.bigrams(e.title() + " " + e.content()), -1);
        }
        return new TrainingSet(List.copyOf(raw), List.copyOf(segmented), group, twins);
    }

    /** The same raw rows and groups without the words-only rows. */
    public static TrainingSet rawOnlyOf(TrainingSet set) {
        return new TrainingSet(set.raw, List.of(), set.rawGroup, new int[0][]);
    }

    /** Raw rows followed by words-only rows: the order of {@link #counts} and {@link #labels}. */
    public List<Example> all() {
        List<Example> out = new ArrayList<>(raw.size() + segmented.size());
        out.addAll(raw);
        out.addAll(segmented);
        return out;
    }

    public List<String> labels() {
        return all().stream().map(Example::label).toList();
    }

    public int size() {
        return raw.size() + segmented.size();
    }

    /** Number of raw rows that have at least one near-copy among the raw rows. */
    public int rawInSharedGroups() {
        Map<Integer, Integer> size = new HashMap<>();
        for (int g : rawGroup) {
            size.merge(g, 1, Integer::sum);
        }
        int c = 0;
        for (int g : rawGroup) {
            if (size.get(g) > 1) {
                c++;
            }
        }
        return c;
    }

    /** Number of words-only rows that are the same message as some raw row. */
    public int segmentedWithTwin() {
        return (int) Arrays.stream(twins).filter(t -> t.length > 0).count();
    }

    private static int find(int[] p, int i) {
        while (p[i] != i) {
            p[i] = p[p[i]];
            i = p[i];
        }
        return i;
    }

    private static void union(int[] p, int a, int b) {
        int ra = find(p, a);
        int rb = find(p, b);
        if (ra != rb) {
            p[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }

    /** Character-bigram index of the raw rows. */
    static final class Overlap {
        final int[][] rawBigrams;
        private final Map<Integer, int[]> postings = new HashMap<>();

        Overlap(List<Example> raw) {
            rawBigrams = new int[raw.size()][];
            Map<Integer, List<Integer>> lists = new HashMap<>();
            for (int i = 0; i < raw.size(); i++) {
                rawBigrams[i] = bigrams(raw.get(i).title() + " " + raw.get(i).content());
                for (int b : rawBigrams[i]) {
                    lists.computeIfAbsent(b, x -> new ArrayList<>()).add(i);
                }
            }
            lists.forEach((b, l) -> {
                if (l.size() <= COMMON_BIGRAM) {
                    postings.put(b, l.stream().mapToInt(Integer::intValue).toArray());
                }
            });
        }

        /** Raw rows (other than {@code self}) sharing at least {@link #SAME_MESSAGE} of the smaller bigram set. */
        int[] matches(int[] query, int self) {
            return matchesAt(query, self, SAME_MESSAGE);
        }

        int[] matchesAt(int[] query, int self, double threshold) {
            int[] hits = hits(query, self);
            return java.util.stream.IntStream.range(0, hits.length)
                    .filter(r -> hits[r] > 0 && similarity(hits[r], query.length, rawBigrams[r].length) >= threshold)
                    .toArray();
        }

        /** Best similarity of a query against any raw row but {@code self} (for the threshold's histogram). */
        double best(int[] query, int self) {
            int[] hits = hits(query, self);
            double best = 0;
            for (int r = 0; r < hits.length; r++) {
                if (hits[r] > 0) {
                    best = Math.max(best, similarity(hits[r], query.length, rawBigrams[r].length));
                }
            }
            return best;
        }

        /** Shared (not too common) bigrams with each raw row. */
        private int[] hits(int[] query, int self) {
            int[] hits = new int[rawBigrams.length];
            for (int b : query) {
                int[] p = postings.get(b);
                if (p != null) {
                    for (int r : p) {
                        hits[r]++;
                    }
                }
            }
            if (self >= 0) {
                hits[self] = 0;
            }
            return hits;
        }

        private static double similarity(int shared, int a, int b) {
            int min = Math.min(a, b);
            // a handful of characters cannot say which message it is
            return min < MIN_BIGRAMS ? 0 : (double) shared / min;
        }

        /** Distinct bigrams of word characters (everything else dropped), normalised as for features. */
        static int[] bigrams(String text) {
            String t = TextNormalizer.normalize(text);
            StringBuilder w = new StringBuilder(t.length());
            for (int i = 0; i < t.length(); i++) {
                if (TextNormalizer.isWordChar(t.charAt(i))) {
                    w.append(t.charAt(i));
                }
            }
            int[] out = new int[Math.max(0, w.length() - 1)];
            for (int i = 0; i + 1 < w.length(); i++) {
                out[i] = (w.charAt(i) << 16) | w.charAt(i + 1);
            }
            return Arrays.stream(out).distinct().sorted().toArray();
        }
    }
}
