package appealhub.classify.model;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A trained linear topic model: vocabulary, idf, one weight vector and bias per class, and how
 * scores become probabilities (softmax with a temperature fitted on held-out scores, or
 * liblinear's normalised one-vs-rest logistic). Immutable and thread-safe.
 *
 * <p>File format (UTF-8 text, gzip-compressed when the name ends with .gz), tab-separated:
 * <pre>
 * appealhub-topic-model  1
 * version      &lt;version string&gt;
 * settings     &lt;ModelSettings.format()&gt;
 * labels       &lt;label&gt; ...
 * probability  softmax|ovr  &lt;temperature&gt;
 * bias         &lt;b&gt; ...           (one per label)
 * features     &lt;n&gt;
 * &lt;term&gt;  &lt;idf&gt;  &lt;w&gt; ...       (n lines, one weight per label)
 * </pre>
 */
public final class LinearTopicModel implements TopicModel {

    static final String MAGIC = "appealhub-topic-model";

    private final String version;
    private final ModelSettings settings;
    private final List<String> labels;
    private final Map<String, Integer> vocabulary;
    private final float[] idf;
    private final float[] weights; // [feature * classes + class]
    private final double[] bias;
    private final String probability;
    private final double temperature;
    private final FeatureExtractor extractor;
    /** Local place names removed from the text before features are taken (longest first). */
    private final List<String> placeNames;

    LinearTopicModel(String version, ModelSettings settings, List<String> labels, Map<String, Integer> vocabulary,
                     float[] idf, float[] weights, double[] bias, String probability, double temperature) {
        this(version, settings, labels, vocabulary, idf, weights, bias, probability, temperature, List.of());
    }

    private LinearTopicModel(String version, ModelSettings settings, List<String> labels, Map<String, Integer> vocabulary,
                     float[] idf, float[] weights, double[] bias, String probability, double temperature,
                             List<String> placeNames) {
        if (!probability.equals("softmax") && !probability.equals("ovr")) {
            throw new IllegalArgumentException("probability must be softmax or ovr: " + probability);
        }
        if (weights.length != vocabulary.size() * labels.size() || idf.length != vocabulary.size()
                || bias.length != labels.size()) {
            throw new IllegalArgumentException("model dimensions do not match");
        }
        this.version = version;
        this.settings = settings;
        this.labels = List.copyOf(labels);
        this.vocabulary = vocabulary;
        this.idf = idf;
        this.weights = weights;
        this.bias = bias;
        this.probability = probability;
        this.temperature = temperature;
        this.extractor = new FeatureExtractor(settings);
        this.placeNames = placeNames.stream().filter(p -> p != null && !p.isBlank()).distinct()
                .sorted(java.util.Comparator.comparingInt(String::length).reversed()).toList();
    }

    /**
     * The same model, ignoring these place names (district, townships, villages) in the text it
     * classifies. The training messages name other places (anonymised, see {@link TextNormalizer});
     * a local name's characters would otherwise be read as topic words (村, 镇 and 区 lean
     * towards 卫生计生 and 城乡建设 there).
     */
    public LinearTopicModel withPlaceNames(java.util.Collection<String> names) {
        return new LinearTopicModel(version, settings, labels, vocabulary, idf, weights, bias, probability, temperature,
                List.copyOf(names));
    }

    /** The same weights with a fitted softmax temperature (and the settings that say it is calibrated). */
    LinearTopicModel withTemperature(ModelSettings calibrated, double t) {
        return new LinearTopicModel(version, calibrated, labels, vocabulary, idf, weights, bias, "softmax", t, placeNames);
    }

    public List<String> placeNames() {
        return placeNames;
    }

    private String withoutPlaces(String text) {
        if (text == null || placeNames.isEmpty()) {
            return text;
        }
        String s = text;
        for (String p : placeNames) {
            if (s.contains(p)) {
                s = s.replace(p, " ");
            }
        }
        return s;
    }

    @Override
    public List<Scored> predict(String title, String content) {
        double[] p = probabilities(extractor.counts(withoutPlaces(title), withoutPlaces(content)));
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
        List<Scored> out = new ArrayList<>(p.length);
        for (int i : order) {
            out.add(new Scored(labels.get(i), p[i]));
        }
        return out;
    }

    @Override
    public List<String> labels() {
        return labels;
    }

    @Override
    public String version() {
        return version;
    }

    public ModelSettings settings() {
        return settings;
    }

    public int featureCount() {
        return vocabulary.size();
    }

    public double temperature() {
        return temperature;
    }

    /**
     * The terms that push a message towards {@code label} the most (term, contribution to the
     * label's score), strongest first: for an operator's "why" and for error analysis.
     */
    public List<Map.Entry<String, Double>> explain(String title, String content, String label, int top) {
        int c = labels.indexOf(label);
        if (c < 0) {
            throw new IllegalArgumentException("unknown label " + label);
        }
        Map<String, Double> counts = extractor.counts(withoutPlaces(title), withoutPlaces(content));
        boolean tfidf = settings.weighting().equals("tfidf");
        Map<String, Double> value = new HashMap<>();
        double norm = 0;
        for (Map.Entry<String, Double> e : counts.entrySet()) {
            Integer f = vocabulary.get(e.getKey());
            if (f != null) {
                double v = tfidf ? (1 + Math.log(e.getValue())) * idf[f] : e.getValue();
                value.put(e.getKey(), v);
                norm += v * v;
            }
        }
        double scale = tfidf && norm > 0 ? 1 / Math.sqrt(norm) : 1;
        int k = labels.size();
        List<Map.Entry<String, Double>> out = new ArrayList<>();
        value.forEach((t, v) -> out.add(Map.entry(t, v * scale * weights[vocabulary.get(t) * k + c])));
        out.sort((a, b) -> Double.compare(b.getValue(), a.getValue()));
        return out.subList(0, Math.min(top, out.size()));
    }

    /** Raw linear scores per label (in {@link #labels()} order) for already extracted counts. */
    double[] scores(Map<String, Double> counts) {
        int k = labels.size();
        double[] s = bias.clone();
        boolean tfidf = settings.weighting().equals("tfidf");
        int[] idx = new int[counts.size()];
        double[] val = new double[counts.size()];
        int n = 0;
        double norm = 0;
        for (Map.Entry<String, Double> e : counts.entrySet()) {
            Integer f = vocabulary.get(e.getKey());
            if (f == null) {
                continue;
            }
            double v = tfidf ? (1 + Math.log(e.getValue())) * idf[f] : e.getValue();
            idx[n] = f;
            val[n++] = v;
            norm += v * v;
        }
        double scale = tfidf && norm > 0 ? 1 / Math.sqrt(norm) : 1;
        for (int j = 0; j < n; j++) {
            int base = idx[j] * k;
            double v = val[j] * scale;
            for (int c = 0; c < k; c++) {
                s[c] += v * weights[base + c];
            }
        }
        return s;
    }

    /** Probabilities per label (in {@link #labels()} order) for already extracted counts. */
    double[] probabilities(Map<String, Double> counts) {
        return toProbabilities(scores(counts), probability, temperature);
    }

    static double[] toProbabilities(double[] s, String mode, double temperature) {
        double[] p = new double[s.length];
        double sum = 0;
        if (mode.equals("ovr")) {
            for (int c = 0; c < s.length; c++) {
                p[c] = 1 / (1 + Math.exp(-s[c]));
                sum += p[c];
            }
        } else {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : s) {
                max = Math.max(max, v);
            }
            for (int c = 0; c < s.length; c++) {
                p[c] = Math.exp(temperature * (s[c] - max));
                sum += p[c];
            }
        }
        for (int c = 0; c < p.length; c++) {
            p[c] /= sum;
        }
        return p;
    }

    FeatureExtractor extractor() {
        return extractor;
    }

    // ---------------------------------------------------------------- file

    public void save(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        OutputStream raw = Files.newOutputStream(tmp);
        if (file.getFileName().toString().endsWith(".gz")) {
            raw = new GZIPOutputStream(raw, 1 << 16);
        }
        try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(raw, StandardCharsets.UTF_8), 1 << 16)) {
            w.write(MAGIC + "\t1\n");
            w.write("version\t" + version + "\n");
            w.write("settings\t" + settings.format() + "\n");
            w.write("labels\t" + String.join("\t", labels) + "\n");
            w.write("probability\t" + probability + "\t" + temperature + "\n");
            StringBuilder b = new StringBuilder("bias");
            for (double v : bias) {
                b.append('\t').append(compact(v));
            }
            w.write(b.append('\n').toString());
            String[] terms = new String[vocabulary.size()];
            vocabulary.forEach((t, i) -> terms[i] = t);
            w.write("features\t" + terms.length + "\n");
            int k = labels.size();
            for (int f = 0; f < terms.length; f++) {
                b.setLength(0);
                b.append(terms[f]).append('\t').append(compact(idf[f]));
                for (int c = 0; c < k; c++) {
                    b.append('\t').append(compact(weights[f * k + c]));
                }
                w.write(b.append('\n').toString());
            }
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Five significant digits are plenty for weights and keep the file small. */
    static String compact(double v) {
        if (v == 0) {
            return "0";
        }
        String s = String.format(java.util.Locale.ROOT, "%.5g", v);
        if (s.contains("e") || s.contains("E")) {
            return s;
        }
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "");
            if (s.endsWith(".")) {
                s = s.substring(0, s.length() - 1);
            }
        }
        return s;
    }

    public static LinearTopicModel load(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        if (file.getFileName().toString().endsWith(".gz")) {
            raw = new GZIPInputStream(raw, 1 << 16);
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(raw, StandardCharsets.UTF_8), 1 << 16)) {
            String[] head = fields(r, MAGIC, file);
            if (!head[1].equals("1")) {
                throw new IOException(file + ": unsupported model format " + head[1]);
            }
            String version = fields(r, "version", file)[1];
            ModelSettings settings = ModelSettings.parse(fields(r, "settings", file)[1], ModelSettings.FILE_BASE);
            String[] lab = fields(r, "labels", file);
            List<String> labels = List.of(Arrays.copyOfRange(lab, 1, lab.length));
            String[] prob = fields(r, "probability", file);
            String[] bs = fields(r, "bias", file);
            int k = labels.size();
            if (bs.length != k + 1) {
                throw new IOException(file + ": bias needs " + k + " values");
            }
            double[] bias = new double[k];
            for (int c = 0; c < k; c++) {
                bias[c] = Double.parseDouble(bs[c + 1]);
            }
            int n = Integer.parseInt(fields(r, "features", file)[1]);
            Map<String, Integer> vocab = new HashMap<>(n * 2);
            float[] idf = new float[n];
            float[] w = new float[n * k];
            for (int f = 0; f < n; f++) {
                String line = r.readLine();
                if (line == null) {
                    throw new IOException(file + ": truncated after " + f + " of " + n + " features");
                }
                String[] p = line.split("\t", -1);
                if (p.length != k + 2) {
                    throw new IOException(file + ": feature line " + (f + 1) + " has " + p.length + " fields");
                }
                vocab.put(p[0], f);
                idf[f] = Float.parseFloat(p[1]);
                for (int c = 0; c < k; c++) {
                    w[f * k + c] = Float.parseFloat(p[c + 2]);
                }
            }
            return new LinearTopicModel(version, settings, labels, vocab, idf, w, bias, prob[1],
                    Double.parseDouble(prob[2]));
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a valid topic model: " + e.getMessage(), e);
        }
    }

    private static String[] fields(BufferedReader r, String key, Path file) throws IOException {
        String line = r.readLine();
        if (line == null || !line.startsWith(key + "\t")) {
            throw new IOException(file + ": expected '" + key + "' line, got " + (line == null ? "end of file" : "'" + abbreviate(line) + "'"));
        }
        return key.equals("version") || key.equals("settings") ? line.split("\t", 2) : line.split("\t", -1);
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
