package appealhub.classify.model;

import java.util.Random;

/**
 * A fastText-style classifier (Joulin et al. 2016, "Bag of Tricks for Efficient Text
 * Classification"): the message's feature vector is mapped to a small dense vector
 * (h = A·x, {@code dim} numbers), the class scores are B·h + b, trained by SGD on the softmax
 * log-loss with a linearly decaying learning rate. At prediction time it is linear in x
 * (scores = (B·A)·x + b), so the trained model is stored as the product B·A in the same file as
 * the other linear learners: one weight per feature and class, same speed and size.
 *
 * <p>Written here (about a hundred lines) rather than taken from a library: the Java ports of
 * fastText on Maven Central wrap the native library or only load models trained by it.
 */
final class FastTextLearner {

    private FastTextLearner() {}

    /**
     * Trains on sparse rows ({@code idx}/{@code val} per row), classes {@code y} in 0..k-1, and
     * writes the collapsed weights into {@code w[f * k + c]} and {@code bias[c]}.
     *
     * @param classWeight per-class weight of a row's loss (balanced classes), or null
     */
    static void train(TopicModelTrainer.Sparse[] x, int[] y, int k, int nf, int dim, int epochs, double lr0,
                      double[] classWeight, long seed, float[] w, double[] bias) {
        Random rnd = new Random(seed);
        float[] a = new float[nf * dim];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) ((rnd.nextDouble() * 2 - 1) / dim);
        }
        double[] b = new double[k * dim]; // output matrix, zero as in fastText
        double[] ob = new double[k];
        int n = x.length;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double[] h = new double[dim];
        double[] gh = new double[dim];
        double[] z = new double[k];
        long total = (long) epochs * n;
        long step = 0;
        for (int e = 0; e < epochs; e++) {
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int r : order) {
                double lr = lr0 * (1 - (double) step++ / total);
                int[] idx = x[r].idx();
                double[] val = x[r].val();
                java.util.Arrays.fill(h, 0);
                for (int m = 0; m < idx.length; m++) {
                    int base = idx[m] * dim;
                    for (int d = 0; d < dim; d++) {
                        h[d] += val[m] * a[base + d];
                    }
                }
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    double s = ob[c];
                    for (int d = 0; d < dim; d++) {
                        s += b[c * dim + d] * h[d];
                    }
                    z[c] = s;
                    max = Math.max(max, s);
                }
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    z[c] = Math.exp(z[c] - max);
                    sum += z[c];
                }
                double cw = classWeight == null ? 1 : classWeight[y[r]];
                java.util.Arrays.fill(gh, 0);
                for (int c = 0; c < k; c++) {
                    double g = cw * ((z[c] / sum) - (c == y[r] ? 1 : 0)); // d loss / d score
                    for (int d = 0; d < dim; d++) {
                        gh[d] += g * b[c * dim + d];
                        b[c * dim + d] -= lr * g * h[d];
                    }
                    ob[c] -= lr * g;
                }
                for (int m = 0; m < idx.length; m++) {
                    int base = idx[m] * dim;
                    for (int d = 0; d < dim; d++) {
                        a[base + d] -= (float) (lr * gh[d] * val[m]);
                    }
                }
            }
        }
        for (int f = 0; f < nf; f++) {
            for (int c = 0; c < k; c++) {
                double s = 0;
                for (int d = 0; d < dim; d++) {
                    s += b[c * dim + d] * a[f * dim + d];
                }
                w[f * k + c] = (float) s;
            }
        }
        System.arraycopy(ob, 0, bias, 0, k);
    }
}
