package appealhub.classify.model;

/**
 * Probability calibration of a linear topic model: temperature scaling (softmax(T · score) with
 * the T of least log-loss on held-out scores; one parameter, so it cannot reorder classes and
 * needs little data) and the figures that say whether it worked (expected calibration error)
 * and what it is for (the triage threshold that a cost table implies).
 */
public final class Calibration {

    private Calibration() {}

    /**
     * Temperature T of softmax(T · score) with the least log-loss on these scores (rows: messages,
     * columns: classes; {@code truth}: the right column). Searched on a log grid from 0.001 to 1000
     * (the loss is convex in T, so the grid's best point is next to the optimum), then refined by
     * golden-section search between its neighbours.
     */
    public static double fitTemperature(double[][] scores, int[] truth) {
        double best = 1;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (int step = -90; step <= 90; step++) {
            double t = Math.pow(10, step / 30.0);
            double loss = logLoss(scores, truth, t);
            if (loss < bestLoss) {
                bestLoss = loss;
                best = t;
            }
        }
        double lo = best / Math.pow(10, 1 / 30.0);
        double hi = best * Math.pow(10, 1 / 30.0);
        double g = (Math.sqrt(5) - 1) / 2;
        for (int i = 0; i < 40; i++) {
            double a = hi - g * (hi - lo);
            double b = lo + g * (hi - lo);
            if (logLoss(scores, truth, a) < logLoss(scores, truth, b)) {
                hi = b;
            } else {
                lo = a;
            }
        }
        return (lo + hi) / 2;
    }

    /** Mean negative log-likelihood of the right class under softmax(T · score). */
    public static double logLoss(double[][] scores, int[] truth, double t) {
        double loss = 0;
        for (int i = 0; i < scores.length; i++) {
            double[] p = LinearTopicModel.toProbabilities(scores[i], "softmax", t);
            loss -= Math.log(Math.max(p[truth[i]], 1e-12));
        }
        return scores.length == 0 ? 0 : loss / scores.length;
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
