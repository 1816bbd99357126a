package appealhub.bench;

import appealhub.config.BrokerUsers;
import appealhub.connectors.hotline12345.Hotline12345Signature;
import appealhub.support.StandaloneArtemis;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Benchmark command (not a test): offers N appeals to a running hub the way its upstreams do, and
 * prints how fast the hub answered and how long each appeal took to reach a department's (or
 * township's, or triage's) queue. Run through {@code bench/push-benchmark.sh} (which can also start
 * the jar and measure the raw broker first: {@code --baseline}).
 *
 * <p>Load: signed 12345 work-order pushes; with {@code --miniprogram 0.2} a fifth of the items are
 * mini-program report pushes instead, with {@code --grid 0.2} a fifth are grid reports published on
 * the broker's {@code inbound.grid.reports} as the grid app's backend does (user grid). Texts are the
 * distinct real messages of {@code --texts} (the leader-board CSV, 3,535 rows; item i takes row i,
 * so nothing repeats unless N exceeds the rows); {@code --samples} uses the old repeating JSON
 * samples instead (most items then merge).
 *
 * <p>Offered load: {@code --rate R} is open loop, item i is due at start + i/R whatever the hub's
 * answers, and an answer's latency counts from when it was due (no coordinated omission; at most
 * {@code --max-in-flight} requests open at once); without {@code --rate}, {@code --concurrency}
 * clients each send the next item when they have their answer (closed loop).
 *
 * <p>Placement: the benchmark consumes every department and township task queue and hub.triage
 * itself (the hub's user; against the product jar nobody else does), and notes when each appeal's
 * first message arrived (tasks and task updates carry appeal.appealId, triage items appealIds; a
 * grid report is recognised by a letter marker the benchmark appends to its description). The end
 * of the run is when /ops/stats shows every new case out of RECEIVED / PLACING (an appeal merged
 * into a case that waits in triage sends no message, so the queues alone cannot say it).
 *
 * <p>Exit status: 0 if every push was answered 200 with an appeal id and all cases were placed in
 * time; 1 otherwise (figures are printed either way); 2 on bad arguments or an unreachable hub.
 */
public final class PushBenchmark {
    private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final String PUSH_12345 = "/api/hotline12345/workorders";
    private static final String PUSH_MINIPROGRAM = "/api/miniprogram/reports";
    private static final String GRID_REPORTS = "inbound.grid.reports";
    /** Cases by status only (kept counts): the full /ops/stats counts raw items, tasks and feedback, slow on a big database. */
    private static final String STATS_PATH = "/ops/stats?only=cases";
    private static final long SLOW_ANSWER_MS = 3000; // the platform re-sends after 3 s
    private static final int MAX_TEXT = 1000;          // mini-program and grid descriptions are short
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern GRID_MARKER = Pattern.compile("#G([A-Z]{5})");

    enum Channel { HOTLINE12345, MINIPROGRAM, GRID }

    record Options(String url, int n, double rate, int concurrency, int maxInFlight, String secret,
                   String miniprogramKey, int timeoutSeconds, Path texts, Path samples, double miniprogram,
                   double grid, String brokerUrl, String brokerUser, String brokerPassword, String gridUser,
                   String gridPassword, boolean consume, String opsLogin, double baselineRate, String baselineNote) {}

    record Text(String title, String content) {}

    private record Stats(long total, long unplaced, Map<String, Long> byStatus) {}

    /** One item's life: when it was due (open loop) or sent (closed loop), its answer, its first queue message. */
    private static final class Item {
        final int index;
        final Channel channel;
        final String key; // the grid marker, or the appeal id once answered
        volatile long startNanos = -1;
        volatile long answerNanos = -1;
        volatile int status;
        volatile String appealId;

        Item(int index, Channel channel, String key) {
            this.index = index;
            this.channel = channel;
            this.key = key;
        }
    }

    private PushBenchmark() {}

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("push-benchmark: " + e.getMessage());
            System.err.println("usage: [--url http://127.0.0.1:8080] [--n 2000] [--rate 500 | --concurrency 8] "
                    + "[--miniprogram 0.2] [--grid 0.2] [--broker-url tcp://127.0.0.1:61616] [--texts FILE | --samples FILE] "
                    + "[--timeout 300] [--baseline-rate MSG_PER_S]");
            System.exit(2);
            return;
        }
        System.exit(run(o));
    }

    static int run(Options o) throws Exception {
        List<Text> texts = o.samples() != null ? loadSamples(o.samples()) : loadTexts(o.texts());
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newFixedThreadPool(4, daemon("bench-http")))
                .build();
        Stats before;
        try {
            before = stats(http, o);
        } catch (IOException e) {
            System.err.println("push-benchmark: cannot read " + o.url() + STATS_PATH + ": " + e);
            return 2;
        }
        String runId = LocalDateTime.now(BEIJING).format(DateTimeFormatter.ofPattern("MMddHHmmss"))
                + HexFormat.of().toHexDigits((byte) ThreadLocalRandom.current().nextInt(256)).toUpperCase(Locale.ROOT);

        Item[] items = new Item[o.n()];
        Map<Channel, Integer> mix = new TreeMap<>();
        for (int i = 0; i < o.n(); i++) {
            Channel c = channelOf(i, o);
            items[i] = new Item(i, c, c == Channel.GRID ? "G:" + letters(i) : null);
            mix.merge(c, 1, Integer::sum);
        }
        System.out.printf("push benchmark: %s, run %s, N=%d (%s), %s, texts: %s%n", o.url(), runId, o.n(), mix,
                o.rate() > 0 ? String.format("open loop %.0f/s offered", o.rate()) : "closed loop, concurrency " + o.concurrency(),
                o.samples() != null ? o.samples() + " (repeating samples)" : texts.size() + " distinct rows of " + o.texts());
        System.out.printf("before: %d cases %s%n", before.total(), before.byStatus());

        // Departments: the benchmark takes every task queue and the triage queue itself.
        Map<String, Long> seen = new ConcurrentHashMap<>();
        AtomicInteger queueMessages = new AtomicInteger();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        Connection departments = o.consume() ? consumeQueues(o, seen, queueMessages, problems) : null;
        Connection grid = o.grid() > 0 ? new ActiveMQConnectionFactory(o.brokerUrl(), o.gridUser(), o.gridPassword()).createConnection() : null;
        GridSender gridSender = grid == null ? null : new GridSender(grid);

        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(o.timeoutSeconds());
        Stats[] last = {before};
        long[] placedAt = {-1};
        Thread watcher = new Thread(() -> {
            while (System.nanoTime() < deadline) {
                try {
                    Stats s = stats(http, o);
                    last[0] = s;
                    if (s.total() - before.total() >= o.n() && s.unplaced() == before.unplaced()) {
                        placedAt[0] = System.nanoTime();
                        return;
                    }
                    Thread.sleep(100);
                } catch (IOException e) {
                    problems.add("stats poll failed: " + e);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-stats-watcher");
        watcher.setDaemon(true);
        watcher.start();

        Sender sender = new Sender(o, http, texts, runId, gridSender, problems);
        if (o.rate() > 0) {
            Semaphore open = new Semaphore(o.maxInFlight());
            AtomicInteger refused = new AtomicInteger();
            List<CompletableFuture<?>> all = new ArrayList<>(o.n());
            for (Item item : items) {
                long due = start + (long) (item.index * 1e9 / o.rate());
                long wait = due - System.nanoTime();
                if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
                item.startNanos = due;
                if (!open.tryAcquire()) { // the client's own limit: count it as not answered
                    item.status = -2;
                    item.answerNanos = System.nanoTime();
                    refused.incrementAndGet();
                    continue;
                }
                all.add(sender.send(item).whenComplete((r, e) -> open.release()));
            }
            long offeredEnd = System.nanoTime();
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
            System.out.printf("offered               %d items in %.3f s (%.1f/s)%s%n", o.n(), (offeredEnd - start) / 1e9,
                    o.n() / Math.max(1e-9, (offeredEnd - start) / 1e9),
                    refused.get() == 0 ? "" : ", " + refused.get() + " not sent: " + o.maxInFlight() + " already open");
        } else {
            AtomicInteger next = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(o.concurrency(), daemon("bench-client"));
            for (int w = 0; w < o.concurrency(); w++) {
                pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < o.n()) {
                        items[i].startNanos = System.nanoTime();
                        sender.send(items[i]).exceptionally(e -> null).join();
                    }
                });
            }
            pool.shutdown();
            pool.awaitTermination(Long.MAX_VALUE, TimeUnit.DAYS);
        }
        long lastAnswer = Arrays.stream(items).mapToLong(i -> i.answerNanos).max().orElse(start);
        watcher.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + 1000));
        watcher.interrupt();
        // the last queue messages may still be on their way when the database says placed
        long grace = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < grace && !allSeen(items, seen)) Thread.sleep(50);
        if (departments != null) departments.close();
        if (grid != null) grid.close();

        // Figures.
        Map<Integer, Integer> byCode = new TreeMap<>();
        int missingId = 0;
        List<Long> answers = new ArrayList<>();
        List<Long> toQueue = new ArrayList<>();
        long lastSeen = -1;
        int seenCount = 0;
        for (Item item : items) {
            byCode.merge(item.status, 1, Integer::sum);
            if (item.channel != Channel.GRID && item.status == 200) {
                answers.add(item.answerNanos - item.startNanos);
                if (item.appealId == null) missingId++;
            } else if (item.channel == Channel.GRID && item.status == 200) {
                answers.add(item.answerNanos - item.startNanos); // the broker's ack of the publish
            }
            Long at = keyOf(item) == null ? null : seen.get(keyOf(item));
            if (at != null) {
                seenCount++;
                toQueue.add(at - item.startNanos);
                lastSeen = Math.max(lastSeen, at);
            }
        }
        long[] answered = answers.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] placedLatency = toQueue.stream().mapToLong(Long::longValue).sorted().toArray();
        int non200 = o.n() - byCode.getOrDefault(200, 0);
        long slow = Arrays.stream(answered).filter(l -> l > TimeUnit.MILLISECONDS.toNanos(SLOW_ANSWER_MS)).count();
        double answerSeconds = (lastAnswer - start) / 1e9;

        System.out.println();
        System.out.printf("N                     %d %s%n", o.n(), mix);
        System.out.printf("load                  %s%n", o.rate() > 0 ? String.format("open loop, %.0f/s offered", o.rate())
                : "closed loop, concurrency " + o.concurrency());
        System.out.printf("answered              %.1f/s (first item to last answer %.3f s)%n", o.n() / answerSeconds, answerSeconds);
        System.out.printf("answer latency        p50 %s  p90 %s  p99 %s  max %s ms (pushes answered 200; grid: the broker's ack)%n",
                ms(percentile(answered, 0.50)), ms(percentile(answered, 0.90)), ms(percentile(answered, 0.99)),
                ms(answered.length == 0 ? -1 : answered[answered.length - 1]));
        System.out.printf("not answered 200      %d %s%n", non200, non200 == 0 ? "" : describeCodes(byCode));
        System.out.printf("answers over %d s      %d%n", SLOW_ANSWER_MS / 1000, slow);
        System.out.printf("200 without appealId  %d%n", missingId);
        System.out.printf("push to queue         p50 %s  p90 %s  p99 %s  max %s ms (%d of %d items seen on a task or triage queue; %d messages)%n",
                ms(percentile(placedLatency, 0.50)), ms(percentile(placedLatency, 0.90)), ms(percentile(placedLatency, 0.99)),
                ms(placedLatency.length == 0 ? -1 : placedLatency[placedLatency.length - 1]), seenCount, o.n(), queueMessages.get());
        Stats end = last[0];
        long placed = placedAt[0];
        double e2e = -1;
        if (placed >= 0) {
            double s = (placed - start) / 1e9;
            e2e = o.n() / s;
            System.out.printf("all N placed          %.3f s after the first item (%.3f s after the last answer)%n", s,
                    Math.max(0, placed - lastAnswer) / 1e9);
            System.out.printf("end to end            %.1f appeals/s%n", e2e);
        } else {
            long placedSoFar = end.total() - before.total() - (end.unplaced() - before.unplaced());
            System.out.printf("all N placed          NOT within %d s: %d new cases, %d still RECEIVED or PLACING%n",
                    o.timeoutSeconds(), end.total() - before.total(), end.unplaced() - before.unplaced());
            // a hub that cannot keep up still has a rate: what it placed in the time it had
            e2e = placedSoFar / (double) o.timeoutSeconds();
            System.out.printf("end to end            %.1f appeals/s (only %d placed in the %d s)%n", e2e, placedSoFar, o.timeoutSeconds());
        }
        System.out.printf("cases by status now   %s (new: %s)%n", end.byStatus(), delta(before.byStatus(), end.byStatus()));
        if (o.baselineRate() > 0) {
            System.out.printf("broker baseline       %.0f msg/s (%s)%n", o.baselineRate(), o.baselineNote());
            System.out.printf("ratio                 %s end to end / raw broker%n", e2e < 0 ? "n/a" : String.format("%.4fx", e2e / o.baselineRate()));
        }
        if (!problems.isEmpty()) {
            System.out.printf("%nproblems (%d, first 10):%n", problems.size());
            problems.stream().limit(10).forEach(p -> System.out.println("  " + p));
        }
        boolean ok = non200 == 0 && missingId == 0 && placed >= 0;
        System.out.println(ok ? "\nOK" : "\nFAILED");
        return ok ? 0 : 1;
    }

    private static String keyOf(Item item) {
        return item.channel == Channel.GRID ? item.key : item.appealId;
    }

    private static boolean allSeen(Item[] items, Map<String, Long> seen) {
        for (Item item : items) {
            String key = keyOf(item);
            if (key != null && !seen.containsKey(key)) return false;
        }
        return true;
    }

    /** Spreads the channels evenly over the run (golden-ratio sequence), the same for every run. */
    static Channel channelOf(int i, Options o) {
        double r = (i * 0.6180339887498949) % 1.0;
        if (r < o.grid()) return Channel.GRID;
        if (r < o.grid() + o.miniprogram()) return Channel.MINIPROGRAM;
        return Channel.HOTLINE12345;
    }

    /** Five capital letters for i: a grid report's marker (digits could be masked as personal data). */
    static String letters(int i) {
        char[] c = new char[5];
        for (int k = 4; k >= 0; k--) {
            c[k] = (char) ('A' + i % 26);
            i /= 26;
        }
        return new String(c);
    }

    /** Builds and sends each channel's item; completes with the item's answer recorded on it. */
    private static final class Sender {
        private final Options o;
        private final HttpClient http;
        private final List<Text> texts;
        private final String runId;
        private final GridSender grid;
        private final ConcurrentLinkedQueue<String> problems;

        Sender(Options o, HttpClient http, List<Text> texts, String runId, GridSender grid,
               ConcurrentLinkedQueue<String> problems) {
            this.o = o;
            this.http = http;
            this.texts = texts;
            this.runId = runId;
            this.grid = grid;
            this.problems = problems;
        }

        CompletableFuture<Item> send(Item item) {
            Text text = texts.get(item.index % texts.size());
            try {
                return switch (item.channel) {
                    case HOTLINE12345 -> push(item, PUSH_12345, order("GDBENCH" + runId + "-" + String.format("%06d", item.index + 1),
                            item.index, text), true);
                    case MINIPROGRAM -> push(item, PUSH_MINIPROGRAM, report(runId, item.index, text), false);
                    case GRID -> grid.publish(gridReport(runId, item, text)).handle((v, e) -> {
                        item.answerNanos = System.nanoTime();
                        item.status = e == null ? 200 : -1;
                        if (e != null) problems.add("grid " + item.index + ": " + e);
                        return item;
                    });
                };
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private CompletableFuture<Item> push(Item item, String path, byte[] body, boolean signed) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(o.url() + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json;charset=UTF-8")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (signed) {
                String ts = Long.toString(System.currentTimeMillis() / 1000);
                String nonce = UUID.randomUUID().toString().replace("-", "");
                request.header("X-Timestamp", ts).header("X-Nonce", nonce)
                        .header("X-Signature", Hotline12345Signature.sign(o.secret(), ts, nonce, body));
            } else {
                request.header("Authorization", "Bearer " + o.miniprogramKey());
            }
            return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                    .handle((response, e) -> {
                        item.answerNanos = System.nanoTime();
                        if (e != null) {
                            item.status = -1;
                            problems.add(item.channel + " " + item.index + ": " + e);
                            return item;
                        }
                        item.status = response.statusCode();
                        if (response.statusCode() == 200) {
                            item.appealId = appealId(response.body(), item.channel);
                            if (item.appealId == null) problems.add(item.channel + " " + item.index + ": 200 without appealId");
                        } else {
                            problems.add(item.channel + " " + item.index + ": HTTP " + response.statusCode() + " "
                                    + abbreviate(response.body()));
                        }
                        return item;
                    });
        }
    }

    /** The grid app's backend: one session, sends one at a time (JMS sessions are single-threaded). */
    private static final class GridSender {
        private final ExecutorService thread = Executors.newSingleThreadExecutor(daemon("bench-grid"));
        private final Session session;
        private final MessageProducer producer;

        GridSender(Connection connection) throws JMSException {
            connection.start();
            session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            producer = session.createProducer(session.createQueue(GRID_REPORTS));
        }

        CompletableFuture<Void> publish(String json) {
            return CompletableFuture.runAsync(() -> {
                try {
                    producer.send(session.createTextMessage(json));
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            }, thread);
        }
    }

    /** A listener on every task queue and on hub.triage: the first message naming an appeal marks it placed. */
    private static Connection consumeQueues(Options o, Map<String, Long> seen, AtomicInteger count,
                                            ConcurrentLinkedQueue<String> problems) throws JMSException {
        Connection c = new ActiveMQConnectionFactory(o.brokerUrl(), o.brokerUser(), o.brokerPassword()).createConnection();
        List<String> queues = new ArrayList<>(StandaloneArtemis.taskQueues());
        queues.add("hub.triage");
        for (String queue : queues) {
            Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createConsumer(session.createQueue(queue)).setMessageListener(m -> {
                long now = System.nanoTime();
                count.incrementAndGet();
                try {
                    JsonNode node = JSON.readTree(((TextMessage) m).getText());
                    List<String> keys = new ArrayList<>();
                    if (node.has("appealIds")) node.get("appealIds").forEach(id -> keys.add(id.asText()));
                    JsonNode appeal = node.path("appeal");
                    if (appeal.hasNonNull("appealId")) keys.add(appeal.get("appealId").asText());
                    Matcher marker = GRID_MARKER.matcher(appeal.path("content").asText("") + " "
                            + node.path("title").asText(""));
                    if (marker.find()) keys.add("G:" + marker.group(1));
                    for (String key : keys) seen.putIfAbsent(key, now);
                } catch (Exception e) {
                    problems.add("queue " + queue + ": unreadable message " + e);
                }
            });
        }
        c.start();
        return c;
    }

    /** One work order as the platform sends it. */
    private static byte[] order(String gdbh, int i, Text t) throws IOException {
        LocalDateTime now = LocalDateTime.now(BEIJING).withNano(0);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("gdbh", gdbh);
        o.put("ldsj", now.format(TIME));
        o.put("ldrxm", "测试" + (i % 100));
        o.put("lxdh", String.format("139%08d", i % 100_000_000));
        o.put("sfnm", "0");
        o.put("sqbt", clip(t.title(), 200));
        o.put("sqnr", t.content());
        o.put("sqlx", "03");
        o.put("sfjj", "0");
        o.put("sqdz", "冀州区");
        o.put("ssqx", "冀州区");
        o.put("blsx", now.plusDays(7).format(TIME));
        o.put("fj", List.of());
        return JSON.writeValueAsBytes(o);
    }

    /** One mini-program report as its backend pushes it (no pin: the township comes from the text). */
    private static byte[] report(String runId, int i, Text t) throws IOException {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("reportId", "bench-" + runId + "-" + i);
        r.put("openId", "oMpbench" + runId + i);
        r.put("userName", "测试");
        r.put("mobile", String.format("138%08d", i % 100_000_000));
        r.put("category", "other");
        r.put("description", clip(t.title() + "。" + t.content(), MAX_TEXT));
        r.put("location", Map.of("address", "冀州区"));
        r.put("images", List.of());
        r.put("submittedAt", ZonedDateTime.now(BEIJING).withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        return JSON.writeValueAsBytes(r);
    }

    /** One grid report (spec: ../shared/upstream/grid.md), its marker at the end of the description. */
    private static String gridReport(String runId, Item item, Text t) throws IOException {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("eventId", "GB" + runId + "-" + item.index);
        r.put("gridCode", String.format("JZ-%02d-%03d", 1 + item.index % 10, 1 + item.index % 50));
        r.put("reporterId", "W0317");
        r.put("reporterName", "王某");
        r.put("eventType", "社情民意");
        r.put("description", clip(t.title() + "。" + t.content(), MAX_TEXT - 8) + " #G" + item.key.substring(2));
        r.put("reportedAt", ZonedDateTime.now(BEIJING).minusMinutes(1).format(TIME));
        r.put("lat", 37.52);
        r.put("lon", 115.49);
        r.put("severity", 1);
        return JSON.writeValueAsString(r);
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static String appealId(String body, Channel channel) {
        try {
            JsonNode root = JSON.readTree(body);
            JsonNode id = channel == Channel.HOTLINE12345 ? root.path("data").path("appealId") : root.path("appealId");
            return id.isTextual() && !id.asText().isBlank() ? id.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static Stats stats(HttpClient http, Options o) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(o.url() + STATS_PATH)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(o.opsLogin().getBytes(StandardCharsets.UTF_8)))
                .GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) throw new IOException("HTTP " + response.statusCode() + " from " + STATS_PATH);
        Map<String, Long> byStatus = new TreeMap<>();
        JsonNode cases = JSON.readTree(response.body()).path("casesByStatus");
        cases.fields().forEachRemaining(e -> byStatus.put(e.getKey(), e.getValue().asLong()));
        long total = byStatus.values().stream().mapToLong(Long::longValue).sum();
        return new Stats(total, byStatus.getOrDefault("RECEIVED", 0L) + byStatus.getOrDefault("PLACING", 0L), byStatus);
    }

    /** Title and content of each row of the leader-board CSV (columns id,user,title,time,content,label). */
    static List<Text> loadTexts(Path csv) throws IOException {
        if (!Files.isRegularFile(csv)) throw new IOException("texts file not found: " + csv.toAbsolutePath());
        List<Text> out = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
             CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
            for (CSVRecord r : parser) {
                String title = r.get("title").strip();
                String content = r.get("content").strip();
                if (content.isEmpty()) continue;
                // two rows in three have no title: the citizen's first words stand for it, as on the board
                out.add(new Text(title.isEmpty() ? clip(content, 30) : title, content));
            }
        }
        if (out.isEmpty()) throw new IOException("no rows in " + csv);
        return out;
    }

    private static List<Text> loadSamples(Path path) throws IOException {
        if (!Files.isRegularFile(path)) throw new IOException("samples file not found: " + path.toAbsolutePath());
        List<Text> out = new ArrayList<>();
        for (JsonNode n : JSON.readTree(path.toFile())) out.add(new Text(n.path("sqbt").asText(), n.path("sqnr").asText()));
        if (out.isEmpty()) throw new IOException("no samples in " + path);
        return out;
    }

    static Options parse(String[] args) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("url", "http://127.0.0.1:8080");
        a.put("n", "2000");
        a.put("rate", "0");
        a.put("concurrency", "8");
        a.put("max-in-flight", "2000");
        a.put("secret", "demo-secret-change-me");
        a.put("miniprogram-key", "demo-miniprogram-key");
        a.put("timeout", "300");
        a.put("texts", "../shared/data/leaderboard-messages.extra.csv");
        a.put("samples", "");
        a.put("miniprogram", "0");
        a.put("grid", "0");
        a.put("broker-url", "tcp://127.0.0.1:61616");
        a.put("broker-user", "hub");
        a.put("broker-password", "");
        a.put("grid-user", "grid");
        a.put("grid-password", "");
        a.put("consume", "true");
        a.put("ops-login", "viewer:viewer-demo");
        a.put("baseline-rate", "0");
        a.put("baseline-note", "");
        BenchOptions.parse(args, a);
        BrokerUsers users = null;
        if (a.get("broker-password").isEmpty() || a.get("grid-password").isEmpty()) {
            users = BrokerUsers.read(Path.of("config/broker-users.properties")); // the demo logins
        }
        double mini = fraction(a, "miniprogram"), grid = fraction(a, "grid");
        if (mini + grid > 1) throw new IllegalArgumentException("--miniprogram plus --grid must be at most 1");
        if (!a.get("ops-login").contains(":")) throw new IllegalArgumentException("--ops-login must be user:password");
        return new Options(a.get("url").replaceAll("/+$", ""), positive(a, "n"), number(a, "rate"), positive(a, "concurrency"),
                positive(a, "max-in-flight"), a.get("secret"), a.get("miniprogram-key"), positive(a, "timeout"),
                Path.of(a.get("texts")), a.get("samples").isEmpty() ? null : Path.of(a.get("samples")), mini, grid,
                a.get("broker-url"), a.get("broker-user"),
                a.get("broker-password").isEmpty() ? users.clearPassword(a.get("broker-user")) : a.get("broker-password"),
                a.get("grid-user"),
                a.get("grid-password").isEmpty() ? users.clearPassword(a.get("grid-user")) : a.get("grid-password"),
                Boolean.parseBoolean(a.get("consume")), a.get("ops-login"), number(a, "baseline-rate"),
                a.get("baseline-note").replace('_', ' '));
    }

    private static double fraction(Map<String, String> a, String key) {
        double v = number(a, key);
        if (v > 1) throw new IllegalArgumentException("--" + key + " is a fraction of the items (0..1)");
        return v;
    }

    private static double number(Map<String, String> a, String key) {
        try {
            double v = Double.parseDouble(a.get(key));
            if (v < 0) throw new IllegalArgumentException("--" + key + " must not be negative");
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be a number");
        }
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

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
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
            if (code != 200) named.put(code == -2 ? "not sent (client limit)" : code < 0 ? "no answer" : "HTTP " + code, count);
        });
        return named.toString();
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new TreeMap<>();
        after.forEach((k, v) -> {
            long diff = v - before.getOrDefault(k, 0L);
            if (diff != 0) d.put(k, diff);
        });
        return d;
    }

    private static String abbreviate(String s) {
        if (s == null) return "null";
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
