package appealhub.merge;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Scale benchmark command (not a test): fills the merge index with 10k, 100k and 1M
 * synthetic-but-realistic cases and prints the per-appeal lookup cost (median, p99) and the
 * heap used at each size, then how fast the index is rebuilt from its persisted rows (table
 * merge_index on H2 in PostgreSQL mode, the restart path).
 *
 * <p>Synthetic cases (deterministic from --seed): 3-8 sentences drawn from different real
 * messages of ../shared/data, lightly re-worded (synonyms, polite phrases), with a township,
 * a place name written into the text, a pin (half), a phone and a time within 30 days.
 * Probes: 1,000 appeals, half re-worded copies of indexed cases, half fresh synthetic ones,
 * timed in 5 rounds after a warm-up; the least disturbed round (lowest median) is printed.
 * A probe's cost is the whole findDuplicate: normalise, shingle, two MinHash signatures,
 * LSH band lookups, exact verification of every candidate, scoring.
 *
 * <p>Run: {@code bench/merge-scale.sh [--seed 7] [--sizes 10000,100000,1000000] [--db-sizes 100000,1000000]}.
 */
public final class MergeScaleBenchmark {

    public static void main(String[] args) throws Exception {
        long seed = 7;
        int[] sizes = {10_000, 100_000, 1_000_000};
        int[] dbSizes = {100_000, 1_000_000};
        int bands = MergeProperties.defaults().bands();
        int rows = MergeProperties.defaults().rows();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--sizes" -> sizes = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--db-sizes" -> dbSizes = args[i + 1].isBlank() || args[i + 1].equals("none") ? new int[0]
                        : Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--bands" -> bands = Integer.parseInt(args[i + 1]);
                case "--rows" -> rows = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<MergeData.Message> messages = MergeData.messages(MergeData.dataDir());
        List<String> sentences = new ArrayList<>();
        for (MergeData.Message m : messages) {
            sentences.addAll(MergeData.sentences(m.content()).stream().filter(s -> s.length() >= 6).toList());
        }
        List<MergeData.Township> towns = MergeData.townships();
        MergeProperties props = MergeProperties.defaults().withBands(bands, rows);
        MergeEngine engine = new MergeEngine(props);
        System.out.printf(Locale.ROOT, "Merge scale benchmark: seed %d, %d real sentences, bands %d x rows %d, max heap %d MiB, %d CPUs%n",
                seed, sentences.size(), props.bands(), props.rows(), Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors());
        Instant t0 = Instant.parse("2025-06-01T00:00:00Z");
        Generator gen = new Generator(sentences, towns, t0);

        System.out.println("\nPer appeal: whole findDuplicate (normalise, shingle, sign, LSH, verify, score); of which LSH + verify + score.");
        System.out.println("    cases | fill s | findDuplicate median us | p99 us | LSH+verify median us | p99 us | candidates median/p99/max | heap used MiB");
        int filled = 0;
        List<Candidate> indexedSample = new ArrayList<>();
        for (int size : sizes) {
            long f0 = System.nanoTime();
            final int from = filled;
            final long s = seed;
            // prepare in parallel (deterministic per case number), add in order
            int batch = 20_000;
            for (int b = from; b < size; b += batch) {
                int end = Math.min(size, b + batch);
                IndexedCase[] prepared = new IndexedCase[end - b];
                Candidate[] cands = new Candidate[end - b];
                final int base = b;
                IntStream.range(b, end).parallel().forEach(n -> {
                    Candidate c = gen.synthetic(new SplittableRandom(s * 1_000_003L + n));
                    cands[n - base] = c;
                    prepared[n - base] = engine.prepare("S" + n, c);
                });
                for (int k = 0; k < prepared.length; k++) {
                    engine.add(prepared[k]);
                    if ((base + k) % 997 == 0 && indexedSample.size() < 2000) {
                        indexedSample.add(cands[k]);
                    }
                }
            }
            filled = size;
            double fillS = (System.nanoTime() - f0) / 1e9;

            // probes: half re-worded copies of indexed cases, half fresh synthetic appeals
            SplittableRandom pr = new SplittableRandom(seed + size);
            List<Candidate> probes = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                if (i % 2 == 0) {
                    Candidate o = indexedSample.get(pr.nextInt(indexedSample.size()));
                    probes.add(new Candidate(o.title(), MergeEvaluation.reword(pr, o.content()), MergeData.phone(pr),
                            o.townshipCode(), null, null, null, o.receivedAt().plusSeconds(3600)));
                } else {
                    probes.add(gen.synthetic(pr));
                }
            }
            for (int w = 0; w < 20; w++) {                 // warm-up (JIT), 20,000 lookups
                for (Candidate p : probes) {
                    engine.find(p);
                }
            }
            // 5 rounds over the 1,000 probes; per size the round with the lowest median is
            // reported (the machine is shared: the best round is the least disturbed one)
            long[] ns = null;
            long[] lookupNs = null;
            int[] cand = new int[probes.size()];
            int merged = 0;
            for (int round = 0; round < 5; round++) {
                long[] rNs = new long[probes.size()];
                long[] rLookup = new long[probes.size()];
                merged = 0;
                for (int i = 0; i < probes.size(); i++) {
                    long a = System.nanoTime();
                    IndexedCase q = engine.prepare(null, probes.get(i));
                    long b = System.nanoTime();
                    if (engine.find(q).isPresent()) {
                        merged++;
                    }
                    long c = System.nanoTime();
                    rNs[i] = c - a;
                    rLookup[i] = c - b;
                    cand[i] = MergeEngine.lastLookup().candidates();
                }
                Arrays.sort(rNs);
                Arrays.sort(rLookup);
                if (ns == null || rNs[rNs.length / 2] < ns[ns.length / 2]) {
                    ns = rNs;
                    lookupNs = rLookup;
                }
            }
            Arrays.sort(cand);
            System.gc();
            Thread.sleep(200);
            System.gc();
            long used = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
            System.out.printf(Locale.ROOT, "%9d | %6.1f | %23.1f | %6.1f | %20.1f | %6.1f | %9d/%d/%d | %d   (%d of 1000 probes merged; 500 are re-worded copies)%n",
                    size, fillS, ns[ns.length / 2] / 1000.0, ns[(int) (ns.length * 0.99)] / 1000.0,
                    lookupNs[lookupNs.length / 2] / 1000.0, lookupNs[(int) (lookupNs.length * 0.99)] / 1000.0,
                    cand[cand.length / 2], cand[(int) (cand.length * 0.99)], cand[cand.length - 1], used >> 20, merged);
        }

        for (int dbSize : dbSizes) {
            reloadFromDatabase(gen, seed, dbSize, props);
        }
    }

    /** Writes dbSize prepared cases to merge_index (H2, PostgreSQL mode) and times the restart path. */
    static void reloadFromDatabase(Generator gen, long seed, int dbSize, MergeProperties props) throws Exception {
        Path dir = Files.createTempDirectory("merge-bench-db");
        String url = "jdbc:h2:file:" + dir.resolve("hub") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        SingleConnectionDataSource ds = new SingleConnectionDataSource(url, "hub", "", true);
        try {
            JdbcTemplate jdbc = new JdbcTemplate(ds);
            String ddl = new String(MergeScaleBenchmark.class.getResourceAsStream("/db/migration/V7__merge_index.sql").readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
            for (String stmt : ddl.replaceAll("--[^\n]*", "").split(";")) {
                if (!stmt.isBlank()) {
                    jdbc.execute(stmt);
                }
            }
            MergeEngine signer = new MergeEngine(props);
            long w0 = System.nanoTime();
            int batch = 5_000;
            Instant now = Instant.now();
            for (int b = 0; b < dbSize; b += batch) {
                int end = Math.min(dbSize, b + batch);
                IndexedCase[] rows = new IndexedCase[end - b];
                final int base = b;
                IntStream.range(b, end).parallel().forEach(n ->
                        rows[n - base] = signer.prepare("S" + n, gen.synthetic(new SplittableRandom(seed * 1_000_003L + n))));
                jdbc.batchUpdate("insert into merge_index (case_id, received_at, township_code, place, lat, lon, phone_hmac,"
                        + " minhash_version, shingles, signature, prefix_signature, indexed_at) values (?,?,?,?,?,?,?,?,?,?,?,?)",
                        Arrays.asList(rows), rows.length, (ps, e) -> {
                            ps.setString(1, e.caseId());
                            ps.setTimestamp(2, Timestamp.from(e.receivedAt()));
                            ps.setString(3, e.townshipCode());
                            ps.setString(4, e.place());
                            ps.setObject(5, Double.isNaN(e.lat()) ? null : e.lat());
                            ps.setObject(6, Double.isNaN(e.lon()) ? null : e.lon());
                            ps.setString(7, e.phoneHmac());
                            ps.setInt(8, signer.minhashVersion());
                            ps.setBytes(9, MergeIndexStore.pack(e.shingles()));
                            ps.setBytes(10, MergeIndexStore.pack(e.signature()));
                            ps.setBytes(11, e.prefixSignature() == null ? null : MergeIndexStore.pack(e.prefixSignature()));
                            ps.setTimestamp(12, Timestamp.from(now));
                        });
            }
            double writeS = (System.nanoTime() - w0) / 1e9;
            System.gc();
            MergeEngine fresh = new MergeEngine(props);
            MergeIndexStore store = new MergeIndexStore(jdbc, fresh.minhashVersion());
            AtomicInteger n = new AtomicInteger();
            long r0 = System.nanoTime();
            store.loadSince(Instant.EPOCH, e -> {
                fresh.add(e);
                n.incrementAndGet();
            });
            double loadS = (System.nanoTime() - r0) / 1e9;
            long bytes;
            try (var files = Files.walk(dir)) {
                bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            }
            System.out.printf(Locale.ROOT, "%nRestart path at %d cases: rows written in %.1f s (H2 file %d MiB); index rebuilt from merge_index in %.1f s (%d rows, %.0f rows/s, no text re-read, no re-signing)%n",
                    dbSize, writeS, bytes >> 20, loadS, n.get(), n.get() / loadS);
        } finally {
            ds.destroy();
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Synthetic appeals from the real messages: a real opening naming the township and place,
     * one real sentence drawn from any message, and 120-300 characters of text from an
     * order-2 character Markov chain trained on every real message (realistic character and
     * bigram statistics, so common phrases such as 希望/相关部门/小区 collide as often as in
     * real text, but each case is its own problem: mixing whole real sentences only would make
     * a million cases share the same 3,200 sentences, hundreds of near-copies each, which no
     * real district has).
     */
    static final class Generator {
        private final List<String> sentences;
        private final List<MergeData.Township> towns;
        private final Instant t0;
        private final java.util.Map<String, String> next = new java.util.HashMap<>();
        private final List<String> starts = new ArrayList<>();
        private static final String[] ISSUES = {"路灯不亮", "道路破损", "污水外溢", "噪音扰民", "垃圾堆放", "拖欠工资",
            "违章建筑", "占道经营", "供暖不热", "停水停电", "物业不作为", "学校乱收费"};

        Generator(List<String> sentences, List<MergeData.Township> towns, Instant t0) {
            this.sentences = sentences;
            this.towns = towns;
            this.t0 = t0;
            java.util.Map<String, StringBuilder> m = new java.util.HashMap<>();
            for (String sentence : sentences) {
                String x = sentence.replaceAll("\\s+", "");
                if (x.length() >= 3) {
                    starts.add(x.substring(0, 2));
                }
                for (int i = 0; i + 2 < x.length(); i++) {
                    m.computeIfAbsent(x.substring(i, i + 2), k -> new StringBuilder()).append(x.charAt(i + 2));
                }
            }
            m.forEach((k, v) -> next.put(k, v.toString()));
        }

        String markov(SplittableRandom r, int length) {
            StringBuilder b = new StringBuilder(length + 8);
            String ctx = starts.get(r.nextInt(starts.size()));
            b.append(ctx);
            while (b.length() < length) {
                String succ = next.get(ctx);
                if (succ == null) {
                    b.append('。');
                    ctx = starts.get(r.nextInt(starts.size()));
                    b.append(ctx);
                    continue;
                }
                char c = succ.charAt(r.nextInt(succ.length()));
                b.append(c);
                ctx = ctx.substring(1) + c;
            }
            return b.append('。').toString();
        }

        Candidate synthetic(SplittableRandom r) {
            MergeData.Township t = towns.get(r.nextInt(towns.size()));
            String place = t.places().get(r.nextInt(t.places().size()));
            StringBuilder content = new StringBuilder();
            if (r.nextBoolean()) {
                content.append("领导您好，");
            }
            content.append("我是").append(t.name()).append(place).append("的居民，");
            String real = sentences.get(r.nextInt(sentences.size()));
            String gen = markov(r, 120 + r.nextInt(181));
            if (r.nextBoolean()) {
                content.append(real).append(gen);
            } else {
                content.append(gen).append(real);
            }
            if (r.nextBoolean()) {
                content.append("希望有关部门尽快处理。");
            }
            String issue = ISSUES[r.nextInt(ISSUES.length)];
            String title = place + issue + (r.nextBoolean() ? "问题" : "，请尽快处理");
            double[] pin = r.nextBoolean() ? MergeData.near(r, t.lat(), t.lon(), 3000) : null;
            return new Candidate(title, content.toString(), MergeData.phone(r), t.code(), place, pin == null ? null : pin[0],
                    pin == null ? null : pin[1], t0.plusSeconds(r.nextLong(Duration.ofDays(30).toSeconds())));
        }
    }
}
