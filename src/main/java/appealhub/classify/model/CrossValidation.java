package appealhub.classify.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Stratified k-fold cross-validation measured on raw messages only. Folds are dealt over the
 * raw rows of a {@link TrainingSet}, near-copies kept in one fold; words-only rows are always in
 * training, except those that are the same message as a raw row of the test fold (else the test
 * would be leaky). Scores are collected out of fold; probabilities come from a softmax
 * temperature fitted on the other folds' out-of-fold scores (cross-fitted), so log-loss and
 * calibration error are measured on scores the temperature never saw.
 */
public final class CrossValidation {

    private CrossValidation() {}

    /** One repeat's pooled out-of-fold result on the raw rows. */
    public record Result(Metrics metrics, double logLoss, double ece, double[] confidence, boolean[] correct,
                         double temperature) {}

    /** Raw linear scores of every raw row from the model that did not see its fold, and its fold. */
    public record OutOfFold(List<String> labels, double[][] scores, int[] truth, int[] fold) {}

    /**
     * Test indices of k folds: each class's members are shuffled (seeded) and dealt round-robin,
     * continuing where the previous class stopped, so every fold has about the same size and
     * class mix.
     */
    public static int[][] stratifiedFolds(List<String> y, int k, long seed) {
        int[] group = new int[y.size()];
        for (int i = 0; i < group.length; i++) {
            group[i] = i;
        }
        return stratifiedGroupFolds(y, group, k, seed);
    }

    /**
     * As {@link #stratifiedFolds}, dealing groups (rows with the same {@code group}) instead of
     * rows: a group is in one fold, stratified by its first member's class.
     */
    public static int[][] stratifiedGroupFolds(List<String> y, int[] group, int k, long seed) {
        if (k < 2 || k > y.size()) {
            throw new IllegalArgumentException("k must be between 2 and " + y.size());
        }
        Map<Integer, List<Integer>> members = new LinkedHashMap<>();
        for (int i = 0; i < y.size(); i++) {
            members.computeIfAbsent(group[i], g -> new ArrayList<>()).add(i);
        }
        Map<String, List<List<Integer>>> byClass = new TreeMap<>();
        for (List<Integer> m : members.values()) {
            byClass.computeIfAbsent(y.get(m.get(0)), l -> new ArrayList<>()).add(m);
        }
        List<List<Integer>> folds = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            folds.add(new ArrayList<>());
        }
        Random rnd = new Random(seed);
        int next = 0;
        for (List<List<Integer>> groups : byClass.values()) {
            Collections.shuffle(groups, rnd);
            for (List<Integer> g : groups) {
                folds.get(next).addAll(g);
                next = (next + 1) % k;
            }
        }
        int[][] out = new int[k][];
        for (int f = 0; f < k; f++) {
            out[f] = folds.get(f).stream().mapToInt(Integer::intValue).sorted().toArray();
        }
        return out;
    }

    /**
     * Out-of-fold scores of the raw rows. {@code counts} are in {@link TrainingSet#all()} order;
     * settings are used uncalibrated (the temperature is fitted on these scores).
     */
    public static OutOfFold outOfFold(TrainingSet data, List<Map<String, Double>> counts, ModelSettings s, int k, long seed) {
        ModelSettings raw = s.withCalibrate(false);
        List<String> all = data.labels();
        List<String> labels = new ArrayList<>(new TreeSet<>(all));
        int n = data.raw().size();
        List<String> yRaw = all.subList(0, n);
        int[][] folds = stratifiedGroupFolds(yRaw, data.rawGroup(), k, seed);
        double[][] scores = new double[n][];
        int[] truth = new int[n];
        int[] foldOf = new int[n];
        for (int f = 0; f < folds.length; f++) {
            boolean[] isTest = new boolean[n];
            for (int i : folds[f]) {
                isTest[i] = true;
                foldOf[i] = f;
            }
            List<Map<String, Double>> tc = new ArrayList<>();
            List<String> ty = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (!isTest[i]) {
                    tc.add(counts.get(i));
                    ty.add(all.get(i));
                }
            }
            for (int j = 0; j < data.segmented().size(); j++) {
                if (Arrays.stream(data.twins()[j]).noneMatch(r -> isTest[r])) {
                    tc.add(counts.get(n + j));
                    ty.add(all.get(n + j));
                }
            }
            if (folds[f].length == 0) {
                continue;
            }
            if (new TreeSet<>(ty).size() < 2) {
                // a tiny data set whose other folds hold one class: nothing to learn, no preference
                for (int i : folds[f]) {
                    scores[i] = new double[labels.size()];
                    truth[i] = labels.indexOf(all.get(i));
                }
                continue;
            }
            LinearTopicModel m = TopicModelTrainer.train(tc, ty, raw, "cv");
            for (int i : folds[f]) {
                double[] sc = m.scores(counts.get(i));
                // a fold's model may lack a rare class: it gets a score no softmax will pick
                double[] full = new double[labels.size()];
                Arrays.fill(full, -1e3);
                for (int c = 0; c < m.labels().size(); c++) {
                    full[labels.indexOf(m.labels().get(c))] = sc[c];
                }
                scores[i] = full;
                truth[i] = labels.indexOf(all.get(i));
            }
        }
        return new OutOfFold(labels, scores, truth, foldOf);
    }

    /** One k-fold repeat: out-of-fold scores, cross-fitted temperature, pooled figures. */
    public static Result run(TrainingSet data, List<Map<String, Double>> counts, ModelSettings s, int k, long seed) {
        return evaluate(outOfFold(data, counts, s, k, seed), s.calibrate());
    }

    /**
     * Pooled figures of out-of-fold scores. With {@code calibrate}, each fold's probabilities use
     * the temperature fitted on the other folds' scores; without, temperature 1 (raw softmax).
     */
    public static Result evaluate(OutOfFold oof, boolean calibrate) {
        int n = oof.scores().length;
        int kc = oof.labels().size();
        int folds = Arrays.stream(oof.fold()).max().orElse(0) + 1;
        double[] t = new double[folds];
        Arrays.fill(t, 1.0);
        if (calibrate) {
            for (int f = 0; f < folds; f++) {
                final int ff = f;
                int[] others = java.util.stream.IntStream.range(0, n).filter(i -> oof.fold()[i] != ff).toArray();
                t[f] = Calibration.fitTemperature(pick(oof.scores(), others), pick(oof.truth(), others));
            }
        }
        int[][] confusion = new int[kc][kc];
        double logLoss = 0;
        double[] conf = new double[n];
        boolean[] hit = new boolean[n];
        for (int i = 0; i < n; i++) {
            double[] p = LinearTopicModel.toProbabilities(oof.scores()[i], "softmax", t[oof.fold()[i]]);
            int best = 0;
            for (int c = 1; c < kc; c++) {
                if (p[c] > p[best]) {
                    best = c;
                }
            }
            confusion[oof.truth()[i]][best]++;
            logLoss -= Math.log(Math.max(p[oof.truth()[i]], 1e-12));
            conf[i] = p[best];
            hit[i] = best == oof.truth()[i];
        }
        double overall = calibrate ? Calibration.fitTemperature(oof.scores(), oof.truth()) : 1.0;
        return new Result(Metrics.of(oof.labels(), confusion), logLoss / n, ece(conf, hit, 10), conf, hit, overall);
    }

    private static double[][] pick(double[][] a, int[] idx) {
        double[][] out = new double[idx.length][];
        for (int i = 0; i < idx.length; i++) {
            out[i] = a[idx[i]];
        }
        return out;
    }

    private static int[] pick(int[] a, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = a[idx[i]];
        }
        return out;
    }

    /** Expected calibration error of the top class: |accuracy - confidence| per bin, weighted by bin size. */
    public static double ece(double[] confidence, boolean[] correct, int bins) {
        return Calibration.ece(confidence, correct, bins);
    }
}
