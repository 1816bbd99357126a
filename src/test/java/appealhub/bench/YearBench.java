package appealhub.bench;

import appealhub.merge.IndexedCase;
import appealhub.merge.MergeEngine;
import appealhub.merge.MergeIndexStore;
import appealhub.merge.MergeProperties;
import appealhub.metrics.MetricsProbe;
import appealhub.ops.CaseSearch;
import appealhub.ops.DailyReport;
import appealhub.ops.Dashboard;
import appealhub.ops.DeadLetters;
import appealhub.organization.OrganizationRegistry;
import appealhub.model.PhoneHasher;
import appealhub.store.CaseStageCounts;
import appealhub.store.CaseStore;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Bench command (not a test): the operations reads on a big database (a year of data, made by
 * {@link YearOfData}) against the same reads on a small one in the same run, each against its
 * target (issue 16, item 3): dashboard, metrics refresh, case search by each field, daily
 * report, and the merge index's start-up reload with the heap it takes.
 *
 * <pre>
 *   bench/year-bench.sh --db h2:/tmp/perf/hub --baseline h2:/tmp/perf/small/hub
 * </pre>
 *
 * Each figure is the median of --runs runs after one warm-up run, through the hub's own classes
 * (Dashboard, CaseSearch, DailyReport, the metrics' DomainCounts, MergeIndexStore + MergeEngine)
 * on one JDBC connection, so it is the store's cost without HTTP around it.
 */
public final class YearBench {

    public static void main(String[] args) throws Exception {
        Map<String, String> o = BenchOptions.parse(args, new LinkedHashMap<>(Map.of(
                "db", "h2:target/year-of-data/hub", "baseline", "h2:target/year-of-data-small/hub", "runs", "5",
                "merge-since", "window")));
        int runs = Integer.parseInt(o.get("runs"));
        System.out.printf(Locale.ROOT, "year-bench: %s vs baseline %s, median of %d runs, %d CPUs, max heap %d MiB%n",
                o.get("db"), o.get("baseline"), runs, Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        for (String db : List.of(o.get("db"), o.get("baseline"))) {
            long m0 = System.nanoTime();
            var result = org.flywaydb.core.Flyway.configure().dataSource(YearOfData.jdbcUrl(db), "postgres", "")
                    .locations("classpath:db/migration").load().migrate();
            System.out.printf(Locale.ROOT, "Flyway on %s: %d migrations applied (now at %s) in %.1f s%n", db,
                    result.migrationsExecuted, result.targetSchemaVersion, (System.nanoTime() - m0) / 1e9);
        }
        for (String db : List.of(o.get("db"), o.get("baseline"))) {
            // what the hub does at start on a database from before V18 (nothing when already done)
            long k0 = System.nanoTime();
            var ds = new SingleConnectionDataSource(YearOfData.jdbcUrl(db), "postgres", "", true);
            int keyed = YearOfData.phoneKeyBackfill(new JdbcTemplate(ds)).run();
            ds.destroy();
            System.out.printf(Locale.ROOT, "phone key back-fill on %s: %,d appeals keyed in %.1f s%n", db, keyed,
                    (System.nanoTime() - k0) / 1e9);
        }
        Target target = new Target(YearOfData.jdbcUrl(o.get("db")));
        Target base = new Target(YearOfData.jdbcUrl(o.get("baseline")));
        System.out.printf(Locale.ROOT, "cases: %,d vs %,d; raw items %,d vs %,d; case events %,d vs %,d%n",
                target.count("hub_case"), base.count("hub_case"), target.count("raw_item"), base.count("raw_item"),
                target.count("case_event"), base.count("case_event"));
        System.out.println();
        System.out.println("figure                          |     big ms | baseline ms |  ratio | target   | ok");
        List<String> misses = new ArrayList<>();
        row("dashboard", 200, runs, misses, target::dashboard, base::dashboard);
        row("metrics refresh (first)", 1000, 1, misses, target::metricsFirst, base::metricsFirst);
        row("metrics refresh (restart)", 1000, runs, misses, target::metricsRestart, base::metricsRestart);
        row("metrics refresh (next)", 1000, runs, misses, target::metrics, base::metrics);
        for (String field : List.of("appealId", "sourceItemId", "phone", "org", "status", "dates")) {
            row("case search " + field, 100, runs, misses, () -> target.search(field), () -> base.search(field));
        }
        row("daily report (yesterday)", 1000, runs, misses, () -> target.daily(1), () -> base.daily(1));
        row("daily report (today)", 1000, runs, misses, () -> target.daily(0), () -> base.daily(0));
        boolean all = o.get("merge-since").equals("all");
        long[] bigMerge = target.mergeReload(all);
        long[] baseMerge = base.mergeReload(all);
        System.out.printf(Locale.ROOT, "%-31s | %10d | %11d | %6.2f | <= %5d | %s  (%,d vs %,d cases)%n",
                "merge index reload", bigMerge[0], baseMerge[0], ratio(bigMerge[0], baseMerge[0]), 20_000,
                bigMerge[0] <= 20_000 ? "yes" : "NO", bigMerge[2], baseMerge[2]);
        System.out.printf(Locale.ROOT, "%-31s | %7d MiB | %7d MiB | %6.2f | <= 1 GiB | %s  (%.0f bytes/case)%n",
                "merge index heap", bigMerge[1] >> 20, baseMerge[1] >> 20, ratio(bigMerge[1], baseMerge[1]),
                bigMerge[1] <= (1L << 30) ? "yes" : "NO", bigMerge[2] == 0 ? 0.0 : bigMerge[1] / (double) bigMerge[2]);
        if (bigMerge[0] > 20_000) misses.add("merge index reload");
        if (bigMerge[1] > (1L << 30)) misses.add("merge index heap");
        System.out.println();
        System.out.println(misses.isEmpty() ? "every figure within its target" : "missed: " + String.join(", ", misses));
        target.close();
        base.close();
    }

    private static double ratio(double a, double b) {
        return b <= 0 ? Double.NaN : a / b;
    }

    private static void row(String name, long targetMs, int runs, List<String> misses, Callable<Object> big, Callable<Object> base)
            throws Exception {
        double b = median(big, runs);
        double s = median(base, runs);
        boolean ok = b <= targetMs;
        if (!ok) misses.add(name);
        System.out.printf(Locale.ROOT, "%-31s | %10.1f | %11.1f | %6.2f | <= %5d | %s%n", name, b, s, ratio(b, s), targetMs,
                ok ? "yes" : "NO");
    }

    private static double median(Callable<Object> c, int runs) throws Exception {
        if (runs > 1) c.call();   // warm-up
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            c.call();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[runs / 2];
    }

    /** One database with the hub's read classes on it. */
    private static final class Target implements AutoCloseable {
        private final SingleConnectionDataSource ds;
        private final JdbcTemplate jdbc;
        private final ObjectMapper json = new ObjectMapper().findAndRegisterModules()
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        private final Clock clock = Clock.systemUTC();
        private final OrganizationRegistry registry;
        private final CaseStore cases;
        private final CaseStageCounts stages;
        private final DeadLetters deadLetters;
        private final CaseSearch search;
        private final DailyReport daily;
        private final Map<String, CaseSearch.Query> queries = new LinkedHashMap<>();
        private MetricsProbe metrics;

        Target(String url) throws Exception {
            ds = new SingleConnectionDataSource(url, "postgres", "", true);
            jdbc = new JdbcTemplate(ds);
            registry = new OrganizationRegistry("config/organizations.yaml");
            stages = new CaseStageCounts(jdbc);
            cases = new CaseStore(jdbc, json, clock, new PhoneHasher(MergeProperties.defaults().phoneKey()), stages);
            deadLetters = new DeadLetters(null, null, json, cases, null, registry, null, List.of()) {
                @Override
                public Map<String, Integer> counts() {
                    return Map.of();   // the broker's part: not the store's cost
                }
            };
            search = new CaseSearch(jdbc, cases, registry);
            daily = new DailyReport(jdbc, registry, json, clock);
            // a case from the middle of the data: its ids, phone and organisation are searched for
            String appealId = jdbc.queryForObject("select appeal_id from appeal order by appeal_id limit 1 offset "
                    + Math.max(0, count("appeal") / 2), String.class);
            String source = jdbc.queryForObject("select source_item_id from appeal_source where appeal_id = ?", String.class, appealId);
            JsonNode model = json.readTree(jdbc.queryForObject("select model_json from appeal where appeal_id = ?", String.class, appealId));
            String phone = model.path("citizen").path("phone").asText("13800000000");
            LocalDate today = LocalDate.now(YearOfData.BEIJING);
            queries.put("appealId", new CaseSearch.Query(appealId, null, null, null, null, null, null, 50));
            queries.put("sourceItemId", new CaseSearch.Query(null, source, null, null, null, null, null, 50));
            queries.put("phone", new CaseSearch.Query(null, null, phone, null, null, null, null, 50));
            queries.put("org", new CaseSearch.Query(null, null, null, "D07", null, null, null, 50));
            queries.put("status", new CaseSearch.Query(null, null, null, null, "ACCEPTED", null, null, 50));
            queries.put("dates", new CaseSearch.Query(null, null, null, null, null, today.minusDays(40), today.minusDays(33), 50));
        }

        long count(String table) {
            return jdbc.queryForObject("select count(*) from " + table, Long.class);
        }

        Object dashboard() {
            // a new one each time: the dashboard keeps its numbers 2 s for the screens asking meanwhile
            return new Dashboard(jdbc, cases, registry, deadLetters, clock, stages).current();
        }

        /** The first refresh of a hub on a database without saved totals (metrics_settled emptied): every old row read once. */
        Object metricsFirst() {
            jdbc.update("delete from metrics_settled");
            metrics = new MetricsProbe(jdbc, clock, registry, json);
            return metrics.refresh();
        }

        /** The first refresh of a restarted hub: it starts from the totals the previous one saved. */
        Object metricsRestart() {
            if (metrics == null) metricsFirst();
            metrics = new MetricsProbe(jdbc, clock, registry, json);
            return metrics.refresh();
        }

        Object metrics() {
            if (metrics == null) metricsFirst();
            return metrics.refresh();
        }

        Object search(String field) {
            return search.find(queries.get(field));
        }

        Object daily(int daysAgo) {
            return daily.of(LocalDate.now(YearOfData.BEIJING).minusDays(daysAgo));
        }

        /** ms, heap bytes, cases: the start-up reload (DuplicateDetector.reload's code) into a new engine. */
        long[] mergeReload(boolean all) {
            MergeProperties props = MergeProperties.defaults();
            System.gc();
            long before = used();
            long t0 = System.nanoTime();
            MergeEngine engine = new MergeEngine(props);
            MergeIndexStore store = new MergeIndexStore(jdbc, engine.minhashVersion());
            AtomicInteger n = new AtomicInteger();
            store.loadSince(all ? Instant.EPOCH : clock.instant().minus(Duration.ofDays(props.windowDays())), (IndexedCase e) -> {
                engine.add(e);
                n.incrementAndGet();
            });
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.gc();
            long heap = used() - before;
            if (engine.size() != n.get()) throw new IllegalStateException("loaded " + n + " but holds " + engine.size());
            java.lang.ref.Reference.reachabilityFence(engine);
            return new long[] {ms, heap, n.get()};
        }

        private static long used() {
            for (int i = 0; i < 2; i++) System.gc();
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }

        @Override
        public void close() {
            ds.destroy();
        }
    }
}
