package appealhub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Benchmark command (not a test): pushes N signed 12345 work orders at a running hub, the
 * way the city platform does (see ../shared/upstream/hotline12345.md), and prints how fast
 * the hub answered and how long until every order's case had left RECEIVED (its task on a
 * department / township queue, or the case on triage).
 *
 * <p>Run through {@code bench/push-benchmark.sh}. Arguments: {@code --url}, {@code --n},
 * {@code --concurrency}, {@code --secret}, {@code --timeout} (seconds to wait for dispatch,
 * counted from the first push), {@code --samples} (JSON array of {sqbt, sqnr, sqdz}), {@code --ops-login}
 * (user:password of an operations login, for GET /ops/stats; default the demo viewer).
 *
 * <p>Exit status: 0 if every push was answered 200 with an appeal id and all cases were
 * placed in time; 1 otherwise (figures are printed either way); 2 on bad arguments or an
 * unreachable hub.
 */
public final class PushBenchmark {
    private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final String PUSH_PATH = "/api/hotline12345/workorders";
    private static final String STATS_PATH = "/ops/stats";
    private static final long SLOW_ANSWER_MS = 3000; // the platform re-sends after 3 s
    private static final ObjectMapper JSON = new ObjectMapper();

    /** @param opsLogin user:password of an operations login (viewer is enough) for GET /ops/stats */
    private record Options(String url, int n, int concurrency, String secret, int timeoutSeconds, Path samples,
                           String opsLogin) {}

    private record Sample(String title, String content, String address) {}

    private record Stats(long total, long received, Map<String, Long> byStatus) {}

    private PushBenchmark() {}

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("push-benchmark: " + e.getMessage());
            System.err.println("usage: --url http://127.0.0.1:8080 --n 1000 --concurrency 8 "
                    + "--secret demo-secret-change-me --timeout 300 [--samples mocks/hotline12345/sample-orders.json]");
            System.exit(2);
            return;
        }
        System.exit(run(o));
    }

    private static int run(Options o) throws Exception {
        List<Sample> samples = loadSamples(o.samples());
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();

        Stats baseline;
        try {
            baseline = stats(http, o);
        } catch (IOException e) {
            System.err.println("push-benchmark: cannot read " + o.url() + STATS_PATH + ": " + e);
            return 2;
        }
        String runId = LocalDateTime.now(BEIJING).format(DateTimeFormatter.ofPattern("MMddHHmmss"))
                + HexFormat.of().toHexDigits((byte) ThreadLocalRandom.current().nextInt(256)).toUpperCase(Locale.ROOT);
        String gdbhPrefix = "GDBENCH" + runId + "-";
        System.out.printf("12345 push benchmark: %s, run %s, N=%d, concurrency=%d%n", o.url(), runId, o.n(), o.concurrency());
        System.out.printf("baseline: %d cases %s%n", baseline.total(), baseline.byStatus());

        long[] latencyNanos = new long[o.n()];
        int[] statusCodes = new int[o.n()];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger missingAppealId = new AtomicInteger();
        AtomicInteger transportErrors = new AtomicInteger();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicLong lastAnswerNanos = new AtomicLong();

        // Dispatch watcher: polls /ops/stats every 100 ms from the first push on.
        AtomicLong placedAtNanos = new AtomicLong(-1);
        Stats[] lastStats = {baseline};
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(o.timeoutSeconds());
        Thread watcher = new Thread(() -> {
            long tick = System.nanoTime();
            while (System.nanoTime() < deadline) {
                try {
                    Stats s = stats(http, o);
                    lastStats[0] = s;
                    if (s.total() - baseline.total() >= o.n() && s.received() == 0) {
                        placedAtNanos.set(System.nanoTime());
                        return;
                    }
                } catch (IOException e) {
                    problems.add("stats poll failed: " + e);
                } catch (InterruptedException e) {
                    return;
                }
                tick += TimeUnit.MILLISECONDS.toNanos(100);
                long sleep = tick - System.nanoTime();
                if (sleep > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(sleep);
                    } catch (InterruptedException e) {
                        return;
                    }
                } else {
                    tick = System.nanoTime();
                }
            }
        }, "bench-stats-watcher");
        watcher.setDaemon(true);
        watcher.start();

        ExecutorService pool = Executors.newFixedThreadPool(o.concurrency());
        for (int w = 0; w < o.concurrency(); w++) {
            pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < o.n()) {
                    String gdbh = gdbhPrefix + String.format("%06d", i + 1);
                    try {
                        byte[] body = order(gdbh, i, samples.get(i % samples.size()));
                        String ts = Long.toString(System.currentTimeMillis() / 1000);
                        String nonce = UUID.randomUUID().toString().replace("-", "");
                        HttpRequest request = HttpRequest.newBuilder(URI.create(o.url() + PUSH_PATH))
                                .timeout(Duration.ofSeconds(30))
                                .header("Content-Type", "application/json;charset=UTF-8")
                                .header("X-Timestamp", ts)
                                .header("X-Nonce", nonce)
                                .header("X-Signature", appealhub.connectors.hotline12345.Hotline12345Signature.sign(o.secret(), ts, nonce, body))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build();
                        long t0 = System.nanoTime();
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                        long t1 = System.nanoTime();
                        latencyNanos[i] = t1 - t0;
                        statusCodes[i] = response.statusCode();
                        lastAnswerNanos.accumulateAndGet(t1, Math::max);
                        if (response.statusCode() == 200) {
                            if (!hasAppealId(response.body())) {
                                missingAppealId.incrementAndGet();
                                problems.add(gdbh + ": 200 without data.appealId: " + abbreviate(response.body()));
                            }
                        } else {
                            problems.add(gdbh + ": HTTP " + response.statusCode() + " " + abbreviate(response.body()));
                        }
                    } catch (IOException | RuntimeException e) {
                        long t1 = System.nanoTime();
                        statusCodes[i] = -1;
                        latencyNanos[i] = -1;
                        lastAnswerNanos.accumulateAndGet(t1, Math::max);
                        transportErrors.incrementAndGet();
                        problems.add(gdbh + ": " + e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(Long.MAX_VALUE, TimeUnit.DAYS);
        long pushEnd = Math.max(lastAnswerNanos.get(), start);
        watcher.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + 1000));
        watcher.interrupt();

        // Figures.
        double wallSeconds = (pushEnd - start) / 1e9;
        long[] answered = Arrays.stream(latencyNanos).filter(l -> l >= 0).sorted().toArray();
        Map<Integer, Integer> byCode = new TreeMap<>();
        for (int c : statusCodes) byCode.merge(c, 1, Integer::sum);
        int non200 = o.n() - byCode.getOrDefault(200, 0);
        long slow = Arrays.stream(answered).filter(l -> l > TimeUnit.MILLISECONDS.toNanos(SLOW_ANSWER_MS)).count();

        System.out.println();
        System.out.printf("N                     %d%n", o.n());
        System.out.printf("concurrency           %d%n", o.concurrency());
        System.out.printf("wall time             %.3f s (first push to last answer)%n", wallSeconds);
        System.out.printf("throughput            %.1f orders/s%n", o.n() / wallSeconds);
        System.out.printf("push answer latency   p50 %s  p90 %s  p99 %s  max %s ms%n",
                ms(percentile(answered, 0.50)), ms(percentile(answered, 0.90)),
                ms(percentile(answered, 0.99)), ms(answered.length == 0 ? -1 : answered[answered.length - 1]));
        System.out.printf("non-200 answers       %d %s%n", non200, non200 == 0 ? "" : describeCodes(byCode));
        System.out.printf("answers over %d s      %d%n", SLOW_ANSWER_MS / 1000, slow);
        System.out.printf("200 without appealId  %d%n", missingAppealId.get());

        Stats end = lastStats[0];
        long placed = placedAtNanos.get();
        if (placed >= 0) {
            System.out.printf("all N cases placed    %.3f s after the first push (%.3f s after the last answer)%n",
                    (placed - start) / 1e9, Math.max(0, placed - pushEnd) / 1e9);
        } else {
            System.out.printf("all N cases placed    NOT within %d s: %d new cases, %d still RECEIVED%n",
                    o.timeoutSeconds(), end.total() - baseline.total(), end.received());
        }
        System.out.printf("cases by status now   %s (new: %s)%n", end.byStatus(), delta(baseline.byStatus(), end.byStatus()));

        if (!problems.isEmpty()) {
            System.out.printf("%nproblems (%d, first 10):%n", problems.size());
            problems.stream().limit(10).forEach(p -> System.out.println("  " + p));
        }
        boolean ok = non200 == 0 && missingAppealId.get() == 0 && placed >= 0;
        System.out.println(ok ? "\nOK" : "\nFAILED");
        return ok ? 0 : 1;
    }

    /** One work order as the platform sends it; title, content and address from the samples. */
    private static byte[] order(String gdbh, int i, Sample s) throws IOException {
        LocalDateTime now = LocalDateTime.now(BEIJING).withNano(0);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("gdbh", gdbh);
        o.put("ldsj", now.format(TIME));
        o.put("ldrxm", "测试" + (i % 100));
        o.put("lxdh", String.format("139%08d", i % 100_000_000));
        o.put("sfnm", "0");
        o.put("sqbt", s.title());
        o.put("sqnr", s.content());
        o.put("sqlx", "03");
        o.put("sfjj", "0");
        o.put("sqdz", s.address());
        o.put("ssqx", "冀州区");
        o.put("blsx", now.plusDays(7).format(TIME));
        o.put("fj", List.of());
        return JSON.writeValueAsBytes(o);
    }

    private static boolean hasAppealId(String body) {
        try {
            JsonNode id = JSON.readTree(body).path("data").path("appealId");
            return id.isTextual() && !id.asText().isBlank();
        } catch (IOException e) {
            return false;
        }
    }

    private static Stats stats(HttpClient http, Options o) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(o.url() + STATS_PATH)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(o.opsLogin().getBytes(StandardCharsets.UTF_8)))
                .GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) throw new IOException("HTTP " + response.statusCode() + " from " + STATS_PATH);
        Map<String, Long> byStatus = new TreeMap<>();
        JsonNode cases = JSON.readTree(response.body()).path("casesByStatus");
        cases.fields().forEachRemaining(e -> byStatus.put(e.getKey(), e.getValue().asLong()));
        long total = byStatus.values().stream().mapToLong(Long::longValue).sum();
        return new Stats(total, byStatus.getOrDefault("RECEIVED", 0L), byStatus);
    }

    private static List<Sample> loadSamples(Path path) throws IOException {
        if (!Files.isRegularFile(path)) throw new IOException("samples file not found: " + path.toAbsolutePath());
        List<Sample> out = new ArrayList<>();
        for (JsonNode n : JSON.readTree(path.toFile())) {
            out.add(new Sample(n.path("sqbt").asText(), n.path("sqnr").asText(), n.path("sqdz").asText()));
        }
        if (out.isEmpty()) throw new IOException("no samples in " + path);
        return out;
    }

    private static Options parse(String[] args) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("url", "http://127.0.0.1:8080");
        a.put("n", "1000");
        a.put("concurrency", "8");
        a.put("secret", "demo-secret-change-me");
        a.put("timeout", "300");
        a.put("samples", "mocks/hotline12345/sample-orders.json");
        a.put("ops-login", "viewer:viewer-demo");
        BenchOptions.parse(args, a);
        String url = a.get("url").replaceAll("/+$", "");
        int n = positive(a, "n");
        int concurrency = positive(a, "concurrency");
        int timeout = positive(a, "timeout");
        if (!a.get("ops-login").contains(":")) throw new IllegalArgumentException("--ops-login must be user:password");
        return new Options(url, n, concurrency, a.get("secret"), timeout, Path.of(a.get("samples")), a.get("ops-login"));
    }

    private static int positive(Map<String, String> a, String key) {
        try {
            int v = Integer.parseInt(a.get(key));
            if (v <= 0) throw new IllegalArgumentException("--" + key + " must be positive");
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be a number");
        }
    }

    /** Nearest-rank percentile of sorted values; -1 if none. */
    private static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) return -1;
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }

    private static String ms(long nanos) {
        return nanos < 0 ? "n/a" : String.format("%.1f", nanos / 1e6);
    }

    private static String describeCodes(Map<Integer, Integer> byCode) {
        Map<String, Integer> named = new LinkedHashMap<>();
        byCode.forEach((code, count) -> {
            if (code != 200) named.put(code < 0 ? "no answer" : "HTTP " + code, count);
        });
        return named.toString();
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new TreeMap<>();
        after.forEach((k, v) -> {
            long diff = v - before.getOrDefault(k, 0L);
            if (diff != 0) d.put(k, diff);
        });
        before.forEach((k, v) -> {
            if (!after.containsKey(k)) d.put(k, -v);
        });
        return d;
    }

    private static String abbreviate(String s) {
        if (s == null) return "null";
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
