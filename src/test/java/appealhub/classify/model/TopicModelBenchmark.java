package appealhub.classify.model;

import appealhub.organization.OrganizationRegistry;
import appealhub.classify.PlacementClassifier;
import appealhub.classify.RoutingRules;
import appealhub.classify.RoutingTable;
import appealhub.classify.TownshipLocator;
import appealhub.classify.TownshipResolver;
import appealhub.model.Appeal;
import java.time.Clock;
import java.time.Instant;
import appealhub.classify.model.LabelledAppeals.Example;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Cost of one classification with the committed model (bench/topic-model-benchmark.sh): real
 * messages (the training file, or any labelled CSV), a warm-up, then each predict timed on its
 * own; prints median, p90, p99, max and mean, single thread.
 * Options: --model FILE, --data CSV, --warmup 20000, --iterations 50000.
 */
public final class TopicModelBenchmark {

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = Cli.options(args, "model", "baseline", "data", "warmup", "iterations");
        Path modelFile = Path.of(opt.getOrDefault("model", Cli.DEFAULT_MODEL_FILE));
        Path data = Path.of(opt.getOrDefault("data", Cli.DEFAULT_TRAINING_FILE));
        int warmup = Integer.parseInt(opt.getOrDefault("warmup", "20000"));
        int iterations = Integer.parseInt(opt.getOrDefault("iterations", "50000"));
        List<String> places = Files.exists(Path.of("config/organizations.yaml"))
                ? FileTopicModel.placeNames(new OrganizationRegistry("config/organizations.yaml")) : List.of();
        List<Example> messages = LabelledAppeals.read(data);
        double avgChars = messages.stream().mapToInt(e -> e.title().length() + e.content().length()).average().orElse(0);
        System.out.printf(Locale.ROOT, "messages: %d from %s (mean %.0f chars title+content), warm-up %d, measured %d%n",
                messages.size(), data, avgChars, warmup, iterations);
        long sink = 0;
        // same-run baseline: the previous model (--baseline FILE, e.g. from git) or, without one, the text
        // cleaning and n-gram extraction alone (the floor of any model on these features)
        double[] base;
        String baseName;
        TopicModel model = load(modelFile, places);
        if (opt.containsKey("baseline")) {
            TopicModel old = load(Path.of(opt.get("baseline")), places);
            baseName = "baseline model";
            base = measure((t, c) -> old.predict(t, c).get(0).label().length(), messages, warmup, iterations);
        } else {
            FeatureExtractor fx = new FeatureExtractor(((FileTopicModel) model).model().settings());
            baseName = "feature extraction only";
            base = measure((t, c) -> fx.counts(t, c).size(), messages, warmup, iterations);
        }
        print(baseName, base);
        double[] m = measure((t, c) -> model.predict(t, c).get(0).label().length(), messages, warmup, iterations);
        print("model", m);
        System.out.printf(Locale.ROOT, "ratio model / %s: median %.2f, p99 %.2f, mean %.2f%n", baseName,
                m[0] / base[0], m[2] / base[2], m[4] / base[4]);
        sink += placement(model, messages, warmup, iterations);
        if (sink == 42) {
            System.out.println();
        }
    }

    private static TopicModel load(Path file, List<String> places) {
        long t0 = System.nanoTime();
        TopicModel model = new FileTopicModel(file.toString(), places);
        System.out.printf(Locale.ROOT, "model %s: %s (%d bytes, %d features, load %.0f ms)%n", file, model.version(),
                file.toFile().length(), ((FileTopicModel) model).model().featureCount(), (System.nanoTime() - t0) / 1e6);
        return model;
    }

    /** median, p90, p99, max, mean in µs of {@code call} on each message in turn, after a warm-up. */
    private static double[] measure(java.util.function.ToIntBiFunction<String, String> call, List<Example> messages,
                                    int warmup, int iterations) {
        long sink = 0;
        for (int i = 0; i < warmup; i++) {
            Example e = messages.get(i % messages.size());
            sink += call.applyAsInt(e.title(), e.content());
        }
        long[] ns = new long[iterations];
        long wall = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            Example e = messages.get(i % messages.size());
            long s = System.nanoTime();
            sink += call.applyAsInt(e.title(), e.content());
            ns[i] = System.nanoTime() - s;
        }
        wall = System.nanoTime() - wall;
        Arrays.sort(ns);
        if (sink == 42) {
            System.out.println();
        }
        return new double[] {ns[iterations / 2] / 1e3, ns[(int) (iterations * 0.90)] / 1e3, ns[(int) (iterations * 0.99)] / 1e3,
                ns[iterations - 1] / 1e3, wall / 1e3 / iterations};
    }

    private static void print(String name, double[] r) {
        System.out.printf(Locale.ROOT, "per classification, %s: median %.1f µs, p90 %.1f µs, p99 %.1f µs, max %.1f µs,"
                + " mean %.1f µs (%.0f/s on one thread)%n", name, r[0], r[1], r[2], r[3], r[4], 1e6 / r[4]);
    }

    /** The whole placement of an appeal: model, category rules, routing rules, township resolution. */
    private static long placement(TopicModel model, List<Example> messages, int warmup, int iterations) throws Exception {
        OrganizationRegistry registry = new OrganizationRegistry("config/organizations.yaml");
        RoutingTable table = RoutingTable.load(Path.of("config/routing.yaml"), registry);
        PlacementClassifier classifier = new PlacementClassifier(registry, table,
                new RoutingRules(Path.of("config/routing-rules.yaml"), registry, table.classes().keySet(), 3000, Clock.systemUTC()),
                new TownshipResolver(registry, TownshipLocator.load(Path.of("config/townships-geo.yaml"))),
                () -> model, 0.45);
        String[] addresses = {"冀州区西王镇大寨村", "冀州区冀州镇滏阳花园", "冀州区", "衡水市冀州区门庄乡孙家庄村"};
        List<Appeal> appeals = new java.util.ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < messages.size(); i++) {
            Example e = messages.get(i);
            appeals.add(new Appeal(null, null, List.of(new Appeal.Source("hotline12345", "B" + i, now, 0L)), null,
                    e.title(), e.content(), now, now,
                    new Appeal.Location(addresses[i % addresses.length], "冀州区", null, null, null, null, null),
                    "03", null, false, List.of(), Map.of("sqlx", "03", "sfjj", "0")));
        }
        long sink = 0;
        for (int i = 0; i < warmup; i++) sink += classifier.classify(appeals.get(i % appeals.size())).confidence() > 0.5 ? 1 : 0;
        long[] ns = new long[iterations];
        long wall = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            long s = System.nanoTime();
            sink += classifier.classify(appeals.get(i % appeals.size())).confidence() > 0.5 ? 1 : 0;
            ns[i] = System.nanoTime() - s;
        }
        wall = System.nanoTime() - wall;
        Arrays.sort(ns);
        System.out.printf(Locale.ROOT, "per placement (model + rules + township): median %.1f µs, p90 %.1f µs, p99 %.1f µs,"
                        + " max %.1f µs, mean %.1f µs%n",
                ns[iterations / 2] / 1e3, ns[(int) (iterations * 0.90)] / 1e3, ns[(int) (iterations * 0.99)] / 1e3,
                ns[iterations - 1] / 1e3, wall / 1e3 / iterations);
        return sink;
    }
}
