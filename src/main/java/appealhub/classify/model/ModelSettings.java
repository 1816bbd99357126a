package appealhub.classify.model;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Everything that decides how a topic model is trained: features and learner. Written into
 * the model file, so a model says how it was made and a retrain can repeat it.
 *
 * @param ngramMin    shortest character n-gram (1 = single characters)
 * @param ngramMax    longest character n-gram; 0 = no character n-grams
 * @param words       "none" or "smartcn" (Lucene SmartCN words added as features)
 * @param titleWeight how much a title occurrence counts against a content occurrence
 * @param minDf       a feature must occur in at least this many training messages
 * @param weighting   "tfidf" (sublinear tf x idf, L2-normalised) or "counts" (raw weighted counts)
 * @param learner     "lr" (L2 logistic regression), "svm" (L2-loss linear SVM), "nb" (multinomial naive Bayes),
 *                    "ft" (fastText-style: embedding layer + softmax by SGD, {@link FastTextLearner})
 * @param c           inverse regularisation for lr/svm; additive smoothing alpha for nb; initial learning rate for ft
 * @param balanced    class weights inversely proportional to class frequency (lr/svm)
 * @param calibrate   fit a softmax temperature on out-of-fold scores of the raw training rows
 * @param segmented   also train on the words-only rows (when the training set has them)
 * @param maxFeatures keep at most this many features, the most frequent (by document frequency); 0 = all
 * @param dim         ft: size of the hidden (embedding) layer
 * @param epochs      ft: passes over the training data
 * @param nbScale     lr/svm: NBSVM — each class's one-vs-rest learner sees the features scaled by that class's
 *                    naive-Bayes log-count ratio (Wang &amp; Manning 2012); folded into the stored weights, so
 *                    prediction and file format are unchanged
 */
public record ModelSettings(int ngramMin, int ngramMax, String words, double titleWeight, int minDf,
                            String weighting, String learner, double c, boolean balanced, boolean calibrate,
                            boolean segmented, int maxFeatures, int dim, int epochs, boolean nbScale) {

    /** The settings of the committed model (picked by cross-validation, see docs/classification.md). */
    public static final ModelSettings DEFAULT =
            new ModelSettings(1, 3, "none", 3.0, 2, "tfidf", "svm", 0.5, true, true, true, 150000, 16, 10, true);

    /** What a model file without the {@code nbscale} key was trained with: files from before that key were not NB-scaled. */
    public static final ModelSettings FILE_BASE = DEFAULT.withNbScale(false);

    public ModelSettings {
        if (ngramMax > 0 && (ngramMin < 1 || ngramMin > ngramMax)) {
            throw new IllegalArgumentException("bad n-gram range " + ngramMin + "-" + ngramMax);
        }
        if (!words.equals("none") && !words.equals("smartcn")) {
            throw new IllegalArgumentException("words must be none or smartcn: " + words);
        }
        if (ngramMax == 0 && words.equals("none")) {
            throw new IllegalArgumentException("no features: neither n-grams nor words");
        }
        if (!weighting.equals("tfidf") && !weighting.equals("counts")) {
            throw new IllegalArgumentException("weighting must be tfidf or counts: " + weighting);
        }
        if (!learner.equals("lr") && !learner.equals("svm") && !learner.equals("nb") && !learner.equals("ft")) {
            throw new IllegalArgumentException("learner must be lr, svm, nb or ft: " + learner);
        }
        if (!(c > 0) || !(titleWeight > 0) || minDf < 1 || maxFeatures < 0 || dim < 1 || epochs < 1) {
            throw new IllegalArgumentException("c, titleWeight must be > 0, minDf >= 1 and maxFeatures >= 0");
        }
        if (nbScale && !isLinear(learner)) {
            throw new IllegalArgumentException("nbscale needs learner lr or svm: " + learner);
        }
    }

    public ModelSettings withLearner(String learner, double c) {
        return new ModelSettings(ngramMin, ngramMax, words, titleWeight, minDf, weighting, learner, c, balanced, calibrate, segmented, maxFeatures, dim, epochs, nbScale);
    }

    public ModelSettings withNbScale(boolean nbScale) {
        return new ModelSettings(ngramMin, ngramMax, words, titleWeight, minDf, weighting, learner, c, balanced, calibrate, segmented, maxFeatures, dim, epochs, nbScale);
    }

    public ModelSettings withCalibrate(boolean calibrate) {
        return new ModelSettings(ngramMin, ngramMax, words, titleWeight, minDf, weighting, learner, c, balanced, calibrate, segmented, maxFeatures, dim, epochs, nbScale);
    }

    /** Compact text form, e.g. {@code ngrams=1-3 words=none title=3 mindf=2 weighting=tfidf learner=lr c=20 balanced=true calibrate=true ... nbscale=true}. */
    public String format() {
        return "ngrams=" + ngramMin + "-" + ngramMax + " words=" + words + " title=" + num(titleWeight)
                + " mindf=" + minDf + " weighting=" + weighting + " learner=" + learner + " c=" + num(c)
                + " balanced=" + balanced + " calibrate=" + calibrate + " segmented=" + segmented + " maxfeatures=" + maxFeatures
                + (learner.equals("ft") ? " dim=" + dim + " epochs=" + epochs : "")
                + " nbscale=" + nbScale;
    }

    /** Parses {@link #format()}; keys left out keep the value of {@code base}. */
    public static ModelSettings parse(String text, ModelSettings base) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : text.trim().split("[\\s,;]+")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("setting must be key=value: " + part);
            }
            kv.put(part.substring(0, eq).toLowerCase(Locale.ROOT), part.substring(eq + 1));
        }
        int nMin = base.ngramMin;
        int nMax = base.ngramMax;
        String ng = kv.remove("ngrams");
        if (ng != null) {
            if (ng.equals("0") || ng.equals("none")) {
                nMin = 0;
                nMax = 0;
            } else {
                String[] r = ng.split("-");
                nMin = Integer.parseInt(r[0]);
                nMax = Integer.parseInt(r[r.length - 1]);
            }
        }
        ModelSettings s = new ModelSettings(nMin, nMax,
                kv.getOrDefault("words", base.words),
                Double.parseDouble(kv.getOrDefault("title", Double.toString(base.titleWeight))),
                Integer.parseInt(kv.getOrDefault("mindf", Integer.toString(base.minDf))),
                kv.getOrDefault("weighting", base.weighting),
                kv.getOrDefault("learner", base.learner),
                Double.parseDouble(kv.getOrDefault("c", Double.toString(base.c))),
                Boolean.parseBoolean(kv.getOrDefault("balanced", Boolean.toString(base.balanced))),
                Boolean.parseBoolean(kv.getOrDefault("calibrate", Boolean.toString(base.calibrate))),
                Boolean.parseBoolean(kv.getOrDefault("segmented", Boolean.toString(base.segmented))),
                Integer.parseInt(kv.getOrDefault("maxfeatures", Integer.toString(base.maxFeatures))),
                Integer.parseInt(kv.getOrDefault("dim", Integer.toString(base.dim))),
                Integer.parseInt(kv.getOrDefault("epochs", Integer.toString(base.epochs))),
                kv.containsKey("nbscale") ? Boolean.parseBoolean(kv.get("nbscale"))
                        // NB scaling belongs to lr/svm: naming another learner turns the base's off
                        : base.nbScale && isLinear(kv.getOrDefault("learner", base.learner)));
        for (String k : new String[] {"words", "title", "mindf", "weighting", "learner", "c", "balanced", "calibrate",
                "segmented", "maxfeatures", "dim", "epochs", "nbscale"}) {
            kv.remove(k);
        }
        if (!kv.isEmpty()) {
            throw new IllegalArgumentException("unknown settings: " + kv.keySet());
        }
        return s;
    }

    private static boolean isLinear(String learner) {
        return learner.equals("lr") || learner.equals("svm");
    }

    static String num(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e9 ? Long.toString((long) d) : Double.toString(d);
    }
}
