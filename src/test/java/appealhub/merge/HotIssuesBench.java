package appealhub.merge;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * Hot issues on real data (not a test): the 4,326 leader-board messages with votes of
 * leaderboard-hot.full.csv run through the merge engine in time order, as the hub would merge them
 * (text, time; the board gives no phone, township or pin), and the ten hottest cases printed by
 * {@link HeatIndex} at the time of the last message.
 * <ul>
 *   <li>{@code --pairs N --seed S}: N merged pairs drawn at random (message, the case it joined) as CSV, to label;</li>
 *   <li>{@code --candidates N --seed S}: N pairs NOT merged that look alike (same site word in both titles, or
 *       title bigrams Jaccard at least 0.3, within the window), as CSV, to label;</li>
 *   <li>{@code --precision-labels F --recall-labels F}: precision and recall on the labelled pairs at the
 *       configured thresholds and a sweep (docs/hot-issues.md).</li>
 * </ul>
 * Run: {@code bench/hot-issues.sh [options]}; {@code --merge-threshold}/{@code --min-text} override the thresholds.
 */
public final class HotIssuesBench {
    /** hub.merge.hot-citizens as shipped (config/application.yml). */
    static final int HOT_CITIZENS = 3;

    record Msg(String id, String user, String title, String content, Instant time, long likes, long dislikes) {}

    static final class Cluster {
        final Msg first;
        final List<Msg> msgs = new ArrayList<>();
        Cluster(Msg first) {
            this.first = first;
            msgs.add(first);
        }
    }

    record Pair(Msg a, Msg b, MergeDecision d) {}

    private static final Pattern DISTRICT = Pattern.compile("[A-Z][0-9]{1,2}[区县市]");
    private static final Pattern SITE = Pattern.compile("[\\p{IsHan}A-Za-z0-9]{2,10}?(?:小区|社区|村|镇|街道|大道|路|广场|花园|中学|小学|学校|幼儿园"
            + "|医院|公园|市场|项目|家园|新城|公寓|大厦|国际|华府|城|苑|府|湾|园|站|厂|公司|楼盘)");
    private static final Set<String> SITE_STOP = Set.of("A市", "请求", "关于", "反映", "投诉", "咨询", "建议", "希望");

    public static void main(String[] args) throws Exception {
        Path data = Path.of(System.getenv().getOrDefault("HUB_SHARED_DATA", "../shared/data"));
        int pairs = 0, candidates = 0;
        long seed = 15;
        Path precisionLabels = null, recallLabels = null;
        MergeProperties props = MergeProperties.defaults();
        Double thr = null, minText = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--data" -> data = Path.of(args[i + 1]);
                case "--pairs" -> pairs = Integer.parseInt(args[i + 1]);
                case "--candidates" -> candidates = Integer.parseInt(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--precision-labels" -> precisionLabels = Path.of(args[i + 1]);
                case "--recall-labels" -> recallLabels = Path.of(args[i + 1]);
                case "--merge-threshold" -> thr = Double.parseDouble(args[i + 1]);
                case "--min-text" -> minText = Double.parseDouble(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (thr != null || minText != null) {
            props = props.withThresholds(thr == null ? props.mergeThreshold() : thr, minText == null ? props.minTextSimilarity() : minText);
        }
        List<Msg> msgs = read(data.resolve("leaderboard-hot.full.csv"));
        msgs.sort(Comparator.comparing(Msg::time).thenComparing(Msg::id));
        MergeEngine engine = new MergeEngine(props);
        Map<String, Cluster> clusters = new LinkedHashMap<>();
        Map<String, Cluster> clusterOf = new HashMap<>();
        Map<String, IndexedCase> indexed = new HashMap<>();
        List<Pair> merged = new ArrayList<>();
        long t0 = System.nanoTime();
        for (Msg m : msgs) {
            IndexedCase q = engine.prepare(m.id(), candidate(m));
            indexed.put(m.id(), q);
            Optional<MergeDecision> d = engine.find(q);
            if (d.isPresent()) {
                Cluster c = clusters.get(d.get().caseId());
                c.msgs.add(m);
                clusterOf.put(m.id(), c);
                merged.add(new Pair(m, c.first, d.get()));
            } else {
                Cluster c = new Cluster(m);
                clusters.put(m.id(), c);
                clusterOf.put(m.id(), c);
                engine.add(q);
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (pairs > 0) {
            printPairs(sample(merged, pairs, seed));
            return;
        }
        if (candidates > 0) {
            printPairs(sample(lookAlikes(msgs, clusterOf, engine, indexed), candidates, seed));
            return;
        }
        Instant now = msgs.get(msgs.size() - 1).time();
        System.out.printf(Locale.ROOT, "leaderboard-hot.full.csv: %d messages in time order, %s .. %s; merge-threshold %.2f, min-text-similarity %.2f%n",
                msgs.size(), msgs.get(0).time(), now, props.mergeThreshold(), props.minTextSimilarity());
        long multi = clusters.values().stream().filter(c -> c.msgs.size() > 1).count();
        long hot = clusters.values().stream().filter(c -> citizens(c) >= HOT_CITIZENS).count();
        System.out.printf(Locale.ROOT, "%d cases, %d messages merged into %d cases of 2 or more, %d hot (>= %d citizens); %d ms%n",
                clusters.size(), merged.size(), multi, hot, HOT_CITIZENS, ms);
        List<Cluster> ranked = new ArrayList<>(clusters.values());
        ranked.removeIf(c -> c.msgs.size() < 2);
        // The data spans 2017-2020: ranked by the heat each issue reached (at its own last report);
        // "now" (the last message of the file) is printed beside it, as the dashboard would rank today.
        ranked.sort(Comparator.comparingDouble((Cluster c) -> -heat(c, last(c))));
        System.out.printf(Locale.ROOT, "%nTop 10 hot issues by the heat they reached (HeatIndex at their last report: citizens + 0.5 x repeats"
                + " + 2 ln(1 + likes - dislikes/2), halved every %.0f days since the last report; 'now' = at %s):%n",
                HeatIndex.HALF_LIFE_DAYS, now);
        System.out.println(" # | heat  |  now  | citizens | reports | likes/dislikes | first .. last report     | place | topic");
        for (int i = 0; i < Math.min(10, ranked.size()); i++) {
            Cluster c = ranked.get(i);
            Instant first = c.msgs.stream().map(Msg::time).min(Comparator.naturalOrder()).orElseThrow();
            Instant last = c.msgs.stream().map(Msg::time).max(Comparator.naturalOrder()).orElseThrow();
            System.out.printf(Locale.ROOT, "%2d | %5.1f | %5.1f | %8d | %7d | %6d/%-6d | %s .. %s | %s | %s%n", i + 1, heat(c, last),
                    heat(c, now), citizens(c),
                    c.msgs.size(), likes(c), dislikes(c), LocalDate.ofInstant(first, ZoneOffset.ofHours(8)),
                    LocalDate.ofInstant(last, ZoneOffset.ofHours(8)), place(c), topic(c));
        }
        if (precisionLabels != null && recallLabels != null) {
            evaluate(precisionLabels, recallLabels, indexed, engine, props);
        }
    }

    static double heat(Cluster c, Instant now) {
        Instant last = c.msgs.stream().map(Msg::time).max(Comparator.naturalOrder()).orElseThrow();
        return HeatIndex.of(citizens(c), c.msgs.size(), likes(c), dislikes(c), last, now);
    }

    static Instant last(Cluster c) {
        return c.msgs.stream().map(Msg::time).max(Comparator.naturalOrder()).orElseThrow();
    }

    static int citizens(Cluster c) {
        Set<String> users = new HashSet<>();
        c.msgs.forEach(m -> users.add(m.user()));
        return users.size();
    }

    static long likes(Cluster c) {
        return c.msgs.stream().mapToLong(Msg::likes).sum();
    }

    static long dislikes(Cluster c) {
        return c.msgs.stream().mapToLong(Msg::dislikes).sum();
    }

    /** The district and the site word most titles of the case name. */
    static String place(Cluster c) {
        String district = most(c, DISTRICT, Set.of());
        String site = most(c, SITE, SITE_STOP);
        return (district == null ? "" : district) + (site == null ? "" : (district == null ? "" : " ") + site);
    }

    private static String most(Cluster c, Pattern p, Set<String> stop) {
        Map<String, Integer> counts = new HashMap<>();
        for (Msg m : c.msgs) {
            Set<String> seen = new HashSet<>();
            Matcher x = p.matcher(m.title());
            while (x.find()) {
                String w = DISTRICT.matcher(x.group()).replaceAll("").replaceFirst("^[市区县]", "")
                        .replaceFirst("^(?:咨询|投诉|反映|关于|请求|建议|举报|希望|要求|请问|A市)+", "");
                if (p == DISTRICT) w = x.group();
                if (w.length() >= 2 && !stop.contains(w) && seen.add(w)) counts.merge(w, 1, Integer::sum);
            }
        }
        return counts.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue().thenComparing(e -> e.getKey().length()))
                .map(Map.Entry::getKey).orElse(null);
    }

    /** The title of the most liked message of the case, else its first. */
    static String topic(Cluster c) {
        Msg best = c.msgs.stream().max(Comparator.comparingLong(Msg::likes)).orElse(c.first);
        String t = best.title().strip();
        return t.length() > 40 ? t.substring(0, 40) + "…" : t;
    }

    static Candidate candidate(Msg m) {
        return new Candidate(m.title(), m.content(), null, null, null, null, null, m.time());
    }

    /** Pairs of messages in different cases, within the window, whose titles look alike. */
    static List<Pair> lookAlikes(List<Msg> msgs, Map<String, Cluster> clusterOf, MergeEngine engine, Map<String, IndexedCase> indexed) {
        List<Pair> out = new ArrayList<>();
        Map<String, Set<String>> bigrams = new HashMap<>();
        Map<String, Set<String>> sites = new HashMap<>();
        for (Msg m : msgs) {
            bigrams.put(m.id(), bigrams(m.title()));
            Set<String> s = new HashSet<>();
            Matcher x = SITE.matcher(m.title());
            while (x.find()) {
                String w = DISTRICT.matcher(x.group()).replaceAll("");
                if (w.length() >= 4) s.add(w);
            }
            sites.put(m.id(), s);
        }
        long window = 30L * 86400;
        for (int i = 0; i < msgs.size(); i++) {
            Msg a = msgs.get(i);
            for (int j = i + 1; j < msgs.size(); j++) {
                Msg b = msgs.get(j);
                if (b.time().getEpochSecond() - a.time().getEpochSecond() > window) break;
                if (clusterOf.get(a.id()) == clusterOf.get(b.id())) continue;
                Set<String> sa = sites.get(a.id());
                boolean sameSite = sa.stream().anyMatch(sites.get(b.id())::contains);
                double jac = jaccard(bigrams.get(a.id()), bigrams.get(b.id()));
                if (sameSite || jac >= 0.3) {
                    out.add(new Pair(b, a, engine.scorePair(indexed.get(b.id()), indexed.get(a.id()))));
                }
            }
        }
        return out;
    }

    static Set<String> bigrams(String s) {
        Set<String> out = new HashSet<>();
        String t = s.replaceAll("[^\\p{IsHan}A-Za-z0-9]", "");
        for (int i = 0; i + 1 < t.length(); i++) out.add(t.substring(i, i + 2));
        return out;
    }

    static double jaccard(Set<String> a, Set<String> b) {
        if (a.isEmpty() || b.isEmpty()) return 0;
        int inter = 0;
        for (String x : a) if (b.contains(x)) inter++;
        return (double) inter / (a.size() + b.size() - inter);
    }

    static <T> List<T> sample(List<T> all, int n, long seed) {
        List<T> pool = new ArrayList<>(all);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < n && i < pool.size(); i++) {
            int j = i + random.nextInt(pool.size() - i);
            T t = pool.get(i);
            pool.set(i, pool.get(j));
            pool.set(j, t);
        }
        return pool.subList(0, Math.min(n, pool.size()));
    }

    static void printPairs(List<Pair> pairs) {
        System.out.println("id_a,id_b,score,text,title_a,title_b,content_a,content_b");
        for (Pair p : pairs) {
            System.out.println(String.join(",", p.a().id(), p.b().id(),
                    p.d() == null ? "" : String.format(Locale.ROOT, "%.3f", p.d().score()),
                    p.d() == null ? "" : String.format(Locale.ROOT, "%.3f", p.d().textSimilarity()),
                    q(p.a().title()), q(p.b().title()), q(cut(p.a().content())), q(cut(p.b().content()))));
        }
    }

    private static String cut(String s) {
        String t = s.replaceAll("\\s+", " ").strip();
        return t.length() > 160 ? t.substring(0, 160) : t;
    }

    private static String q(String s) {
        return "\"" + s.replace("\"", "\"\"").replace("\r", " ").replace("\n", " ") + "\"";
    }

    /** Labels: id_a,id_b,same (1 = the same event: same place and the same concrete problem). */
    record Labelled(String a, String b, boolean same, boolean fromMerged) {}

    static void evaluate(Path precisionLabels, Path recallLabels, Map<String, IndexedCase> indexed, MergeEngine engine,
                         MergeProperties props) throws Exception {
        List<Labelled> labels = new ArrayList<>();
        labels.addAll(readLabels(precisionLabels, true));
        labels.addAll(readLabels(recallLabels, false));
        List<MergeDecision> scored = new ArrayList<>();
        for (Labelled l : labels) scored.add(engine.scorePair(indexed.get(l.a()), indexed.get(l.b())));
        long mergedSame = labels.stream().filter(l -> l.fromMerged() && l.same()).count();
        long merged = labels.stream().filter(Labelled::fromMerged).count();
        long missedSame = labels.stream().filter(l -> !l.fromMerged() && l.same()).count();
        long missed = labels.stream().filter(l -> !l.fromMerged()).count();
        System.out.printf(Locale.ROOT, "%nLabelled pairs: %d merged (%d the same event), %d look-alikes not merged (%d the same event)%n",
                merged, mergedSame, missed, missedSame);
        System.out.println("As labelled (the run's own decisions): precision " + fmt(mergedSame, merged)
                + "; of the same-event pairs found, merged " + fmt(mergedSame, mergedSame + missedSame) + " (recall on the labelled set)");
        System.out.println("\nRe-scored pairs at other thresholds (a pair merges when text >= min-text and score >= merge-threshold):");
        System.out.println("  thr   | text>=0.30         | text>=0.40         | text>=0.45         | text>=0.50         | text>=0.60");
        for (double t = 0.40; t <= 0.851; t += 0.05) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %.2f ", t));
            for (double mt : new double[] {0.30, 0.40, 0.45, 0.50, 0.60}) {
                int tp = 0, fp = 0, fn = 0;
                for (int i = 0; i < labels.size(); i++) {
                    MergeDecision d = scored.get(i);
                    boolean m = d != null && d.textSimilarity() >= mt && d.score() >= t;
                    if (m && labels.get(i).same()) tp++;
                    else if (m) fp++;
                    else if (labels.get(i).same()) fn++;
                }
                line.append(String.format(Locale.ROOT, "| P %.3f R %.3f   ", tp + fp == 0 ? 1.0 : (double) tp / (tp + fp),
                        tp + fn == 0 ? 0.0 : (double) tp / (tp + fn)));
            }
            System.out.println(line);
        }
        System.out.printf(Locale.ROOT, "  (configured: merge-threshold %.2f, min-text-similarity %.2f)%n", props.mergeThreshold(),
                props.minTextSimilarity());
    }

    private static String fmt(long a, long b) {
        return String.format(Locale.ROOT, "%.3f (%d/%d)", b == 0 ? 0.0 : (double) a / b, a, b);
    }

    static List<Labelled> readLabels(Path file, boolean fromMerged) throws Exception {
        List<Labelled> out = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (CSVRecord r : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
                out.add(new Labelled(r.get("id_a"), r.get("id_b"), "1".equals(r.get("same").strip()), fromMerged));
            }
        }
        return out;
    }

    static List<Msg> read(Path file) throws Exception {
        List<Msg> out = new ArrayList<>();
        DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy/M/d H:mm[:ss]");
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (CSVRecord r : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
                out.add(new Msg(r.get("id"), r.get("user"), r.get("title"), r.get("content"), time(r.get("time").strip(), f),
                        number(r.get("likes")), number(r.get("dislikes"))));
            }
        }
        return out;
    }

    /** yyyy/M/d H:mm:ss in Beijing time, or an Excel serial day number (129 rows of the file). */
    static Instant time(String s, DateTimeFormatter f) {
        if (s.contains("/")) return LocalDateTime.parse(s, f).toInstant(ZoneOffset.ofHours(8));
        double days = Double.parseDouble(s);
        return LocalDateTime.of(1899, 12, 30, 0, 0).plusSeconds(Math.round(days * 86400)).toInstant(ZoneOffset.ofHours(8));
    }

    private static long number(String s) {
        String t = s == null ? "" : s.strip();
        return t.isEmpty() ? 0 : (long) Double.parseDouble(t);
    }
}
