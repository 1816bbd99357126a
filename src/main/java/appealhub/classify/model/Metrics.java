package appealhub.classify.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Classification figures from a confusion matrix ({@code confusion[true][predicted]}):
 * per-class precision, recall, F1 and support, accuracy and macro-F1 (the unweighted mean of
 * the per-class F1, so small classes count as much as large ones). A class never predicted has
 * precision 0; a class with no support has recall 0 (and is still part of the macro mean).
 */
public record Metrics(List<String> labels, int[][] confusion, List<ClassStats> perClass, double accuracy,
                      double macroF1, double macroPrecision, double macroRecall) {

    public record ClassStats(String label, double precision, double recall, double f1, int support) {}

    public static Metrics of(List<String> labels, int[][] confusion) {
        int k = labels.size();
        if (confusion.length != k) {
            throw new IllegalArgumentException("confusion must be " + k + "x" + k);
        }
        long total = 0;
        long correct = 0;
        int[] predicted = new int[k];
        int[] support = new int[k];
        for (int t = 0; t < k; t++) {
            if (confusion[t].length != k) {
                throw new IllegalArgumentException("confusion must be " + k + "x" + k);
            }
            for (int p = 0; p < k; p++) {
                total += confusion[t][p];
                predicted[p] += confusion[t][p];
                support[t] += confusion[t][p];
            }
            correct += confusion[t][t];
        }
        List<ClassStats> stats = new ArrayList<>(k);
        double sumF1 = 0;
        double sumP = 0;
        double sumR = 0;
        for (int c = 0; c < k; c++) {
            double tp = confusion[c][c];
            double precision = predicted[c] == 0 ? 0 : tp / predicted[c];
            double recall = support[c] == 0 ? 0 : tp / support[c];
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            stats.add(new ClassStats(labels.get(c), precision, recall, f1, support[c]));
            sumF1 += f1;
            sumP += precision;
            sumR += recall;
        }
        return new Metrics(List.copyOf(labels), confusion, List.copyOf(stats), total == 0 ? 0 : (double) correct / total,
                sumF1 / k, sumP / k, sumR / k);
    }

    /** Mean and sample standard deviation. */
    public static double[] meanSd(double[] xs) {
        double m = 0;
        for (double x : xs) {
            m += x;
        }
        m /= xs.length;
        double v = 0;
        for (double x : xs) {
            v += (x - m) * (x - m);
        }
        return new double[] {m, xs.length > 1 ? Math.sqrt(v / (xs.length - 1)) : 0};
    }
}
