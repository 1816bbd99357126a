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
    static final int CALIBRATION_FOLDS = 3;

    private TopicModelTrainer() {}

    /** Trains on examples; the version string is stored as is. */
    public static LinearTopicModel train(List<Example> data, ModelSettings settings, String version) {
        FeatureExtractor fx = new FeatureExtractor(settings);
        List<Map<String, Double>> counts = new ArrayList<>(data.size());
        List<String> y = new ArrayList<>(data.size());
        for (Example e : data) {
            counts.add(fx.counts(e.title(), e.content()));
            y.add(e.label());
        }
        return train(counts, y, settings, version);
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
            default -> throw new IllegalArgumentException(s.learner());
        }
        String mode = s.learner().equals("lr") && !s.calibrate() ? "ovr" : "softmax";
        double temperature = 1.0;
        LinearTopicModel raw = new LinearTopicModel(version, s, labels, vocab, idf, w, bias, mode, temperature);
        if (!s.calibrate()) {
            return raw;
        }
        temperature = fitTemperature(counts, y, labels, s);
        return new LinearTopicModel(version, s, labels, vocab, idf, w, bias, "softmax", temperature);
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

    /** Temperature of softmax(T * score) with the least log-loss on inner out-of-fold scores. */
    static double fitTemperature(List<Map<String, Double>> counts, List<String> y, List<String> labels, ModelSettings s) {
        ModelSettings inner = s.withCalibrate(false);
        int n = counts.size();
        int[][] folds = CrossValidation.stratifiedFolds(y, CALIBRATION_FOLDS, CALIBRATION_SEED);
        double[][] scores = new double[n][];
        int[] truth = new int[n];
        for (int[] test : folds) {
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
            LinearTopicModel m = train(tc, ty, inner, "calibration");
            for (int i : test) {
                double[] raw = m.scores(counts.get(i));
                // the inner model may lack a class that is rare; map its scores onto all labels
                double[] full = new double[labels.size()];
                Arrays.fill(full, -1e3);
                for (int c = 0; c < m.labels().size(); c++) {
                    full[labels.indexOf(m.labels().get(c))] = raw[c];
                }
                scores[i] = full;
                truth[i] = labels.indexOf(y.get(i));
            }
        }
        double best = 1;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (int step = -90; step <= 90; step++) {
            double t = Math.pow(10, step / 30.0); // 0.001 .. 1000
            double loss = 0;
            for (int i = 0; i < n; i++) {
                double[] p = LinearTopicModel.toProbabilities(scores[i], "softmax", t);
                loss -= Math.log(Math.max(p[truth[i]], 1e-12));
            }
            if (loss < bestLoss) {
                bestLoss = loss;
                best = t;
            }
        }
        return best;
    }

    /** Version string: date, training file name, row count, its SHA-256 and the settings. */
    public static String versionString(Path csv, int rows, ModelSettings s) throws IOException {
        return "topic-model " + LocalDate.now(ZoneId.of("Asia/Shanghai")) + " train=" + csv.getFileName()
                + " rows=" + rows + " sha256=" + LabelledAppeals.sha256(csv) + " " + s.format();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = Cli.options(args, "data", "out", "settings");
        Path data = Path.of(opt.getOrDefault("data", Cli.DEFAULT_TRAINING_FILE));
        Path out = Path.of(opt.getOrDefault("out", Cli.DEFAULT_MODEL_FILE));
        ModelSettings s = ModelSettings.parse(opt.getOrDefault("settings", ""), ModelSettings.DEFAULT);
        List<Example> examples = LabelledAppeals.read(data);
        long t0 = System.nanoTime();
        LinearTopicModel m = train(examples, s, versionString(data, examples.size(), s));
        m.save(out);
        System.out.printf("trained on %d rows of %s in %.1f s: %d features, %d classes, temperature %.3g%n",
                examples.size(), data, (System.nanoTime() - t0) / 1e9, m.featureCount(), m.labels().size(), m.temperature());
        System.out.println("wrote " + out + " (" + java.nio.file.Files.size(out) + " bytes)");
        System.out.println("version: " + m.version());
    }
}
