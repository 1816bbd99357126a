package appealhub.reply;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * Calibration command (not a test): scores the real official replies of
 * leaderboard-replies.full.csv against their messages with the shipped thresholds and prints the
 * distribution of scores, the share held and the share of each reason. With --labels FILE it also
 * reads a labelled sample (id,weak 0/1,...) and prints the precision and recall of the flag on it;
 * with --sample N --seed S it prints a seeded random sample as CSV to label.
 *
 * <p>Run: {@code bench/reply-quality.sh [--labels bench/labels/reply-quality-sample.csv]}.
 */
public final class ReplyQualityBench {

    record Row(String id, String title, String content, String reply) {}

    public static void main(String[] args) throws Exception {
        Path data = Path.of(System.getenv().getOrDefault("HUB_SHARED_DATA", "../shared/data"));
        Path labels = null;
        int sample = 0;
        long seed = 15;
        int minScore = ReplyQualityProperties.defaults().minScore();
        double minRelevance = ReplyQualityProperties.defaults().minRelevance();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--data" -> data = Path.of(args[i + 1]);
                case "--labels" -> labels = Path.of(args[i + 1]);
                case "--sample" -> sample = Integer.parseInt(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--min-score" -> minScore = Integer.parseInt(args[i + 1]);
                case "--min-relevance" -> minRelevance = Double.parseDouble(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        ReplyQualityProperties d = ReplyQualityProperties.defaults();
        ReplyQualityScorer scorer = new ReplyQualityScorer(new ReplyQualityProperties(true, minScore, minRelevance,
                d.minChars(), d.holdOnPersonalData()));
        List<Row> rows = read(data.resolve("leaderboard-replies.full.csv"));
        if (sample > 0) {
            printSample(rows, scorer, sample, seed);
            return;
        }
        int[] buckets = new int[11];
        int held = 0;
        Map<ReplyQuality.Reason, Integer> reasons = new EnumMap<>(ReplyQuality.Reason.class);
        Map<ReplyQuality.Reason, Integer> heldReasons = new EnumMap<>(ReplyQuality.Reason.class);
        Map<String, ReplyQuality> byId = new java.util.HashMap<>();
        for (Row r : rows) {
            ReplyQuality q = scorer.score(List.of(new ReplyQualityScorer.AppealText(r.title(), r.content(), null)), r.reply());
            byId.put(r.id(), q);
            buckets[Math.min(10, q.score() / 10)]++;
            if (q.weak()) held++;
            for (ReplyQuality.Reason reason : q.reasons()) {
                reasons.merge(reason, 1, Integer::sum);
                if (q.weak()) heldReasons.merge(reason, 1, Integer::sum);
            }
        }
        System.out.printf(Locale.ROOT, "replies: %d   min-score %d, min-relevance %.2f, min-chars %d%n", rows.size(), minScore,
                minRelevance, d.minChars());
        System.out.println("score      replies  share");
        for (int b = 0; b <= 10; b++) {
            System.out.printf(Locale.ROOT, "%3d-%-3d  %8d  %5.1f%% %s%n", b * 10, b == 10 ? 100 : b * 10 + 9, buckets[b],
                    100.0 * buckets[b] / rows.size(), "#".repeat((int) Math.round(60.0 * buckets[b] / rows.size())));
        }
        System.out.printf(Locale.ROOT, "held (weak): %d of %d = %.1f%%%n", held, rows.size(), 100.0 * held / rows.size());
        System.out.println("reason                  all replies   held replies");
        for (ReplyQuality.Reason reason : ReplyQuality.Reason.values()) {
            System.out.printf(Locale.ROOT, "%-22s  %6d %5.1f%%  %6d%n", reason, reasons.getOrDefault(reason, 0),
                    100.0 * reasons.getOrDefault(reason, 0) / rows.size(), heldReasons.getOrDefault(reason, 0));
        }
        if (labels != null) evaluate(labels, byId);
    }

    private static void evaluate(Path labels, Map<String, ReplyQuality> byId) throws Exception {
        int tp = 0, fp = 0, fn = 0, tn = 0;
        try (Reader in = Files.newBufferedReader(labels, StandardCharsets.UTF_8)) {
            for (CSVRecord rec : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
                ReplyQuality q = byId.get(rec.get("id"));
                if (q == null) throw new IllegalStateException("no reply " + rec.get("id"));
                boolean weak = "1".equals(rec.get("weak").strip());
                if (q.weak() && weak) tp++;
                else if (q.weak()) fp++;
                else if (weak) fn++;
                else tn++;
            }
        }
        System.out.printf(Locale.ROOT, "labelled sample %s: %d replies, %d weak by the label%n", labels, tp + fp + fn + tn, tp + fn);
        System.out.printf(Locale.ROOT, "flagged %d: precision %.2f (%d/%d), recall %.2f (%d/%d); not flagged %d (%d weak)%n",
                tp + fp, tp + fp == 0 ? 0 : (double) tp / (tp + fp), tp, tp + fp, tp + fn == 0 ? 0 : (double) tp / (tp + fn),
                tp, tp + fn, tn + fn, fn);
    }

    private static void printSample(List<Row> rows, ReplyQualityScorer scorer, int n, long seed) {
        List<Row> pool = new ArrayList<>(rows);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < n && i < pool.size(); i++) {
            int j = i + random.nextInt(pool.size() - i);
            Row t = pool.get(i);
            pool.set(i, pool.get(j));
            pool.set(j, t);
        }
        System.out.println("id,score,flagged,reasons,title,reply");
        for (Row r : pool.subList(0, Math.min(n, pool.size()))) {
            ReplyQuality q = scorer.score(List.of(new ReplyQualityScorer.AppealText(r.title(), r.content(), null)), r.reply());
            System.out.println(String.join(",", r.id(), String.valueOf(q.score()), q.weak() ? "1" : "0",
                    quote(q.reasons().toString()), quote(r.title()), quote(r.reply().strip())));
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\"", "\"\"").replace("\r", " ").replace("\n", " ") + "\"";
    }

    static List<Row> read(Path file) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (CSVRecord rec : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
                rows.add(new Row(rec.get("id"), rec.get("title"), rec.get("content"), rec.get("reply")));
            }
        }
        return rows;
    }
}
