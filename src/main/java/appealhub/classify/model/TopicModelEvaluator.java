package appealhub.classify.model;

import appealhub.classify.model.LabelledAppeals.Example;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Evaluation command (bench/topic-model-eval.sh wraps it):
 * <ul>
 * <li>default: repeated stratified k-fold cross-validation of the settings on the training
 *     file: macro-F1, accuracy, log-loss and calibration error as mean ± sd over the seeds, and
 *     a per-class table (precision, recall, F1 averaged over the seeds; support);</li>
 * <li>{@code --compare}: the same for a grid of feature and learner settings (the comparison
 *     behind the committed choice);</li>
 * <li>{@code --test file.csv}: the committed model ({@code --model}, default
 *     config/model/topic-model.tsv.gz), or with {@code --fresh} one trained now on {@code --data},
 *     scored on any labelled CSV.</li>
 * </ul>
 * Options: --data CSV, --k 5, --seeds 1,2,3,4,5, --settings "key=value,...", --compare,
 * --grid "settings|settings|..." (a grid of your own), --test CSV, --model FILE, --fresh.
 */
public final class TopicModelEvaluator {

    /**
     * The comparison grid behind the committed choice (docs/classification.md): the old training
     * (raw rows only) against raw + words-only rows, the feature cap, and the learners on the
     * same features. Keys left out keep the committed settings.
     */
    static final List<String> GRID = List.of(
            "ngrams=1-2 maxfeatures=0 nbscale=false segmented=false",     // the raw rows alone
            "ngrams=1-2 maxfeatures=0 nbscale=false",                     // + words-only rows, all features
            "ngrams=1-2 maxfeatures=60000 nbscale=false",                 // the model committed before NB scaling
            "ngrams=1-2 maxfeatures=60000 nbscale=false c=1",
            "ngrams=1-2 maxfeatures=60000 nbscale=false learner=lr c=30",
            "ngrams=1-2 maxfeatures=60000 learner=ft c=0.5 dim=16 epochs=10",
            "ngrams=1-2 maxfeatures=60000 learner=nb weighting=counts c=0.1",
            "ngrams=1-2 maxfeatures=60000 nbscale=true",                  // NBSVM on the old features
            "ngrams=1-3 maxfeatures=150000 nbscale=false",                // trigrams alone
            "ngrams=1-3 maxfeatures=150000 nbscale=true");                // the committed choice

    private TopicModelEvaluator() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = Cli.options(args, "data", "segmented", "k", "seeds", "settings", "compare", "grid",
                "test", "model", "fresh", "overlap", "costs");
        Path data = Path.of(opt.getOrDefault("data", Cli.DEFAULT_TRAINING_FILE));
        Path segmented = Cli.segmentedFile(opt);
        int k = Integer.parseInt(opt.getOrDefault("k", "5"));
        long[] seeds = Arrays.stream(opt.getOrDefault("seeds", "1,2,3,4,5").split(",")).mapToLong(Long::parseLong).toArray();
        ModelSettings base = ModelSettings.parse(opt.getOrDefault("settings", ""), ModelSettings.DEFAULT);
        TriageCosts costs = TriageCosts.load(Path.of(opt.getOrDefault("costs", TriageCosts.DEFAULT_FILE)));

        if (opt.containsKey("test")) {
            Path test = Path.of(opt.get("test"));
            LinearTopicModel model;
            if (opt.containsKey("fresh")) {
                TrainingSet train = Cli.trainingSet(data, segmented);
                model = TopicModelTrainer.train(train, base, TopicModelTrainer.versionString(data, train.raw().size(),
                        segmented, train.segmented().size(), base));
            } else {
                model = LinearTopicModel.load(Path.of(opt.getOrDefault("model", Cli.DEFAULT_MODEL_FILE)));
            }
            System.out.println("model: " + model.version());
            evaluateOn(model, LabelledAppeals.read(test), test, costs);
            return;
        }

        long t0 = System.nanoTime();
        TrainingSet set = Cli.trainingSet(data, segmented);
        System.out.printf(Locale.ROOT, "data: %s (%d raw rows, %d near-copies of another), words-only: %s (%d rows, %d the same"
                        + " message as a raw row; similarity >= %.2f) [%.0f s]%n",
                data, set.raw().size(), set.rawInSharedGroups(), segmented, set.segmented().size(), set.segmentedWithTwin(),
                TrainingSet.SAME_MESSAGE, (System.nanoTime() - t0) / 1e9);
        if (opt.containsKey("overlap")) {
            printOverlap(set);
            return;
        }
        System.out.printf("%d-fold stratified CV over the raw rows (near-copies in one fold; words-only twins of a test row"
                + " left out of training) x %d seeds %s%n", k, seeds.length, Arrays.toString(seeds));
        if (opt.containsKey("compare") || opt.containsKey("grid")) {
            List<ModelSettings> grid = new ArrayList<>();
            for (String g : opt.containsKey("grid") ? List.of(opt.get("grid").split("\\|")) : GRID) {
                grid.add(ModelSettings.parse(g, base));
            }
            System.out.printf(Locale.ROOT, "%-100s %-15s %-15s %-7s %-6s %-5s %s%n", "settings", "macro-F1", "accuracy", "logloss",
                    "ECE", "secs", "macro-F1 per seed");
            for (ModelSettings s : grid) {
                long t1 = System.nanoTime();
                TrainingSet use = s.segmented() ? set : TrainingSet.rawOnlyOf(set);
                Summary r = repeated(use, s, k, seeds);
                System.out.printf(Locale.ROOT, "%-100s %.3f ± %.3f   %.3f ± %.3f   %.3f   %.3f  %5.0f %s%n", s.format(),
                        r.macroF1[0], r.macroF1[1], r.accuracy[0], r.accuracy[1], r.logLoss[0], r.ece[0],
                        (System.nanoTime() - t1) / 1e9, perSeed(r.macroF1PerSeed));
            }
            return;
        }
        TrainingSet use = base.segmented() ? set : TrainingSet.rawOnlyOf(set);
        Summary r = repeated(use, base, k, seeds);
        System.out.println("settings: " + base.format());
        System.out.printf(Locale.ROOT, "macro-F1  %.3f ± %.3f   (per seed: %s)%naccuracy  %.3f ± %.3f%nlog-loss  %.3f ± %.3f%nECE(top1) %.3f ± %.3f"
                        + "   (%s; raw softmax: %.3f ± %.3f)%ntemperature %.3g (fitted on all out-of-fold scores)%n",
                r.macroF1[0], r.macroF1[1], perSeed(r.macroF1PerSeed), r.accuracy[0], r.accuracy[1], r.logLoss[0], r.logLoss[1],
                r.ece[0], r.ece[1], base.calibrate() ? "temperature cross-fitted on the other folds" : "uncalibrated", r.eceRaw[0], r.eceRaw[1],
                r.temperature);
        System.out.println("per class (mean over seeds of each repeat's pooled out-of-fold figures):");
        printTable(r.labels, r.precision, r.recall, r.f1, r.support);
        printTriage(costs, r.confidence, r.correct);
        System.out.printf(Locale.ROOT, "(%.0f s)%n", (System.nanoTime() - t0) / 1e9);
    }

    /** Each seed's figure, in the order of --seeds: what mean ± sd summarise. */
    static String perSeed(double[] values) {
        StringBuilder b = new StringBuilder();
        for (double v : values) {
            b.append(b.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.3f", v));
        }
        return b.toString();
    }

    record Summary(List<String> labels, double[] macroF1, double[] macroF1PerSeed, double[] accuracy, double[] logLoss, double[] ece, double[] eceRaw,
                   double temperature, double[] precision, double[] recall, double[] f1, int[] support,
                   double[] confidence, boolean[] correct) {}

    private static final Map<String, List<Map<String, Double>>> COUNTS_CACHE = new HashMap<>();

    static Summary repeated(TrainingSet set, ModelSettings s, int k, long[] seeds) {
        String key = s.ngramMin() + "-" + s.ngramMax() + "/" + s.words() + "/" + s.titleWeight() + "/" + set.size();
        if (!COUNTS_CACHE.containsKey(key)) {
            COUNTS_CACHE.clear(); // one feature set at a time: the counts of 12,000 messages take a GB
        }
        List<Map<String, Double>> counts = COUNTS_CACHE.computeIfAbsent(key, x -> {
            FeatureExtractor fx = new FeatureExtractor(s);
            return set.all().parallelStream().map(e -> fx.counts(e.title(), e.content())).toList();
        });
        double[] f1s = new double[seeds.length];
        double[] accs = new double[seeds.length];
        double[] lls = new double[seeds.length];
        double[] eces = new double[seeds.length];
        double[] ecesRaw = new double[seeds.length];
        double temperature = 0;
        List<String> labels = null;
        double[] p = null;
        double[] rc = null;
        double[] f = null;
        int[] sup = null;
        List<Double> conf = new ArrayList<>();
        List<Boolean> hit = new ArrayList<>();
        for (int r = 0; r < seeds.length; r++) {
            CrossValidation.OutOfFold oof = CrossValidation.outOfFold(set, counts, s, k, seeds[r]);
            CrossValidation.Result res = CrossValidation.evaluate(oof, s.calibrate());
            ecesRaw[r] = CrossValidation.evaluate(oof, false).ece();
            Metrics m = res.metrics();
            f1s[r] = m.macroF1();
            accs[r] = m.accuracy();
            lls[r] = res.logLoss();
            eces[r] = res.ece();
            temperature += res.temperature() / seeds.length;
            for (int i = 0; i < res.confidence().length; i++) {
                conf.add(res.confidence()[i]);
                hit.add(res.correct()[i]);
            }
            if (labels == null) {
                labels = m.labels();
                p = new double[labels.size()];
                rc = new double[labels.size()];
                f = new double[labels.size()];
                sup = new int[labels.size()];
            }
            for (int c = 0; c < labels.size(); c++) {
                Metrics.ClassStats cs = m.perClass().get(c);
                p[c] += cs.precision() / seeds.length;
                rc[c] += cs.recall() / seeds.length;
                f[c] += cs.f1() / seeds.length;
                sup[c] = cs.support();
            }
        }
        boolean[] correct = new boolean[hit.size()];
        for (int i = 0; i < correct.length; i++) {
            correct[i] = hit.get(i);
        }
        return new Summary(labels, Metrics.meanSd(f1s), f1s, Metrics.meanSd(accs), Metrics.meanSd(lls), Metrics.meanSd(eces),
                Metrics.meanSd(ecesRaw), temperature, p, rc, f, sup, conf.stream().mapToDouble(Double::doubleValue).toArray(), correct);
    }

    /** The triage threshold the cost table implies, in theory and on these out-of-fold predictions. */
    static void printTriage(TriageCosts costs, double[] confidence, boolean[] correct) {
        TriageCosts.Choice best = costs.best(confidence, correct);
        double bayes = costs.bayesThreshold();
        TriageCosts.Choice atBayes = costs.at(bayes, confidence, correct);
        System.out.printf(Locale.ROOT, "triage threshold from the cost table %s:%n", costs);
        System.out.printf(Locale.ROOT, "  Bayes (calibrated p): triage when p < 1 - triage/wrong = %.2f -> %s%n", bayes, atBayes);
        System.out.printf(Locale.ROOT, "  least cost on these predictions: %.2f -> %s%n", best.threshold(), best);
        System.out.printf(Locale.ROOT, "  no triage: %s%n", costs.at(0, confidence, correct));
    }

    /** Distribution of the best similarity (words-only row → raw rows; raw row → other raw rows). */
    static void printOverlap(TrainingSet set) {
        TrainingSet.Overlap o = new TrainingSet.Overlap(set.raw());
        int[] seg = new int[21];
        for (LabelledAppeals.Example e : set.segmented()) {
            seg[(int) Math.round(o.best(TrainingSet.Overlap.bigrams(e.title() + " " + e.content()), -1) * 20)]++;
        }
        int[] raw = new int[21];
        for (int i = 0; i < set.raw().size(); i++) {
            raw[(int) Math.round(o.best(o.rawBigrams[i], i) * 20)]++;
        }
        System.out.println("best similarity   words-only rows   raw rows (vs. other raw rows)");
        for (int b = 0; b <= 20; b++) {
            System.out.printf(Locale.ROOT, "  %.2f  %8d  %8d%n", b / 20.0, seg[b], raw[b]);
        }
    }

    static void evaluateOn(LinearTopicModel model, List<Example> test, Path file, TriageCosts costs) {
        List<String> labels = new ArrayList<>(model.labels());
        for (Example e : test) {
            if (!labels.contains(e.label())) {
                labels.add(e.label()); // a class the model does not know: always wrong, still counted
            }
        }
        int[][] confusion = new int[labels.size()][labels.size()];
        double logLoss = 0;
        double[] conf = new double[test.size()];
        boolean[] hit = new boolean[test.size()];
        for (int i = 0; i < test.size(); i++) {
            Example e = test.get(i);
            List<TopicModel.Scored> ranked = model.predict(e.title(), e.content());
            int t = labels.indexOf(e.label());
            int pr = labels.indexOf(ranked.get(0).label());
            confusion[t][pr]++;
            double pt = ranked.stream().filter(sc -> sc.label().equals(e.label())).mapToDouble(TopicModel.Scored::probability)
                    .findFirst().orElse(0);
            logLoss -= Math.log(Math.max(pt, 1e-12));
            conf[i] = ranked.get(0).probability();
            hit[i] = t == pr;
        }
        Metrics m = Metrics.of(labels, confusion);
        System.out.printf(Locale.ROOT, "test: %s (%d rows)%nmacro-F1  %.3f%naccuracy  %.3f%nlog-loss  %.3f%nECE(top1) %.3f%n",
                file, test.size(), m.macroF1(), m.accuracy(), logLoss / test.size(), Calibration.ece(conf, hit, 10));
        double[] p = m.perClass().stream().mapToDouble(Metrics.ClassStats::precision).toArray();
        double[] r = m.perClass().stream().mapToDouble(Metrics.ClassStats::recall).toArray();
        double[] f = m.perClass().stream().mapToDouble(Metrics.ClassStats::f1).toArray();
        int[] s = m.perClass().stream().mapToInt(Metrics.ClassStats::support).toArray();
        printTable(labels, p, r, f, s);
        System.out.println("confusion (rows: true, columns: predicted, in the order above):");
        for (int[] row : confusion) {
            System.out.println("  " + Arrays.toString(row));
        }
        printTriage(costs, conf, hit);
    }

    static void printTable(List<String> labels, double[] p, double[] r, double[] f, int[] support) {
        System.out.printf(Locale.ROOT, "  %-10s %9s %9s %9s %8s%n", "class", "precision", "recall", "F1", "support");
        for (int c = 0; c < labels.size(); c++) {
            String l = labels.get(c);
            // CJK characters are two columns wide: pad by display width
            int width = l.codePoints().map(cp -> cp > 0x2E80 ? 2 : 1).sum();
            System.out.printf(Locale.ROOT, "  %s%s %9.3f %9.3f %9.3f %8d%n", l, " ".repeat(Math.max(0, 14 - width)),
                    p[c], r[c], f[c], support[c]);
        }
    }
}
