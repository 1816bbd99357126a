package appealhub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Reader;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Throughput of the production set-up with 1 and with N hub instances on the same machine: one
 * PostgreSQL database and one standalone Artemis per measurement (fresh each time), the
 * instances from the jar, signed 12345 pushes spread over the instances by as many client
 * threads as asked. Prints, per instance count, pushes answered per second and appeals placed
 * per second (a case leaves RECEIVED when its tasks are committed), and the ratio to the
 * single instance. Run through bench/cluster.sh.
 */
public final class ClusterThroughput {
    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("orders", "1200");
        a.put("warm-up", "150");
        a.put("threads", "8");
        a.put("instances", "1,3");
        a.put("port", "18300");
        a.put("broker-port", "18361");
        a.put("mock-port", "18389");
        a.put("work-dir", Path.of(System.getProperty("java.io.tmpdir"), "appealhub-cluster-" + System.currentTimeMillis()).toString());
        a.put("jar", "target/appeal-hub-0.1.0-SNAPSHOT.jar");
        BenchOptions.parse(args, a);
        Path project = Path.of(".").toAbsolutePath().normalize();
        System.out.printf("cluster throughput: %s orders after %s warm-up, %s client threads, instances %s, %d cores%n",
                a.get("orders"), a.get("warm-up"), a.get("threads"), a.get("instances"), Runtime.getRuntime().availableProcessors());
        List<String> lines = new ArrayList<>();
        double base = 0;
        for (String n : a.get("instances").split(",")) {
            int instances = Integer.parseInt(n.trim());
            double[] r = measure(project, a, instances);
            if (base == 0) base = r[1];
            lines.add(String.format("%9d | %14.1f | %14.1f | %5.2f", instances, r[0], r[1], r[1] / base));
        }
        System.out.println();
        System.out.println("instances | pushes acked/s | appeals placed/s | ratio (placed/s to the first row)");
        lines.forEach(System.out::println);
        System.exit(0);
    }

    /** {acked per second, placed per second} for one instance count. */
    static double[] measure(Path project, Map<String, String> a, int instances) throws Exception {
        Path work = Path.of(a.get("work-dir")).resolve("n" + instances);
        Files.createDirectories(work);
        String runId = "tp" + instances + "_" + (System.currentTimeMillis() % 1_000_000);
        ChaosRun.Options o = new ChaosRun.Options(0, 0, 0, 1, "production", Integer.parseInt(a.get("port")),
                Integer.parseInt(a.get("broker-port")), Integer.parseInt(a.get("mock-port")), work,
                project.resolve(a.get("jar")), project, false, 60, 1,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), instances, "single", 120);
        ChaosProduction production = new ChaosProduction(runId, work);
        List<ChaosHub> hubs = new ArrayList<>();
        List<String> urls = new ArrayList<>();
        try (ChaosMocks mocks = new ChaosMocks(o.mockPort())) {
            Properties users = new Properties();
            try (Reader r = Files.newBufferedReader(project.resolve("config/broker-users.properties"))) {
                users.load(r);
            }
            List<String> orgs = new ArrayList<>();
            for (String u : users.stringPropertyNames()) if (u.matches("[DT]\\d\\d")) orgs.add(u);
            Collections.sort(orgs);
            production.createDatabase();
            production.createBroker(project, o.brokerPort(), orgs);
            production.startBroker(o.brokerPort());
            List<String> cmd = ChaosRun.hubCommand(o, mocks.baseUrl());
            cmd.addAll(production.hubArgs(o, mocks.baseUrl(), work.resolve("data")));
            cmd.add("--hub.channels.hotline12345.pull.enabled=false");
            for (int i = 0; i < instances; i++) {
                String url = "http://127.0.0.1:" + (o.port() + i);
                List<String> own = new ArrayList<>(cmd);
                own.add("--server.port=" + (o.port() + i));
                own.add("--hub.data-dir=" + work.resolve("data-" + (i + 1)));
                own.add("--hub.cluster.node-id=tp-hub-" + (i + 1));
                ChaosHub hub = new ChaosHub(own, project, work.resolve("hub-" + (i + 1) + ".log"), url);
                hub.start(180);
                hubs.add(hub);
                urls.add(url);
            }
            Pusher pusher = new Pusher(urls, runId);
            int threads = Integer.parseInt(a.get("threads"));
            pusher.push(Integer.parseInt(a.get("warm-up")), threads);
            awaitPlaced(production.jdbcUrl(), Integer.parseInt(a.get("warm-up")));
            int orders = Integer.parseInt(a.get("orders"));
            int before = Integer.parseInt(a.get("warm-up"));
            long t0 = System.nanoTime();
            pusher.push(orders, threads);
            double ackSeconds = (System.nanoTime() - t0) / 1e9;
            awaitPlaced(production.jdbcUrl(), before + orders);
            double placedSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("  %d instance(s): %d orders answered in %.1f s, placed in %.1f s (%d pushes refused or failed and retried)%n",
                    instances, orders, ackSeconds, placedSeconds, pusher.retries.get());
            return new double[] {orders / ackSeconds, orders / placedSeconds};
        } finally {
            for (ChaosHub h : hubs) h.stop();
            production.stopBroker();
        }
    }

    /** Waits until this many cases have left RECEIVED (placed: tasks committed, or triage). */
    static void awaitPlaced(String jdbcUrl, int expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = c.createStatement().executeQuery("select count(*) from hub_case where status <> 'RECEIVED'")) {
                    rs.next();
                    if (rs.getInt(1) >= expected) return;
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("not all " + expected + " appeals placed within 10 minutes");
    }

    /** Signed 12345 pushes, each to the next instance in turn, retried until answered code 0. */
    static final class Pusher {
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        final List<String> urls;
        final String runId;
        final AtomicInteger seq = new AtomicInteger();
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger retries = new AtomicInteger();

        Pusher(List<String> urls, String runId) {
            this.urls = urls;
            this.runId = runId;
        }

        void push(int orders, int threads) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < orders; i++) done.add(pool.submit(() -> { one(); return null; }));
                for (Future<?> f : done) f.get();
            } finally {
                pool.shutdown();
            }
        }

        private void one() throws Exception {
            int n = seq.incrementAndGet();
            String[] tw = ChaosRun.TOWNSHIPS[n % ChaosRun.TOWNSHIPS.length];
            byte[] body = ChaosRun.order12345("GDT" + runId + String.format("%06d", n), tw[2] + "路灯不亮（" + n + "）",
                    tw[1] + tw[2] + "村口第" + n + "号路灯坏了一个多月，晚上出行不便，请尽快维修。", tw, n)
                    .toString().getBytes(StandardCharsets.UTF_8);
            for (int attempt = 0; attempt < 50; attempt++) {
                String url = urls.get(Math.floorMod(next.getAndIncrement(), urls.size())) + "/api/hotline12345/workorders";
                try {
                    HttpResponse<String> r = ChaosRun.signedPost(http, url, body);
                    JsonNode b = ChaosRun.JSON.readTree(r.body());
                    if (r.statusCode() == 200 && b.path("code").asInt(-1) == 0) return;
                } catch (java.io.IOException e) {
                    // an instance not answering: the next one is tried
                }
                retries.incrementAndGet();
                Thread.sleep(200);
            }
            throw new IllegalStateException("order " + n + " not taken after 50 attempts");
        }
    }
}
