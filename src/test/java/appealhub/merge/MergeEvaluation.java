package appealhub.merge;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Evaluation command (not a test): builds a labelled set of appeal pairs from the real
 * messages in ../shared/data (deterministic from --seed) and prints precision, recall and
 * F1 of the merge decision at the configured thresholds, per kind of probe, and a sweep.
 *
 * <p>The index holds every message of the three files except a held-out half of the
 * training file, each as a case with a township, a place, a pin (half of them), a phone and
 * a time. Positive probes are derived from an indexed message, as another citizen or the
 * same one would send it through another channel: re-worded (synonyms swapped, two
 * sentences swapped, polite phrases added or removed), truncated (30-70 % kept), sent with
 * another title, or re-worded AND truncated. Negative probes are held-out messages of the
 * SAME first-level label placed at the same township and (mostly) the same place, pin and
 * time as an indexed message of that label, 20 % of them from the same phone: the hard case
 * of "a different problem at the same place". A positive merged with the wrong case counts
 * as a false positive too.
 *
 * <p>Run: {@code bench/merge-evaluation.sh [--seed 42] [--variants 3]}.
 */
public final class MergeEvaluation {
    private static final String[][] SYNONYMS = {
        {"希望", "恳请"}, {"尽快", "尽早"}, {"解决", "处理"}, {"严重", "十分严重"}, {"影响", "干扰"},
        {"现在", "目前"}, {"非常", "特别"}, {"没有", "未"}, {"领导", "政府"}, {"反映", "投诉"},
        {"相关部门", "有关部门"}, {"居民", "住户"}, {"但是", "可是"}, {"因为", "由于"}, {"已经", "早已"},
        {"问题", "情况"}, {"要求", "请求"}, {"至今", "到现在"}, {"请问", "想问"}, {"导致", "造成"},
        {"马上", "立即"}, {"每天", "天天"}, {"附近", "周边"}, {"孩子", "小孩"}, {"老百姓", "群众"},
    };
    private static final String[] POLITE_OPEN = {"尊敬的领导：您好！", "领导您好，", "您好！", "书记好！"};
    private static final String[] POLITE_CLOSE = {"谢谢！", "盼复，谢谢领导！", "望早日答复。", "麻烦领导重视一下，万分感谢！"};

    enum Kind { REWORDED, TRUNCATED, OTHER_TITLE, REWORDED_TRUNCATED, NEGATIVE }

    record Probe(Kind kind, String expectedCaseId, IndexedCase query) {}

    public static void main(String[] args) throws Exception {
        long seed = 42;
        int variants = 3;
        int bands = MergeProperties.defaults().bands();
        int rows = MergeProperties.defaults().rows();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--variants" -> variants = Integer.parseInt(args[i + 1]);
                case "--bands" -> bands = Integer.parseInt(args[i + 1]);
                case "--rows" -> rows = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        MergeProperties props = MergeProperties.defaults().withBands(bands, rows);
        MergeEngine engine = new MergeEngine(props);
        List<Probe> probes = build(engine, seed, variants);
        System.out.printf(Locale.ROOT, "Merge evaluation: seed %d, %d cases indexed, %d probes (%d positive, %d negative)%n",
                seed, engine.size(), probes.size(), probes.stream().filter(p -> p.kind() != Kind.NEGATIVE).count(),
                probes.stream().filter(p -> p.kind() == Kind.NEGATIVE).count());

        // Score every probe once (all candidates with text >= 0.2), then decide per threshold pair.
        List<List<MergeDecision>> scored = new ArrayList<>();
        for (Probe p : probes) {
            scored.add(engine.score(p.query(), 0.2));
        }
        System.out.printf(Locale.ROOT, "%nAt the configured thresholds (merge-threshold %.2f, min-text-similarity %.2f):%n",
                props.mergeThreshold(), props.minTextSimilarity());
        Counts all = count(probes, scored, props.mergeThreshold(), props.minTextSimilarity(), null);
        System.out.println("  all probes          " + all);
        for (Kind k : Kind.values()) {
            Counts c = count(probes, scored, props.mergeThreshold(), props.minTextSimilarity(), k);
            System.out.printf(Locale.ROOT, "  %-19s %s%n", k.name().toLowerCase(Locale.ROOT), k == Kind.NEGATIVE
                    ? "n=" + c.negatives + ", wrongly merged " + c.fp : c.recallLine());
        }
        // Margins: the most similar negative, and why positives were missed.
        double negText = 0, negScore = 0;
        int notFound = 0, belowText = 0, belowScore = 0;
        for (int i = 0; i < probes.size(); i++) {
            Probe p = probes.get(i);
            if (p.kind() == Kind.NEGATIVE) {
                for (MergeDecision d : scored.get(i)) {
                    negText = Math.max(negText, d.textSimilarity());
                    negScore = Math.max(negScore, d.score());
                }
            } else {
                Optional<MergeDecision> own = scored.get(i).stream().filter(d -> d.caseId().equals(p.expectedCaseId())).findFirst();
                if (own.isEmpty()) {
                    notFound++;
                } else if (own.get().textSimilarity() < props.minTextSimilarity()) {
                    belowText++;
                } else if (own.get().score() < props.mergeThreshold()) {
                    belowScore++;
                }
            }
        }
        System.out.printf(Locale.ROOT, "  hardest negative: text similarity %.3f, score %.3f%n", negText, negScore);
        System.out.printf(Locale.ROOT, "  positives missed: %d not among candidates (LSH or text < 0.2), %d text below floor, %d score below threshold%n",
                notFound, belowText, belowScore);
        System.out.println("\nSweep (precision / recall / F1; rows: merge-threshold, columns: min-text-similarity):");
        double[] texts = {0.30, 0.40, 0.45, 0.50, 0.60};
        System.out.print("  thr  ");
        for (double t : texts) {
            System.out.printf(Locale.ROOT, "| text>=%.2f         ", t);
        }
        System.out.println();
        for (double thr = 0.50; thr <= 0.951; thr += 0.05) {
            System.out.printf(Locale.ROOT, "  %.2f ", thr);
            for (double t : texts) {
                Counts c = count(probes, scored, thr, t, null);
                System.out.printf(Locale.ROOT, "| %.3f/%.3f/%.3f ", c.precision(), c.recall(), c.f1());
            }
            System.out.println();
        }
        // Text only (no signals): what the metadata adds.
        MergeProperties textOnly = new MergeProperties(true, props.phoneKey(), props.windowDays(), props.mergeThreshold(),
                props.minTextSimilarity(), props.minContainmentShingles(), props.prefixChars(), props.bands(), props.rows(),
                0, 0, 0, 0, 0, 0, 0, props.nearPinMeters(), props.farPinMeters(), props.closeTimeHours(),
                props.minShinglesAlone());
        MergeEngine plain = new MergeEngine(textOnly);
        List<Probe> plainProbes = build(plain, seed, variants);
        List<List<MergeDecision>> plainScored = new ArrayList<>();
        for (Probe p : plainProbes) {
            plainScored.add(plain.score(p.query(), 0.2));
        }
        System.out.println("\nText similarity alone (all signal weights 0), same probes:");
        for (double thr : new double[] {0.45, 0.60, 0.70, 0.80, 0.90}) {
            System.out.printf(Locale.ROOT, "  text>=%.2f  %s%n", thr, count(plainProbes, plainScored, thr, thr, null));
        }
    }

    static final class Counts {
        int tp, fp, fn, negatives, positives;

        double precision() {
            return tp + fp == 0 ? 1.0 : tp / (double) (tp + fp);
        }

        double recall() {
            return positives == 0 ? 0 : tp / (double) positives;
        }

        double f1() {
            double p = precision(), r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }

        String recallLine() {
            return String.format(Locale.ROOT, "n=%d, recall %.3f (%d merged right, %d wrong case, %d missed)",
                    positives, recall(), tp, fp, fn);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "precision %.3f  recall %.3f  F1 %.3f  (TP %d, FP %d, FN %d; %d positives, %d negatives)",
                    precision(), recall(), f1(), tp, fp, fn, positives, negatives);
        }
    }

    static Counts count(List<Probe> probes, List<List<MergeDecision>> scored, double thr, double minText, Kind only) {
        Counts c = new Counts();
        for (int i = 0; i < probes.size(); i++) {
            Probe p = probes.get(i);
            if (only != null && p.kind() != only) {
                continue;
            }
            Optional<MergeDecision> best = scored.get(i).stream()
                    .filter(d -> d.textSimilarity() >= minText && d.score() >= thr)
                    .max((a, b) -> Double.compare(a.score(), b.score()));
            if (p.kind() == Kind.NEGATIVE) {
                c.negatives++;
                if (best.isPresent()) {
                    c.fp++;
                }
            } else {
                c.positives++;
                if (best.isEmpty()) {
                    c.fn++;
                } else if (best.get().caseId().equals(p.expectedCaseId())) {
                    c.tp++;
                } else {
                    c.fp++;
                }
            }
        }
        return c;
    }

    /** Indexes the cases into engine and returns the probes; deterministic for a seed. */
    static List<Probe> build(MergeEngine engine, long seed, int variants) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        List<MergeData.Message> messages = MergeData.messages(MergeData.dataDir());
        List<MergeData.Township> towns = MergeData.townships();
        Instant t0 = Instant.parse("2025-06-01T00:00:00Z");

        List<MergeData.Message> train = new ArrayList<>(messages.stream().filter(m -> m.label() != null).toList());
        Collections.shuffle(train, new java.util.Random(seed));
        List<MergeData.Message> heldOut = train.subList(0, train.size() / 2);
        java.util.Set<String> heldIds = new java.util.HashSet<>();
        heldOut.forEach(m -> heldIds.add(m.id()));

        record Case(String caseId, MergeData.Message msg, Candidate c) {}
        List<Case> cases = new ArrayList<>();
        Map<String, List<Case>> byLabel = new TreeMap<>();
        for (MergeData.Message m : messages) {
            if (heldIds.contains(m.id())) {
                continue;
            }
            MergeData.Township t = towns.get(r.nextInt(towns.size()));
            String place = t.places().get(r.nextInt(t.places().size()));
            double[] pin = r.nextBoolean() ? MergeData.near(r, t.lat(), t.lon(), 3000) : null;
            Instant at = t0.plusSeconds(r.nextLong(Duration.ofDays(20).toSeconds()));
            Candidate c = new Candidate(m.title(), m.content(), MergeData.phone(r), t.code(), place,
                    pin == null ? null : pin[0], pin == null ? null : pin[1], at);
            Case k = new Case("C-" + m.id(), m, c);
            cases.add(k);
            engine.add(engine.prepare(k.caseId(), c));
            if (m.label() != null) {
                byLabel.computeIfAbsent(m.label(), x -> new ArrayList<>()).add(k);
            }
        }

        List<Probe> probes = new ArrayList<>();
        Kind[] kinds = {Kind.REWORDED, Kind.TRUNCATED, Kind.OTHER_TITLE, Kind.REWORDED_TRUNCATED};
        for (Case k : cases) {
            for (int v = 0; v < variants; v++) {
                Kind kind = kinds[r.nextInt(kinds.length)];
                String title = k.msg().title();
                String content = k.msg().content();
                switch (kind) {
                    case REWORDED -> content = reword(r, content);
                    case TRUNCATED -> content = truncate(r, content);
                    case OTHER_TITLE -> title = otherTitle(r, k.msg());
                    case REWORDED_TRUNCATED -> content = truncate(r, reword(r, content));
                    default -> throw new IllegalStateException();
                }
                if (kind != Kind.OTHER_TITLE && r.nextInt(3) == 0) {
                    title = otherTitle(r, k.msg());
                }
                Candidate o = k.c();
                // another channel: township known 60 %, place 40 %, pin near 30 %, same phone 30 %, 0-10 days later
                double[] pin = o.lat() != null && r.nextInt(10) < 3 ? MergeData.near(r, o.lat(), o.lon(), 300) : null;
                Candidate q = new Candidate(title, content, r.nextInt(10) < 3 ? o.phone() : MergeData.phone(r),
                        r.nextInt(10) < 6 ? o.townshipCode() : null, r.nextInt(10) < 4 ? o.place() : null,
                        pin == null ? null : pin[0], pin == null ? null : pin[1],
                        o.receivedAt().plusSeconds(r.nextLong(Duration.ofDays(10).toSeconds())));
                probes.add(new Probe(kind, k.caseId(), engine.prepare(null, q)));
            }
        }
        for (MergeData.Message m : heldOut) {
            List<Case> same = byLabel.get(m.label());
            for (int v = 0; v < variants; v++) {
                Case k = same.get(r.nextInt(same.size()));
                Candidate o = k.c();
                double[] pin = o.lat() != null && r.nextBoolean() ? MergeData.near(r, o.lat(), o.lon(), 300) : null;
                Candidate q = new Candidate(m.title(), v == 0 ? m.content() : reword(r, m.content()),
                        r.nextInt(10) < 2 ? o.phone() : MergeData.phone(r), o.townshipCode(),
                        r.nextInt(10) < 7 ? o.place() : null, pin == null ? null : pin[0], pin == null ? null : pin[1],
                        o.receivedAt().plusSeconds(r.nextLong(Duration.ofDays(3).toSeconds())));
                probes.add(new Probe(Kind.NEGATIVE, null, engine.prepare(null, q)));
            }
        }
        return probes;
    }

    static String reword(SplittableRandom r, String content) {
        List<String> s = new ArrayList<>(MergeData.sentences(content));
        // drop an existing polite opening/closing, or add one
        if (s.size() > 2 && r.nextBoolean()) {
            s.add(0, POLITE_OPEN[r.nextInt(POLITE_OPEN.length)]);
        }
        if (r.nextBoolean()) {
            s.add(POLITE_CLOSE[r.nextInt(POLITE_CLOSE.length)]);
        } else if (s.size() > 3 && s.get(s.size() - 1).matches(".*(谢|盼|望|恳请|希望).*")) {
            s.remove(s.size() - 1);
        }
        if (s.size() >= 4) {                               // swap two sentences of the body
            int i = 1 + r.nextInt(s.size() - 2), j = 1 + r.nextInt(s.size() - 2);
            Collections.swap(s, i, j);
        }
        String text = String.join("", s);
        int swaps = 0;
        for (String[] pair : SYNONYMS) {
            if (swaps < 6 && r.nextInt(3) > 0) {
                String before = text;
                text = r.nextBoolean() ? text.replace(pair[0], pair[1]) : text.replace(pair[1], pair[0]);
                if (!text.equals(before)) {
                    swaps++;
                }
            }
        }
        return text;
    }

    static String truncate(SplittableRandom r, String content) {
        int keep = (int) Math.round(content.length() * (0.3 + 0.4 * r.nextDouble()));
        return content.substring(0, Math.max(1, keep));
    }

    static String otherTitle(SplittableRandom r, MergeData.Message m) {
        String first = MergeData.sentences(m.content()).stream().findFirst().orElse(m.title());
        String core = first.length() > 14 ? first.substring(0, 14) : first;
        return switch (r.nextInt(3)) {
            case 0 -> "关于" + core + "的问题";
            case 1 -> "反映" + (m.label() == null ? "民生" : m.label()) + "问题";
            default -> "求助：" + core;
        };
    }
}
