package appealhub.classify.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Stratified k-fold cross-validation of a {@link ModelSettings} on extracted counts. */
public final class CrossValidation {

    private CrossValidation() {}

    /** One repeat's pooled out-of-fold result. */
    public record Result(Metrics metrics, double logLoss, double ece) {}

    /**
     * Test indices of k folds: each class's members are shuffled (seeded) and dealt round-robin,
     * continuing where the previous class stopped, so every fold has about the same size and
     * class mix.
     */
    public static int[][] stratifiedFolds(List<String> y, int k, long seed) {
        if (k < 2 || k > y.size()) {
            throw new IllegalArgumentException("k must be between 2 and " + y.size());
        }
        Map<String, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < y.size(); i++) {
            byClass.computeIfAbsent(y.get(i), l -> new ArrayList<>()).add(i);
        }
        List<List<Integer>> folds = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            folds.add(new ArrayList<>());
        }
        Random rnd = new Random(seed);
        int next = 0;
        for (List<Integer> members : byClass.values()) {
            Collections.shuffle(members, rnd);
            for (int i : members) {
                folds.get(next).add(i);
                next = (next + 1) % k;
            }
        }
        int[][] out = new int[k][];
        for (int f = 0; f < k; f++) {
            out[f] = folds.get(f).stream().mapToInt(Integer::intValue).sorted().toArray();
        }
        return out;
    }

    /** Out-of-fold predictions of one k-fold repeat, pooled into one confusion matrix. */
    public static Result run(List<Map<String, Double>> counts, List<String> y, ModelSettings s, int k, long seed) {
        List<String> labels = new ArrayList<>(new java.util.TreeSet<>(y));
        int n = counts.size();
        int[][] confusion = new int[labels.size()][labels.size()];
        double logLoss = 0;
        double[] conf = new double[n];
        boolean[] hit = new boolean[n];
        for (int[] test : stratifiedFolds(y, k, seed)) {
            boolean[] isTest = new boolean[n];
            for (int i : test) {
                isTest[i] = true;
            }
            List<Map<String, Double>> tc = new ArrayList<>();
            List<String> ty = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (!isTest[i]) {
                    tc.add(counts.get(i));
                    ty.add(y.get(i));
                }
            }
            LinearTopicModel m = TopicModelTrainer.train(tc, ty, s, "cv");
            for (int i : test) {
                double[] p = m.probabilities(counts.get(i));
                int best = 0;
                for (int c = 1; c < p.length; c++) {
                    if (p[c] > p[best]) {
                        best = c;
                    }
                }
                int truth = labels.indexOf(y.get(i));
                int pred = labels.indexOf(m.labels().get(best));
                confusion[truth][pred]++;
                int tIdx = m.labels().indexOf(y.get(i));
                logLoss -= Math.log(Math.max(tIdx < 0 ? 0 : p[tIdx], 1e-12));
                conf[i] = p[best];
                hit[i] = truth == pred;
            }
        }
        return new Result(Metrics.of(labels, confusion), logLoss / n, ece(conf, hit, 10));
    }

    /** Expected calibration error of the top class: |accuracy - confidence| per bin, weighted by bin size. */
    public static double ece(double[] confidence, boolean[] correct, int bins) {
        double[] sumConf = new double[bins];
        double[] sumHit = new double[bins];
        int[] count = new int[bins];
        for (int i = 0; i < confidence.length; i++) {
            int b = Math.min(bins - 1, (int) (confidence[i] * bins));
            sumConf[b] += confidence[i];
            sumHit[b] += correct[i] ? 1 : 0;
            count[b]++;
        }
        double e = 0;
        for (int b = 0; b < bins; b++) {
            if (count[b] > 0) {
                e += Math.abs(sumHit[b] - sumConf[b]) / confidence.length;
            }
        }
        return e;
    }
}
