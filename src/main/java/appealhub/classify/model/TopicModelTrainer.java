package appealhub.classify.model;

import appealhub.classify.model.LabelledAppeals.Example;
import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Trains a {@link LinearTopicModel} from labelled appeals; also the retraining command:
 * <pre>
 * ./mvnw -q compile exec:java -Dexec.mainClass=appealhub.classify.model.TopicModelTrainer \
 *     -Dexec.args="--data resolved-cases.csv --out config/model/topic-model.tsv.gz [--settings 'c=20 title=3']"
 * </pre>
 * (bench/topic-model-train.sh wraps it.)
 */
public final class TopicModelTrainer {

    /** Seed of the inner cross-validation that fits the softmax temperature. */
    static final long CALIBRATION_SEED = 7;
    static final int CALIBRATION_FOLDS = 5;

    private TopicModelTrainer() {}

    /** Trains on raw examples only; the version string is stored as is. */
    public static LinearTopicModel train(List<Example> data, ModelSettings settings, String version) {
        return train(TrainingSet.rawOnly(data), settings, version);
    }

    /**
     * Trains on raw and words-only examples. With {@code calibrate}, the softmax temperature is
     * fitted on out-of-fold scores of the raw rows ({@link #CALIBRATION_FOLDS}-fold
     * cross-validation as in {@link CrossValidation}: words-only twins of a test row left out).
     */
    public static LinearTopicModel train(TrainingSet data, ModelSettings settings, String version) {
        FeatureExtractor fx = new FeatureExtractor(settings);
        List<Map<String, Double>> counts = new ArrayList<>(data.size());
        for (Example e : data.all()) {
            counts.add(fx.counts(e.title(), e.content()));
        }
        return train(data, counts, settings, version);
    }

    static LinearTopicModel train(TrainingSet data, List<Map<String, Double>> counts, ModelSettings settings, String version) {
        LinearTopicModel m = train(counts, data.labels(), settings.withCalibrate(false), version);
        if (!settings.calibrate()) {
            return m;
        }
        int k = Math.min(CALIBRATION_FOLDS, data.raw().size());
        CrossValidation.OutOfFold oof = CrossValidation.outOfFold(data, counts, settings, k, CALIBRATION_SEED);
        return m.withTemperature(settings, Calibration.fitTemperature(oof.scores(), oof.truth()));
    }

    /** Trains on already extracted counts (the cross-validation reuses them across folds). */
    static LinearTopicModel train(List<Map<String, Double>> counts, List<String> y, ModelSettings s, String version) {
        List<String> labels = new ArrayList<>(new TreeSet<>(y));
        if (labels.size() < 2) {
            throw new IllegalArgumentException("need at least two classes, got " + labels);
        }
        int n = counts.size();
        int k = labels.size();
        Map<String, Integer> df = new HashMap<>();
        for (Map<String, Double> doc : counts) {
            for (String t : doc.keySet()) {
                df.merge(t, 1, Integer::sum);
            }
        }
        TreeMap<String, Integer> kept = new TreeMap<>();
        df.forEach((t, d) -> {
            if (d >= s.minDf()) {
                kept.put(t, d);
            }
        });
        if (s.maxFeatures() > 0 && kept.size() > s.maxFeatures()) {
            // the most frequent features (ties: the first in term order) keep the file small
            List<Map.Entry<String, Integer>> byDf = new ArrayList<>(kept.entrySet());
            byDf.sort((a, b) -> b.getValue() != a.getValue().intValue() ? Integer.compare(b.getValue(), a.getValue())
                    : a.getKey().compareTo(b.getKey()));
            kept.clear();
            for (Map.Entry<String, Integer> e : byDf.subList(0, s.maxFeatures())) {
                kept.put(e.getKey(), e.getValue());
            }
        }
        Map<String, Integer> vocab = new HashMap<>(kept.size() * 2);
        float[] idf = new float[kept.size()];
        int f = 0;
        for (Map.Entry<String, Integer> e : kept.entrySet()) {
            vocab.put(e.getKey(), f);
            idf[f++] = (float) (Math.log((1.0 + n) / (1.0 + e.getValue())) + 1.0);
        }
        int[] yi = new int[n];
        for (int i = 0; i < n; i++) {
            yi[i] = labels.indexOf(y.get(i));
        }
        Sparse[] x = new Sparse[n];
        for (int i = 0; i < n; i++) {
            x[i] = vector(counts.get(i), vocab, idf, s.weighting().equals("tfidf"));
        }
        float[] w = new float[vocab.size() * k];
        double[] bias = new double[k];
        switch (s.learner()) {
            case "lr", "svm" -> liblinear(x, yi, k, vocab.size(), s, w, bias);
            case "nb" -> naiveBayes(x, yi, k, vocab.size(), s.c(), w, bias);
            case "ft" -> FastTextLearner.train(x, yi, k, vocab.size(), s.dim(), s.epochs(), s.c(),
                    s.balanced() ? classWeights(yi, k) : null, CALIBRATION_SEED, w, bias);
            default -> throw new IllegalArgumentException(s.learner());
        }
        // uncalibrated: liblinear's own probabilities for lr, raw softmax otherwise (the caller fits a temperature)
        String mode = s.learner().equals("lr") && !s.calibrate() ? "ovr" : "softmax";
        return new LinearTopicModel(version, s, labels, vocab, idf, w, bias, mode, 1.0);
    }

    record Sparse(int[] idx, double[] val) {}

    static Sparse vector(Map<String, Double> counts, Map<String, Integer> vocab, float[] idf, boolean tfidf) {
        int[] idx = new int[counts.size()];
        int m = 0;
        for (String t : counts.keySet()) {
            Integer f = vocab.get(t);
            if (f != null) {
                idx[m++] = f;
            }
        }
        idx = Arrays.copyOf(idx, m);
        Arrays.sort(idx);
        String[] byIndex = new String[m];
        Map<Integer, String> rev = new HashMap<>(m * 2);
        for (String t : counts.keySet()) {
            Integer f = vocab.get(t);
            if (f != null) {
                rev.put(f, t);
            }
        }
        double[] val = new double[m];
        double norm = 0;
        for (int j = 0; j < m; j++) {
            byIndex[j] = rev.get(idx[j]);
            double c = counts.get(byIndex[j]);
            val[j] = tfidf ? (1 + Math.log(c)) * idf[idx[j]] : c;
            norm += val[j] * val[j];
        }
        if (tfidf && norm > 0) {
            double scale = 1 / Math.sqrt(norm);
            for (int j = 0; j < m; j++) {
                val[j] *= scale;
            }
        }
        return new Sparse(idx, val);
    }

    private static void liblinear(Sparse[] x, int[] y, int k, int nf, ModelSettings s, float[] w, double[] bias) {
        if (s.nbScale()) {
            nbScaledOneVsRest(x, y, k, nf, s, w, bias);
            return;
        }
        Problem p = new Problem();
        p.l = x.length;
        p.n = nf + 1; // + bias feature
        p.bias = 1;
        p.x = new Feature[x.length][];
        p.y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            Feature[] row = new Feature[x[i].idx().length + 1];
            for (int j = 0; j < x[i].idx().length; j++) {
                row[j] = new FeatureNode(x[i].idx()[j] + 1, x[i].val()[j]);
            }
            row[row.length - 1] = new FeatureNode(nf + 1, 1.0);
            p.x[i] = row;
            p.y[i] = y[i];
        }
        SolverType solver = s.learner().equals("lr") ? SolverType.L2R_LR : SolverType.L2R_L2LOSS_SVC_DUAL;
        Parameter param = new Parameter(solver, s.c(), 0.001);
        if (s.balanced()) {
            int[] count = new int[k];
            for (int v : y) {
                count[v]++;
            }
            double[] cw = new double[k];
            int[] cl = new int[k];
            for (int c = 0; c < k; c++) {
                cl[c] = c;
                cw[c] = count[c] == 0 ? 1 : (double) y.length / (k * count[c]);
            }
            param.setWeights(cw, cl);
        }
        Linear.setDebugOutput(null);
        Linear.resetRandom();
        Model m = Linear.train(p, param);
        int[] order = m.getLabels();
        double[] mw = m.getFeatureWeights();
        int nrW = m.getNrClass() == 2 ? 1 : m.getNrClass();
        for (int pos = 0; pos < order.length; pos++) {
            int c = order[pos];
            if (nrW == 1) {
                // two classes: one weight vector for the first label; the other gets its negation
                double sign = pos == 0 ? 1 : -1;
                for (int f = 0; f < nf; f++) {
                    w[f * k + c] = (float) (sign * mw[f]);
                }
                bias[c] = sign * mw[nf];
            } else {
                for (int f = 0; f < nf; f++) {
                    w[f * k + c] = (float) mw[f * nrW + pos];
                }
                bias[c] = mw[nf * nrW + pos];
            }
        }
    }

    /**
     * NBSVM (Wang &amp; Manning 2012), one-vs-rest: class c's binary learner sees each feature
     * scaled by c's log-count ratio {@link #logCountRatios}, so words that tell c from the rest
     * start out strong and the regulariser shrinks the others. The score is
     * {@code w_c · (r_c ⊙ x) + b_c = (w_c ⊙ r_c) · x + b_c}: the stored weight is the product,
     * and prediction needs nothing new. As in liblinear's own one-vs-rest, the positive class
     * gets its class weight (balanced) and the rest weight 1.
     */
    private static void nbScaledOneVsRest(Sparse[] x, int[] y, int k, int nf, ModelSettings s, float[] w, double[] bias) {
        double[][] r = logCountRatios(x, y, k, nf);
        double[] cw = s.balanced() ? classWeights(y, k) : null;
        SolverType solver = s.learner().equals("lr") ? SolverType.L2R_LR : SolverType.L2R_L2LOSS_SVC_DUAL;
        Linear.setDebugOutput(null);
        for (int c = 0; c < k; c++) {
            Problem p = new Problem();
            p.l = x.length;
            p.n = nf + 1;
            p.bias = 1;
            p.x = new Feature[x.length][];
            p.y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                int[] idx = x[i].idx();
                Feature[] row = new Feature[idx.length + 1];
                for (int j = 0; j < idx.length; j++) {
                    row[j] = new FeatureNode(idx[j] + 1, x[i].val()[j] * r[c][idx[j]]);
                }
                row[idx.length] = new FeatureNode(nf + 1, 1.0);
                p.x[i] = row;
                p.y[i] = y[i] == c ? 1 : -1;
            }
            Parameter param = new Parameter(solver, s.c(), 0.001);
            param.setWeights(new double[] {cw == null ? 1 : cw[c], 1}, new int[] {1, -1});
            Linear.resetRandom();
            Model m = Linear.train(p, param);
            // a two-class model holds the weights of its first label
            double sign = m.getLabels()[0] == 1 ? 1 : -1;
            double[] mw = m.getFeatureWeights();
            for (int f = 0; f < nf; f++) {
                w[f * k + c] = (float) (sign * mw[f] * r[c][f]);
            }
            bias[c] = sign * mw[nf];
        }
    }

    /**
     * Per class c and feature f, {@code log((p_f / |p|_1) / (q_f / |q|_1))} with p = 1 + the number
     * of c's messages that have f and q = 1 + the number of the other messages that have f (the
     * binarised counts and add-one smoothing of NBSVM): > 0 where f speaks for c, < 0 against.
     */
    static double[][] logCountRatios(Sparse[] x, int[] y, int k, int nf) {
        double[][] df = new double[k][nf];
        double[] all = new double[nf];
        for (int i = 0; i < x.length; i++) {
            for (int f : x[i].idx()) {
                df[y[i]][f]++;
                all[f]++;
            }
        }
        double[][] r = new double[k][nf];
        for (int c = 0; c < k; c++) {
            double pSum = 0;
            double qSum = 0;
            for (int f = 0; f < nf; f++) {
                pSum += 1 + df[c][f];
                qSum += 1 + all[f] - df[c][f];
            }
            for (int f = 0; f < nf; f++) {
                r[c][f] = Math.log((1 + df[c][f]) / pSum) - Math.log((1 + all[f] - df[c][f]) / qSum);
            }
        }
        return r;
    }

    /** Weights inversely proportional to class frequency, 1 on average. */
    static double[] classWeights(int[] y, int k) {
        int[] count = new int[k];
        for (int v : y) {
            count[v]++;
        }
        double[] cw = new double[k];
        for (int c = 0; c < k; c++) {
            cw[c] = count[c] == 0 ? 1 : (double) y.length / (k * count[c]);
        }
        return cw;
    }

    private static void naiveBayes(Sparse[] x, int[] y, int k, int nf, double alpha, float[] w, double[] bias) {
        double[][] sum = new double[k][nf];
        double[] total = new double[k];
        int[] docs = new int[k];
        for (int i = 0; i < x.length; i++) {
            int c = y[i];
            docs[c]++;
            for (int j = 0; j < x[i].idx().length; j++) {
                sum[c][x[i].idx()[j]] += x[i].val()[j];
                total[c] += x[i].val()[j];
            }
        }
        for (int c = 0; c < k; c++) {
            double denom = Math.log(total[c] + alpha * nf);
            for (int f = 0; f < nf; f++) {
                w[f * k + c] = (float) (Math.log(sum[c][f] + alpha) - denom);
            }
            bias[c] = Math.log((docs[c] + 1.0) / (x.length + k));
        }
    }

    /** Version string: date, training file name, row count, its SHA-256 and the settings. */
    public static String versionString(Path csv, int rows, ModelSettings s) throws IOException {
        return versionString(csv, rows, null, 0, s);
    }

    /** Version string: date, each training file's name, row count and SHA-256, and the settings. */
    public static String versionString(Path csv, int rows, Path segmented, int segmentedRows, ModelSettings s) throws IOException {
        return "topic-model " + LocalDate.now(ZoneId.of("Asia/Shanghai")) + " train=" + csv.getFileName()
                + " rows=" + rows + " sha256=" + LabelledAppeals.sha256(csv)
                + (segmented == null ? "" : " segmented=" + segmented.getFileName() + " rows=" + segmentedRows
                        + " sha256=" + LabelledAppeals.sha256(segmented))
                + " " + s.format();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = Cli.options(args, "data", "segmented", "out", "settings");
        Path data = Path.of(opt.getOrDefault("data", Cli.DEFAULT_TRAINING_FILE));
        Path segmented = Cli.segmentedFile(opt);
        Path out = Path.of(opt.getOrDefault("out", Cli.DEFAULT_MODEL_FILE));
        ModelSettings s = ModelSettings.parse(opt.getOrDefault("settings", ""), ModelSettings.DEFAULT);
        long t0 = System.nanoTime();
        TrainingSet set = Cli.trainingSet(data, s.segmented() ? segmented : null);
        LinearTopicModel m = train(set, s, versionString(data, set.raw().size(), segmented, set.segmented().size(), s));
        m.save(out);
        System.out.printf("trained on %d rows of %s%s in %.1f s: %d features, %d classes, temperature %.3g%n",
                set.raw().size(), data, segmented == null ? "" : " and " + set.segmented().size() + " words-only rows of " + segmented,
                (System.nanoTime() - t0) / 1e9, m.featureCount(), m.labels().size(), m.temperature());
        System.out.println("wrote " + out + " (" + java.nio.file.Files.size(out) + " bytes)");
        System.out.println("version: " + m.version());
    }
}
