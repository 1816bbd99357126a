package appealhub.bench;

import appealhub.connectors.hotline12345.Hotline12345Signature;
import appealhub.connectors.supervision.SupervisionCsv;
import appealhub.connectors.wechat.WechatSignature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * Chaos command (not a test; bench/chaos.sh): proves "nothing lost, each answer sent once" by
 * killing the hub with kill -9 while every channel feeds it, and prints one table.
 *
 * <p>It starts the built jar as a child process on a fresh data directory, plays every HTTP
 * upstream with WireMock in this process ({@link ChaosMocks}: records every feedback call), and
 * puts load on all six channels: signed 12345 pushes from several threads and 12345 pending
 * pages (signed by the hub), leader-board messages, mini-program pushes, WeChat XML pushes,
 * 督查 GBK clue files with their .ok, grid reports on inbound.grid.reports, and 12345
 * evaluations once an order's result arrived. Department consumers (JMS over TCP, each logged in
 * as its organisation) take every task queue, record each task and answer accept, then resolve.
 * An operations loop places what lands in triage. Items not acknowledged are retried, the same
 * item again, as the upstreams do. During the load the hub is killed (SIGKILL) --kills times
 * (one aimed at a feedback delivery, one at the 10-second 督查 result batch) and restarted on
 * the same data directory. After --settle seconds the hub is stopped and its database read.
 *
 * <p>Exit 0 only when nothing acknowledged is lost, nothing is stuck, no lead task was sent
 * twice, and every source got each feedback it is owed exactly once (the WeChat and board-progress
 * window without an idempotency key is reported, not judged); 1 otherwise; 2 on a bad argument or
 * a hub that does not start.
 */
public final class ChaosRun {
    static final ObjectMapper JSON = new ObjectMapper();
    static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    // Keys the driver signs with, given to the hub on its command line (the production profile refuses demo ones).
    static final String SECRET_12345 = "chaos-12345-secret";
    static final String MINIPROGRAM_KEY = "chaos-miniprogram-key";
    static final String WECHAT_TOKEN = "chaos-wechat-token";
    static final String[][] TOWNSHIPS = {
            {"01", "冀州镇", "滏阳花园"}, {"02", "官道李镇", "霍家庄村"}, {"03", "南午村镇", "前屯村"}, {"04", "周村镇", "张庄村"},
            {"05", "码头李镇", "刘家庄村"}, {"06", "西王镇", "大寨村"}, {"07", "门庄乡", "孙家庄村"}, {"08", "徐家庄乡", "前冯村"},
            {"09", "北漳淮乡", "河东村"}, {"10", "小寨乡", "魏家庄村"}};
    static final double[][] PINS = {{37.5512, 115.5790}, {37.60, 115.52}, {37.52, 115.49}, {37.47, 115.55},
            {37.56, 115.64}, {37.50, 115.40}, {37.62, 115.44}, {37.44, 115.47}, {37.66, 115.58}, {37.58, 115.70}};

    /** Options; see bench/chaos.sh. */
    record Options(int duration, int kills, int settle, long seed, String profile, int port, int brokerPort, int mockPort,
                   Path workDir, Path jar, Path projectDir, boolean merge, int stuckAfter, int pushThreads, String java,
                   int instances, String broker, int startTimeout) {}

    /** An item an upstream considers handed over. */
    record Ack(String channel, String item, String appealId, long at) {}

    /** A task as a department received it. */
    record SeenTask(String taskId, String caseId, String org, String role, int round, long at) {}

    final Options o;
    final Random random;
    final String runId;
    final ChaosMocks mocks;
    /** The hub instances (one, or several on the production profile); the first owns the embedded broker. */
    final List<ChaosHub> hubs = new ArrayList<>();
    final ChaosHub hub;
    final List<String> hubUrls = new ArrayList<>();
    final AtomicInteger nextHub = new AtomicInteger();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    final Texts texts;
    volatile boolean loadOn = true;   // new items are made
    volatile boolean running = true;  // retries, relay, grid feedback, operations
    volatile boolean departmentsOn = true; // departments take tasks and reply
    final AtomicLong seq = new AtomicLong();

    // acknowledged items: channel-key → item → ack
    final Map<String, Map<String, Ack>> acked = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> notAcked = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    // departments
    final Map<String, SeenTask> committedTasks = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> taskDeliveries = new ConcurrentHashMap<>(); // taskId → deliveries after a commit
    final AtomicInteger taskRedeliveredAfterCommit = new AtomicInteger();
    final AtomicInteger repliesSent = new AtomicInteger();
    /** Tasks stored whose consuming transaction did not report its commit (redelivery then expected). */
    final Set<String> uncertainCommits = ConcurrentHashMap.newKeySet();
    final AtomicInteger tasksLeftOnQueues = new AtomicInteger(-1);
    // grid feedback: eventId|status → count
    final Map<String, AtomicInteger> gridFeedback = new ConcurrentHashMap<>();
    // supervision result rows: clueId|status → files
    final Map<String, List<String>> supervisionRows = new ConcurrentHashMap<>();
    final List<String> supervisionFiles = new CopyOnWriteArrayList<>();
    final Map<String, Boolean> evaluated = new ConcurrentHashMap<>();
    final List<String> killLog = new CopyOnWriteArrayList<>();
    final List<String> problems = new CopyOnWriteArrayList<>();
    final AtomicInteger triagePlaced = new AtomicInteger();
    final Properties brokerUsers = new Properties();
    final ChaosProduction production; // null in the default profile

    ChaosRun(Options o) throws IOException {
        this.o = o;
        this.random = new Random(o.seed());
        this.runId = LocalDateTime.now(BEIJING).format(DateTimeFormatter.ofPattern("MMddHHmmss"));
        this.texts = Texts.load(o.projectDir().resolve("../shared/data/leaderboard-messages.extra.csv"), o.seed());
        try (Reader r = Files.newBufferedReader(o.projectDir().resolve("config/broker-users.properties"))) {
            brokerUsers.load(r);
        }
        this.mocks = new ChaosMocks(o.mockPort());
        String mock = mocks.baseUrl();
        List<String> cmd = hubCommand(o, mock);
        this.production = "production".equals(o.profile()) ? new ChaosProduction(runId, o.workDir()) : null;
        if (production != null && "pair".equals(o.broker())) {
            // made before the hubs' command lines: they carry the pair's failover URL
            Files.createDirectories(o.workDir());
            production.createAndStartPair(o.projectDir(), o.workDir());
        }
        if (production != null) {
            cmd.addAll(production.hubArgs(o, mock, o.workDir().resolve("data")));
            brokerUsers.setProperty("hub", ChaosProduction.HUB_BROKER_PASSWORD); // as the standalone broker has it
        }
        for (int i = 0; i < o.instances(); i++) {
            // One instance keeps the file names of a single-hub run (data/, hub.log).
            String suffix = o.instances() == 1 ? "" : "-" + (i + 1);
            String url = "http://127.0.0.1:" + (o.port() + i);
            List<String> own = new ArrayList<>(cmd);
            own.add("--server.port=" + (o.port() + i));
            own.add("--hub.data-dir=" + o.workDir().resolve("data" + suffix));
            own.add("--hub.cluster.node-id=chaos-hub" + suffix);
            hubs.add(new ChaosHub(own, o.projectDir(), o.workDir().resolve("hub" + suffix + ".log"), url));
            hubUrls.add(url);
        }
        this.hub = hubs.get(0);
    }

    /** The hub's command line common to every instance (ports, data folder and node id are added per instance). */
    static List<String> hubCommand(Options o, String mock) {
        return new ArrayList<>(List.of(o.java(), "-Xmx768m", "-XX:+UseSerialGC", "-jar", o.jar().toString(),
                "--hub.broker.port=" + o.brokerPort(),
                "--hub.broker.amqp-port=0", // the chaos departments speak CORE; keep 5673 and 61613 free
                "--hub.broker.stomp-port=0",
                "--hub.demo.mocks=false",
                "--hub.demo.departments=false",
                "--hub.merge.enabled=" + o.merge(),
                // the load comes from one address, far above one upstream's share: the push guard's rate
                // limit (issue 14) would measure itself, not the hub
                "--hub.push.rate-limit.enabled=false",
                // the chaos departments answer every task with one canned text, which the reply check
                // (验收) would rightly hold for operations: this run measures delivery, not reply quality
                "--hub.reply-quality.enabled=false",
                "--hub.cluster.lease-seconds=6",
                "--hub.classifier.triage-threshold=0.2",
                "--hub.classifier.model-triage-threshold=0.2",
                "--hub.feedback.poll-ms=1000",
                "--hub.feedback.backoff-initial-seconds=2",
                "--hub.feedback.backoff-max-seconds=20",
                "--hub.channels.hotline12345.base-url=" + mock,
                "--hub.channels.hotline12345.app-secret=" + SECRET_12345,
                "--hub.channels.miniprogram.api-key=" + MINIPROGRAM_KEY,
                "--hub.channels.wechat.token=" + WECHAT_TOKEN,
                "--hub.channels.hotline12345.pull.interval-ms=3000",
                "--hub.channels.hotline12345.pull.initial-delay-ms=2000",
                "--camel.resilience4j.configurations.hotline12345.wait-duration-in-open-state=3",
                "--hub.channels.leaderboard.base-url=" + mock,
                "--hub.channels.leaderboard.pull.interval-ms=3000",
                "--hub.channels.leaderboard.pull.initial-delay-ms=2000",
                "--camel.resilience4j.configurations.leaderboard.wait-duration-in-open-state=3",
                "--hub.channels.miniprogram.base-url=" + mock + "/miniprogram",
                "--camel.resilience4j.configurations.miniprogram.wait-duration-in-open-state=3",
                "--hub.channels.wechat.base-url=" + mock,
                "--camel.resilience4j.configurations.wechat.wait-duration-in-open-state=3",
                "--hub.channels.supervision.result-cron=*/10 * * * * *",
                "--hub.channels.supervision.poll-delay-ms=2000",
                "--logging.level.org.apache.activemq=WARN"));
    }

    /** A running instance's base URL, in turn (each upstream push goes to the next one, as a load balancer would). */
    String hubUrl() {
        for (int tries = 0; tries < hubs.size(); tries++) {
            int i = Math.floorMod(nextHub.getAndIncrement(), hubs.size());
            if (hubs.get(i).alive() && hubs.get(i).upSince != 0) return hubUrls.get(i);
        }
        return hubUrls.get(Math.floorMod(nextHub.getAndIncrement(), hubs.size()));
    }

    /** Log lines matching, over every instance's log. */
    int grepAll(Pattern pattern) throws IOException {
        int n = 0;
        for (ChaosHub h : hubs) n += h.grep(pattern).size();
        return n;
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("chaos: " + e.getMessage());
            System.err.println("usage: --duration 60 --kills 5 --settle 90 --seed N --profile default [--port 18100 "
                    + "--broker-port 18161 --mock-port 18189 --work-dir DIR --jar target/appeal-hub-0.1.0-SNAPSHOT.jar --merge false]");
            System.exit(2);
            return;
        }
        if (!"default".equals(o.profile()) && !"production".equals(o.profile())) {
            System.err.println("chaos: --profile must be default or production");
            System.exit(2);
            return;
        }
        if (!"single".equals(o.broker()) && !("pair".equals(o.broker()) && "production".equals(o.profile()))) {
            System.err.println("chaos: --broker is single, or pair with --profile production");
            System.exit(2);
            return;
        }
        if (o.instances() < 1 || (o.instances() > 1 && !"production".equals(o.profile()))) {
            System.err.println("chaos: several --instances need --profile production (one database, one external broker)");
            System.exit(2);
            return;
        }
        int code;
        ChaosRun run;
        try {
            run = new ChaosRun(o);
        } catch (Exception e) {
            // e.g. the broker pair did not come up: nothing to run, and no mock left keeping the JVM alive
            System.err.println("chaos: could not set up the run: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            code = run.run();
        } finally {
            // a run that failed half-way (a hub not up in time) leaves no hub running behind it
            for (ChaosHub h : run.hubs) h.kill9();
            run.mocks.close();
            if (run.production != null) run.production.stopBroker();
        }
        System.exit(code);
    }

    int run() throws Exception {
        Files.createDirectories(o.workDir());
        System.out.printf("chaos: run %s, seed %d, load %d s, %d kills, settle %d s, merge %s, work dir %s%n",
                runId, o.seed(), o.duration(), o.kills(), o.settle(), o.merge() ? "on" : "off", o.workDir());
        System.out.printf("chaos: %d hub instance(s), http %d-%d, broker %d, mocks %s; texts: %s%n", hubs.size(), o.port(),
                o.port() + hubs.size() - 1, o.brokerPort(), mocks.baseUrl(), texts.source());
        try {
            if (production != null) {
                production.createDatabase();
                if (production.pair == null) {
                    production.createBroker(o.projectDir(), o.brokerPort(), orgs());
                    production.startBroker(o.brokerPort());
                }
                System.out.printf("chaos: production profile: PostgreSQL database %s, %s%n", production.database,
                        production.pair == null ? "standalone Artemis in " + production.brokerInstance
                                : "Artemis live/backup pair (deploy/artemis/pair.sh) at " + production.brokerUrl(0));
            }
            for (ChaosHub h : hubs) h.start(o.startTimeout());
        } catch (Exception e) {
            System.err.println("chaos: " + e.getMessage());
            // a run that could not start leaves no hub behind (one would spin on the broker that is going away)
            for (ChaosHub h : hubs) if (h.alive()) h.kill9();
            return 2;
        }
        System.out.printf("chaos: hub up (pid %s)%n", hubs.stream().map(h -> Long.toString(h.pid()))
                .collect(java.util.stream.Collectors.joining(", ")));

        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < o.pushThreads(); i++) threads.add(thread("push12345-" + i, this::push12345Loop));
        threads.add(thread("pull12345", this::pull12345Loop));
        threads.add(thread("board", this::boardLoop));
        threads.add(thread("miniprogram", this::miniprogramLoop));
        threads.add(thread("wechat", this::wechatLoop));
        threads.add(thread("supervision-relay", this::supervisionLoop));
        threads.add(thread("grid", this::gridLoop));
        threads.add(thread("grid-feedback", this::gridFeedbackLoop));
        threads.add(thread("evaluations", this::evaluationLoop));
        threads.add(thread("operations", this::operationsLoop));
        for (String org : orgs()) threads.add(thread("dept-" + org, () -> departmentLoop(org)));

        long loadStart = System.currentTimeMillis();
        long loadEnd = loadStart + o.duration() * 1000L;
        killer(loadStart, loadEnd);
        long now = System.currentTimeMillis();
        if (now < loadEnd) Thread.sleep(loadEnd - now);
        loadOn = false;
        long loadSeconds = (System.currentTimeMillis() - loadStart) / 1000;
        System.out.printf("chaos: load over after %d s; settling %d s%n", loadSeconds, o.settle());
        long settleEnd = System.currentTimeMillis() + o.settle() * 1000L;
        while (System.currentTimeMillis() < settleEnd) {
            Thread.sleep(1000);
            for (ChaosHub h : hubs) {
                if (!h.alive()) {
                    problems.add("hub died on its own while settling; restarted");
                    h.start(o.startTimeout());
                }
            }
        }
        // drain: departments stop (no new replies), the feedback they caused goes out for 15 s,
        // one last result batch (the cron runs every 10 s anyway), then the relay collects it
        tasksLeftOnQueues.set(countTasksOnQueues());
        departmentsOn = false;
        Thread.sleep(15_000);
        try {
            post(hubUrl() + "/ops/supervision/result-batch", "{}", "operator:operator-demo");
        } catch (IOException e) {
            problems.add("last result batch: " + e);
        }
        Thread.sleep(3000);
        collectResultFiles();
        running = false;
        for (Thread t : threads) t.join(15_000);
        for (ChaosHub h : hubs) h.stop();
        System.out.println("chaos: hub stopped; reading its database");
        return report(loadSeconds);
    }

    // ------------------------------------------------------------------ kills

    private static final Pattern BATCH_LEFT = Pattern.compile("supervision result batch .* was left");

    private void killer(long loadStart, long loadEnd) throws Exception {
        List<String> kinds = new ArrayList<>();
        for (int i = 0; i < o.kills(); i++) kinds.add(i == 0 ? "feedback delivery" : i == 1 ? "督查 result batch" : "random");
        Collections.shuffle(kinds, random);
        // With the broker pair, one kill (the middle one) is the live broker's instead of a hub's.
        if (production != null && production.pair != null && !kinds.isEmpty()) kinds.set(kinds.size() / 2, "live broker");
        for (int i = 0; i < kinds.size(); i++) {
            long left = loadEnd - System.currentTimeMillis();
            long slot = Math.max(3000, left / (kinds.size() - i));
            Thread.sleep(2000 + (long) (random.nextDouble() * Math.max(1000, slot - 4000)));
            String kind = kinds.get(i);
            if (kind.equals("live broker")) {
                long at = System.currentTimeMillis();
                long t0 = System.nanoTime();
                production.pair.killLive();
                Duration backup = production.pair.awaitBackupActive(t0, Duration.ofSeconds(120));
                killLog.add(String.format("kill %d at +%.1f s: kill -9 of the live broker; the backup accepted connections after %.1f s",
                        i + 1, (at - loadStart) / 1000.0, backup.toMillis() / 1000.0));
                System.out.println("chaos: " + killLog.get(killLog.size() - 1));
                continue;
            }
            ChaosHub hub = hubs.get(i % hubs.size()); // several instances: each in turn
            String hit = "";
            if (kind.equals("feedback delivery")) {
                boolean seen = hub.awaitLine(Pattern.compile("FeedbackDispatcher.*delivered"), 20_000);
                hit = seen ? "killed right after a feedback-delivered log line" : "no delivery line within 20 s";
            } else if (kind.equals("督查 result batch")) {
                // the cron fires at every 10th second, Beijing time: kill a few ms into it
                long ms = System.currentTimeMillis();
                long next = (ms / 10_000 + 1) * 10_000 + 3 + random.nextInt(35);
                Thread.sleep(next - ms);
                hit = "killed " + (System.currentTimeMillis() % 10_000) + " ms after a result-batch tick";
            }
            long pid = hub.pid();
            long at = System.currentTimeMillis();
            hub.kill9();
            int leftBefore = grepAll(BATCH_LEFT);
            long down = 1000 + random.nextInt(4000);
            Thread.sleep(down);
            long t0 = System.currentTimeMillis();
            hub.start(o.startTimeout()); // a restart on a loaded machine takes as long as a first start
            if (kind.equals("督查 result batch")) {
                Thread.sleep(11_000); // the next tick finishes a batch the kill left behind, and says so
                hit += grepAll(BATCH_LEFT) > leftBefore ? " (hit: a batch was left unfinished)"
                        : " (no batch found unfinished after the restart: missed, nothing to write, or its assignment was lost with the kill)";
            }
            killLog.add(String.format("kill %d at +%.1f s (%spid %d, %s%s); restarted after %.1f s down, up in %.1f s", i + 1,
                    (at - loadStart) / 1000.0, hubs.size() == 1 ? "" : "instance " + (hubs.indexOf(hub) + 1) + ", ", pid, kind, hit.isEmpty() ? "" : ": " + hit, down / 1000.0,
                    (System.currentTimeMillis() - t0) / 1000.0));
            System.out.println("chaos: " + killLog.get(killLog.size() - 1));
        }
    }

    // ------------------------------------------------------------------ load: 12345

    private void push12345Loop() {
        while (loadOn) {
            String gdbh = "GDC" + runId + String.format("%05d", seq.incrementAndGet());
            Texts.Text t = texts.next();
            String[] tw = TOWNSHIPS[ThreadLocalRandom.current().nextInt(TOWNSHIPS.length)];
            ObjectNode order = order12345(gdbh, t, tw);
            byte[] body = order.toString().getBytes(StandardCharsets.UTF_8);
            retryUntilAcked("hotline12345 push", gdbh, () -> {
                HttpResponse<String> r = signedPost(hubUrl() + "/api/hotline12345/workorders", body);
                JsonNode b = JSON.readTree(r.body());
                if (r.statusCode() == 200 && b.path("code").asInt(-1) == 0) return b.path("data").path("appealId").asText(null);
                if (r.statusCode() == 400) throw new Refused(r.body());
                return null;
            });
            pause(150);
        }
    }

    private void pull12345Loop() {
        while (loadOn) {
            int n = 1 + ThreadLocalRandom.current().nextInt(3);
            for (int i = 0; i < n; i++) {
                String gdbh = "GDP" + runId + String.format("%05d", seq.incrementAndGet());
                String[] tw = TOWNSHIPS[ThreadLocalRandom.current().nextInt(TOWNSHIPS.length)];
                mocks.addPending(gdbh, order12345(gdbh, texts.next(), tw));
            }
            pause(2000);
        }
    }

    private ObjectNode order12345(String gdbh, Texts.Text t, String[] tw) {
        return order12345(gdbh, t.title(), t.content(), tw, seq.get());
    }

    /** A 12345 work order as the platform sends it (push body, or a record of a pending page). */
    static ObjectNode order12345(String gdbh, String title, String content, String[] tw, long phoneSeq) {
        LocalDateTime now = LocalDateTime.now(BEIJING).withNano(0);
        ObjectNode o = JSON.createObjectNode();
        o.put("gdbh", gdbh);
        o.put("ldsj", now.format(TIME));
        o.put("ldrxm", "张某");
        o.put("lxdh", String.format("139%08d", phoneSeq % 100_000_000));
        o.put("sfnm", "0");
        o.put("sqbt", title);
        o.put("sqnr", content);
        o.put("sqlx", "03");
        o.put("sfjj", "0");
        o.put("sqdz", "冀州区" + tw[1] + tw[2]);
        o.put("ssqx", "冀州区");
        o.put("blsx", now.plusDays(7).format(TIME));
        o.putArray("fj");
        return o;
    }

    private HttpResponse<String> signedPost(String url, byte[] body) throws IOException, InterruptedException {
        return signedPost(http, url, body);
    }

    /** A POST signed as the 12345 platform signs its pushes (X-Timestamp, X-Nonce, X-Signature). */
    static HttpResponse<String> signedPost(HttpClient http, String url, byte[] body) throws IOException, InterruptedException {
        String ts = Long.toString(Instant.now().getEpochSecond());
        String nonce = UUID.randomUUID().toString().replace("-", "");
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json;charset=UTF-8")
                .header("X-Timestamp", ts).header("X-Nonce", nonce)
                .header("X-Signature", Hotline12345Signature.sign(SECRET_12345, ts, nonce, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** 12345 回访: a 满意 evaluation for each order whose 办结 reached the platform. */
    private void evaluationLoop() {
        while (running) {
            for (ChaosMocks.Call c : mocks.calls) {
                if (!running) break;
                if (!c.channel().equals("hotline12345") || !c.kind().equals("result") || evaluated.containsKey(c.item())) continue;
                evaluated.put(c.item(), Boolean.TRUE);
                ObjectNode e = JSON.createObjectNode();
                e.put("gdbh", c.item()).put("myd", "满意").put("hfsj", LocalDateTime.now(BEIJING).format(TIME)).put("hfnr", "群众表示满意");
                byte[] body = e.toString().getBytes(StandardCharsets.UTF_8);
                retryUntilAcked("hotline12345 evaluation", c.item(), () -> {
                    HttpResponse<String> r = signedPost(hubUrl() + "/api/hotline12345/evaluations", body);
                    JsonNode b = JSON.readTree(r.body());
                    if (r.statusCode() == 200 && b.path("code").asInt(-1) == 0) return b.path("data").path("appealId").asText("");
                    if (r.statusCode() == 400) throw new Refused(r.body());
                    return null;
                });
            }
            pause(1000);
        }
    }

    // ------------------------------------------------------------------ load: leader board

    private void boardLoop() {
        long tid = 7_000_000L + random.nextInt(100_000);
        long created = System.currentTimeMillis() - 3_600_000;
        while (loadOn) {
            int n = 1 + ThreadLocalRandom.current().nextInt(2);
            for (int i = 0; i < n; i++) {
                tid += 1 + ThreadLocalRandom.current().nextInt(20);
                created += 1000;
                Texts.Text t = texts.next();
                String[] tw = TOWNSHIPS[ThreadLocalRandom.current().nextInt(TOWNSHIPS.length)];
                ObjectNode m = JSON.createObjectNode();
                m.put("tid", tid);
                m.put("title", t.title());
                m.put("content", "尊敬的领导：<br/>" + tw[1] + tw[2] + "，" + t.content().replace("&", "&amp;"));
                m.put("forumName", "衡水市委书记");
                m.put("area", "河北省/衡水市/冀州区/" + tw[1]);
                m.put("nickName", "网友" + Long.toHexString(tid));
                m.put("phone", "");
                m.put("domainName", "城建");
                m.put("typeName", "投诉");
                m.put("createTime", created);
                m.putArray("attachments");
                mocks.postOnBoard(m);
            }
            pause(2500);
        }
    }

    // ------------------------------------------------------------------ load: mini-program, WeChat

    private void miniprogramLoop() {
        String[] categories = {"road", "environment", "water", "power", "safety", "property", "other"};
        while (loadOn) {
            String reportId = UUID.randomUUID().toString();
            int k = ThreadLocalRandom.current().nextInt(TOWNSHIPS.length);
            Texts.Text t = texts.next();
            ObjectNode r = JSON.createObjectNode();
            r.put("reportId", reportId);
            r.put("openId", "omp" + seq.incrementAndGet());
            r.put("userName", "李女士");
            r.put("mobile", "13900000000");
            r.put("category", categories[ThreadLocalRandom.current().nextInt(categories.length)]);
            r.put("description", t.title() + "。" + t.content());
            ObjectNode loc = r.putObject("location");
            loc.put("lat", PINS[k][0]).put("lng", PINS[k][1]).put("address", "冀州区" + TOWNSHIPS[k][1] + TOWNSHIPS[k][2]);
            r.putArray("images");
            r.put("submittedAt", ZonedDateTime.now(BEIJING).withNano(0).toOffsetDateTime().toString());
            byte[] body = r.toString().getBytes(StandardCharsets.UTF_8);
            retryUntilAcked("miniprogram", reportId, () -> {
                HttpResponse<String> a = http.send(HttpRequest.newBuilder(URI.create(hubUrl() + "/api/miniprogram/reports"))
                        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json;charset=UTF-8")
                        .header("Authorization", "Bearer " + MINIPROGRAM_KEY)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (a.statusCode() == 200) return JSON.readTree(a.body()).path("appealId").asText(null);
                if (a.statusCode() == 400) throw new Refused(a.body());
                return null;
            });
            pause(700);
        }
    }

    private static final Pattern WECHAT_APPEAL = Pattern.compile("编号 (AP[0-9A-Z]+)");

    private void wechatLoop() {
        while (loadOn) {
            long n = seq.incrementAndGet();
            String openid = "ochaos-" + runId + "-" + n;
            String msgId = Long.toString(24_000_000_000_000_000L + Long.parseLong(runId.substring(4)) * 100_000 + n);
            mocks.wechatMsgIdOfOpenid.put(openid, msgId);
            Texts.Text t = texts.next();
            String[] tw = TOWNSHIPS[ThreadLocalRandom.current().nextInt(TOWNSHIPS.length)];
            String xml = "<xml><ToUserName><![CDATA[gh_3f2a1b0c9d8e]]></ToUserName><FromUserName><![CDATA[" + openid
                    + "]]></FromUserName><CreateTime>" + Instant.now().getEpochSecond() + "</CreateTime>"
                    + "<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[" + tw[1] + tw[2] + "：" + t.title() + "。"
                    + t.content() + "]]></Content><MsgId>" + msgId + "</MsgId></xml>";
            byte[] body = xml.getBytes(StandardCharsets.UTF_8);
            retryUntilAcked("wechat", msgId, () -> {
                String ts = Long.toString(Instant.now().getEpochSecond());
                String nonce = Long.toString(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE));
                String sig = WechatSignature.sign(WECHAT_TOKEN, ts, nonce);
                HttpResponse<String> a = http.send(HttpRequest.newBuilder(URI.create(hubUrl() + "/api/wechat?signature=" + sig
                                + "&timestamp=" + ts + "&nonce=" + nonce + "&openid=" + openid))
                        .timeout(Duration.ofSeconds(5)).header("Content-Type", "text/xml;charset=UTF-8")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (a.statusCode() == 200) {
                    Matcher m = WECHAT_APPEAL.matcher(a.body());
                    return m.find() ? m.group(1) : null;
                }
                if (a.statusCode() == 400) throw new Refused(a.body());
                return null;
            });
            pause(900);
        }
    }

    // ------------------------------------------------------------------ load: 督查 files (the relay)

    private record ClueFile(Path file, List<String> clueIds, long droppedAt) {}

    private void supervisionLoop() {
        Path inbox = o.workDir().resolve("data/supervision/inbox");
        List<ClueFile> waiting = new ArrayList<>();
        int fileNo = 500;
        long nextDrop = 0;
        DateTimeFormatter csvTime = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm");
        while (running) {
            try {
                if (loadOn && System.currentTimeMillis() >= nextDrop) {
                    Files.createDirectories(inbox);
                    ZonedDateTime now = ZonedDateTime.now(BEIJING);
                    String day = now.format(DateTimeFormatter.ofPattern("yyyyMMdd"));
                    String name = "DC_" + day + "_" + String.format("%03d", ++fileNo) + ".csv";
                    List<String> ids = new ArrayList<>();
                    StringWriter text = new StringWriter();
                    try (CSVPrinter csv = new CSVPrinter(text, SupervisionCsv.WRITE)) {
                        csv.printRecord(SupervisionCsv.HEADER);
                        int rows = 1 + ThreadLocalRandom.current().nextInt(3);
                        for (int i = 0; i < rows; i++) {
                            String id = "DCX" + runId + String.format("%05d", seq.incrementAndGet());
                            ids.add(id);
                            Texts.Text t = texts.next();
                            String[] tw = TOWNSHIPS[ThreadLocalRandom.current().nextInt(TOWNSHIPS.length)];
                            csv.printRecord(id, now.minusHours(3).format(csvTime), "王某", "13800000000", t.title(),
                                    t.content(), "河北省衡水市冀州区" + tw[1], "民生保障",
                                    now.plusDays(10).withHour(17).withMinute(0).format(csvTime));
                        }
                    }
                    Path temp = inbox.resolve("." + name + ".part");
                    Files.write(temp, text.toString().getBytes(SupervisionCsv.GBK));
                    Path file = Files.move(temp, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
                    Files.write(inbox.resolve(name + ".ok"), new byte[0]);
                    waiting.add(new ClueFile(file, ids, System.currentTimeMillis()));
                    nextDrop = System.currentTimeMillis() + 3000;
                }
                // a file moved out of the inbox was taken: its rows are handed over
                for (var it = waiting.iterator(); it.hasNext(); ) {
                    ClueFile f = it.next();
                    if (!Files.exists(f.file())) {
                        it.remove();
                        for (String id : f.clueIds()) {
                            acked.computeIfAbsent("supervision", k -> new ConcurrentHashMap<>())
                                    .put(id, new Ack("supervision", id, null, System.currentTimeMillis()));
                        }
                    }
                }
                collectResultFiles();
            } catch (IOException e) {
                problems.add("supervision relay: " + e);
            }
            pause(500);
        }
        for (ClueFile f : waiting) {
            notAcked.computeIfAbsent("supervision", k -> new AtomicInteger()).addAndGet(f.clueIds().size());
        }
    }

    /** The relay collects every DCJG_ file that has its .ok (moves both away, so a re-written name is seen again). */
    synchronized void collectResultFiles() {
        Path outbox = o.workDir().resolve("data/supervision/outbox");
        Path collected = o.workDir().resolve("relay-collected");
        if (!Files.isDirectory(outbox)) return;
        try (var files = Files.list(outbox)) {
            for (Path ok : files.filter(p -> p.getFileName().toString().matches("DCJG_.*\\.csv\\.ok")).sorted().toList()) {
                Path csv = ok.resolveSibling(ok.getFileName().toString().replaceAll("\\.ok$", ""));
                if (!Files.exists(csv)) continue;
                Files.createDirectories(collected);
                String name = String.format("%03d-%s", supervisionFiles.size() + 1, csv.getFileName());
                Path target = collected.resolve(name);
                Files.move(csv, target);
                Files.delete(ok);
                supervisionFiles.add(name);
                try (Reader r = Files.newBufferedReader(target, SupervisionCsv.GBK)) {
                    boolean header = true;
                    for (CSVRecord rec : SupervisionCsv.READ.parse(r)) {
                        if (header) {
                            header = false;
                            continue;
                        }
                        String kind = switch (rec.get(1)) {
                            case "已受理" -> "ack";
                            case "办理中" -> "progress";
                            case "已办结" -> "result";
                            case "退回" -> "return";
                            default -> "?" + rec.get(1);
                        };
                        supervisionRows.computeIfAbsent(rec.get(0) + "|" + kind, k -> new CopyOnWriteArrayList<>()).add(name);
                    }
                }
            }
        } catch (IOException e) {
            problems.add("relay collecting results: " + e);
        }
    }

    // ------------------------------------------------------------------ load: grid (JMS)

    private ActiveMQConnectionFactory factory() {
        String options = "reconnectAttempts=0&callTimeout=5000&connectionTTL=10000&clientFailureCheckPeriod=2000";
        if (production != null && production.pair != null) {
            // a failed connection is given up and a new one made: the static list tries the live, then the backup
            return new ActiveMQConnectionFactory("(" + production.pair.liveUrl() + "," + production.pair.backupUrl()
                    + ")?ha=true&" + options);
        }
        return new ActiveMQConnectionFactory("tcp://127.0.0.1:" + o.brokerPort() + "?" + options);
    }

    private void gridLoop() {
        JMSContext ctx = null;
        String[] types = {"矛盾纠纷", "安全隐患", "社情民意", "求助"};
        while (loadOn) {
            String eventId = "EVC-" + runId + "-" + seq.incrementAndGet();
            int k = ThreadLocalRandom.current().nextInt(TOWNSHIPS.length);
            Texts.Text t = texts.next();
            ObjectNode r = JSON.createObjectNode();
            r.put("eventId", eventId);
            r.put("gridCode", "JZ-" + TOWNSHIPS[k][0] + "-0" + (10 + ThreadLocalRandom.current().nextInt(20)));
            r.put("reporterId", "W0317").put("reporterName", "王某");
            r.put("eventType", types[ThreadLocalRandom.current().nextInt(types.length)]);
            r.put("description", TOWNSHIPS[k][2] + "：" + t.title() + "。" + t.content());
            r.put("reportedAt", LocalDateTime.now(BEIJING).format(TIME));
            r.put("lat", PINS[k][0]).put("lon", PINS[k][1]);
            r.put("severity", 1 + ThreadLocalRandom.current().nextInt(2));
            String text = r.toString();
            boolean sent = false;
            long first = System.currentTimeMillis();
            while (!sent && running) {
                try {
                    if (ctx == null) ctx = factory().createContext("grid", brokerUsers.getProperty("grid"), JMSContext.AUTO_ACKNOWLEDGE);
                    attempts.computeIfAbsent("grid", x -> new AtomicInteger()).incrementAndGet();
                    ctx.createProducer().setDeliveryMode(jakarta.jms.DeliveryMode.PERSISTENT)
                            .send(ctx.createQueue("inbound.grid.reports"), text);
                    sent = true;
                    acked.computeIfAbsent("grid", x -> new ConcurrentHashMap<>())
                            .put(eventId, new Ack("grid", eventId, null, System.currentTimeMillis()));
                } catch (RuntimeException e) {
                    ctx = closeQuietly(ctx);
                    pause(1000);
                }
            }
            if (!sent) notAcked.computeIfAbsent("grid", x -> new AtomicInteger()).incrementAndGet();
            pause(800);
        }
        closeQuietly(ctx);
    }

    private void gridFeedbackLoop() {
        JMSContext ctx = null;
        JMSConsumer consumer = null;
        long connectedTo = 0; // the hub start whose embedded broker this connection belongs to
        Set<String> seen = ConcurrentHashMap.newKeySet(); // duplicate ids already counted
        while (running) {
            try {
                if (ctx != null && hub.upSince != connectedTo) ctx = closeQuietly(ctx); // the hub restarted: log in again
                if (ctx == null) {
                    if (hub.upSince == 0) {
                        pause(500);
                        continue;
                    }
                    connectedTo = hub.upSince;
                    ctx = factory().createContext("grid", brokerUsers.getProperty("grid"), JMSContext.SESSION_TRANSACTED);
                    consumer = ctx.createConsumer(ctx.createQueue("outbound.grid.feedback"));
                }
                Message m = consumer.receive(1000);
                if (m == null) continue;
                // Counted before the commit, by its duplicate id: a commit cut by a kill is redelivered,
                // and that redelivery is the same message, not a second feedback.
                String duplicateId = m.getStringProperty("_AMQ_DUPL_ID");
                JsonNode b = JSON.readTree(m.getBody(String.class));
                String kind = switch (b.path("status").asText()) {
                    case "已受理" -> "ack";
                    case "办理中" -> "progress";
                    case "已办结" -> "result";
                    case "退回" -> "return";
                    default -> "?" + b.path("status").asText();
                };
                if (duplicateId == null || seen.add(duplicateId)) {
                    gridFeedback.computeIfAbsent(b.path("eventId").asText() + "|" + kind, x -> new AtomicInteger()).incrementAndGet();
                }
                ctx.commit();
            } catch (Exception e) {
                ctx = closeQuietly(ctx);
                pause(1000);
            }
        }
        closeQuietly(ctx);
    }

    // ------------------------------------------------------------------ departments

    private List<String> orgs() {
        List<String> out = new ArrayList<>();
        for (String u : brokerUsers.stringPropertyNames()) if (u.matches("[DT]\\d\\d")) out.add(u);
        Collections.sort(out);
        return out;
    }

    /** A reply a department will send at {@code due}. */
    private record PendingReply(String taskId, String replyId, String type, long due) {}

    /**
     * One organisation: takes its task queue (transacted), records each task, answers accept in
     * the same transaction, and resolve 2–5 s later without looking at the hub, as a department
     * does. An accept the hub lost, or one overtaken by its resolve, shows as missing 办理中.
     */
    private void departmentLoop(String org) {
        String queue = (org.startsWith("D") ? "dept." : "township.") + org + ".tasks";
        JMSContext ctx = null;
        JMSConsumer consumer = null;
        long connectedTo = 0; // the hub start (upSince) this login's connection belongs to
        List<PendingReply> later = new ArrayList<>();
        while (running && departmentsOn) {
            try {
                if (ctx != null && hub.upSince != connectedTo) {
                    // The hub (and its embedded broker) restarted: a consumer of the old connection can
                    // go on returning nothing without ever failing, so log in again.
                    ctx = closeQuietly(ctx);
                }
                if (ctx == null) {
                    if (hub.upSince == 0) {
                        pause(500);
                        continue;
                    }
                    connectedTo = hub.upSince;
                    ctx = factory().createContext(org, brokerUsers.getProperty(org), JMSContext.SESSION_TRANSACTED);
                    consumer = ctx.createConsumer(ctx.createQueue(queue));
                }
                Queue replies = ctx.createQueue("hub.task.replies");
                JMSProducer producer = ctx.createProducer();
                long now = System.currentTimeMillis();
                for (var it = later.iterator(); it.hasNext(); ) {
                    PendingReply p = it.next();
                    long up = hub.upSince;
                    if (p.due() > now || up == 0 || now - up < 3000) continue;
                    // As a department does: resolve a few seconds after the accept, without looking at the
                    // hub (the accept may still be on its way, e.g. redelivered after a kill; the hub
                    // keeps 办理中 before 办结 for every source either way).
                    producer.send(replies, reply(p.replyId(), p.taskId(), org, p.type()));
                    ctx.commit();
                    repliesSent.incrementAndGet();
                    it.remove();
                }
                Message m = consumer.receive(500);
                if (m == null) continue;
                String type = m.getStringProperty("hubMessageType");
                if (type != null && !"task".equals(type)) {
                    ctx.commit();
                    continue;
                }
                JsonNode task = JSON.readTree(m.getBody(String.class));
                String taskId = task.path("taskId").asText();
                if (committedTasks.containsKey(taskId) && !uncertainCommits.contains(taskId)) {
                    // stored and committed before, so not answered again (keyed by taskId, as the contract asks)
                    ctx.commit();
                    taskDeliveries.computeIfAbsent(taskId, x -> new AtomicInteger()).incrementAndGet();
                    continue;
                }
                String caseId = task.path("caseId").asText();
                boolean again = committedTasks.containsKey(taskId);
                if (!again) {
                    // stored before the commit (the contract's rule): a commit whose outcome is unknown
                    // (the hub died meanwhile) must not leave the task without its resolve
                    committedTasks.put(taskId, new SeenTask(taskId, caseId, org, task.path("role").asText(),
                            task.path("round").asInt(), System.currentTimeMillis()));
                    later.add(new PendingReply(taskId, UUID.randomUUID().toString(), "resolve",
                            System.currentTimeMillis() + 2000 + ThreadLocalRandom.current().nextInt(3000)));
                }
                uncertainCommits.add(taskId);
                producer.send(replies, reply(UUID.randomUUID().toString(), taskId, org, "accept"));
                ctx.commit();
                uncertainCommits.remove(taskId);
                repliesSent.incrementAndGet();
            } catch (Exception e) {
                ctx = closeQuietly(ctx);
                pause(1000);
            }
        }
        if (!later.isEmpty()) problems.add(org + ": " + later.size() + " resolve replies not sent by the end");
        closeQuietly(ctx);
    }

    /** Task messages still on the department and township queues (browsed as the hub's user); -1 if unknown. */
    private int countTasksOnQueues() {
        try (JMSContext ctx = factory().createContext("hub", brokerUsers.getProperty("hub"), JMSContext.AUTO_ACKNOWLEDGE)) {
            int n = 0;
            for (String org : orgs()) {
                String queue = (org.startsWith("D") ? "dept." : "township.") + org + ".tasks";
                try (var browser = ctx.createBrowser(ctx.createQueue(queue), "hubMessageType = 'task'")) {
                    for (var e = browser.getEnumeration(); e.hasMoreElements(); e.nextElement()) n++;
                }
            }
            return n;
        } catch (Exception e) {
            return -1;
        }
    }

    /** The task's status in the hub's case file (GET /ops/cases/{caseId}); null when it cannot be read. */
    private static String reply(String replyId, String taskId, String org, String type) {
        ObjectNode r = JSON.createObjectNode();
        r.put("replyId", replyId).put("taskId", taskId).put("orgCode", org).put("type", type).put("handler", "混沌测试");
        if ("resolve".equals(type)) r.put("text", "您反映的问题已到现场核实并处理完毕，现已恢复正常。");
        return r.toString();
    }

    // ------------------------------------------------------------------ operations: triage

    private void operationsLoop() {
        while (running) {
            pause(4000);
            if (hub.upSince == 0) continue;
            try {
                HttpResponse<String> r = get(hubUrl() + "/ops/triage?limit=200", "operator:operator-demo");
                if (r.statusCode() != 200) continue;
                for (JsonNode c : JSON.readTree(r.body())) {
                    String caseId = c.path("caseId").asText();
                    JsonNode s = null;
                    for (JsonNode sug : c.path("suggestions")) {
                        if (sug.hasNonNull("leadOrg")) {
                            s = sug;
                            break;
                        }
                    }
                    ObjectNode d = JSON.createObjectNode();
                    d.put("category", s != null ? s.path("category").asText("民生服务") : "民生服务");
                    d.put("topic", s != null ? s.path("topic").asText("城乡建设") : "城乡建设");
                    d.put("leadOrg", s != null ? s.path("leadOrg").asText("D07") : "D07");
                    d.putArray("coOrgs");
                    String township = c.path("township").asText(null);
                    d.put("townshipCode", township == null || township.isBlank() ? "T01" : township);
                    HttpResponse<String> a = post(hubUrl() + "/ops/triage/" + caseId, d.toString(), "operator:operator-demo");
                    if (a.statusCode() == 200) triagePlaced.incrementAndGet();
                    else problems.add("triage " + caseId + ": HTTP " + a.statusCode() + " " + abbreviate(a.body()));
                }
            } catch (Exception e) {
                // the hub is down: next round
            }
        }
    }

    private HttpResponse<String> get(String url, String login) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(login.getBytes(StandardCharsets.UTF_8)))
                .GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> post(String url, String json, String login) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(login.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------ retry helper

    private static final class Refused extends Exception {
        Refused(String what) {
            super(what);
        }
    }

    private interface Attempt {
        /** The appeal id when the upstream may consider the item handed over; null to try again. */
        String call() throws Exception;
    }

    /** Sends the same item until it is acknowledged (as the upstream would), for as long as the run lasts. */
    private void retryUntilAcked(String channel, String item, Attempt attempt) {
        while (running) {
            attempts.computeIfAbsent(channel, k -> new AtomicInteger()).incrementAndGet();
            try {
                String appealId = attempt.call();
                if (appealId != null) {
                    acked.computeIfAbsent(channel, k -> new ConcurrentHashMap<>())
                            .put(item, new Ack(channel, item, appealId.isEmpty() ? null : appealId, System.currentTimeMillis()));
                    return;
                }
            } catch (Refused e) {
                problems.add(channel + " " + item + " refused as malformed: " + abbreviate(e.getMessage()));
                return;
            } catch (Exception e) {
                // connection refused / reset / time-out while the hub is down: the same item later
            }
            pause(500);
        }
        notAcked.computeIfAbsent(channel, k -> new AtomicInteger()).incrementAndGet();
    }

    // ------------------------------------------------------------------ the report

    /** What the database says about one source item. */
    record Found(String channel, String item, String appealId, String caseId, String caseStatus) {}

    int report(long loadSeconds) throws Exception {
        Map<String, Found> found = new HashMap<>();           // channel|item → found
        Map<String, List<String[]>> tasksOfCase = new HashMap<>(); // caseId → [taskId, org, role, round, status]
        Map<String, String> outboxState = new HashMap<>();    // channel|item|kind → statuses
        Set<String> evaluatedCases = new HashSet<>();
        Map<String, Integer> rawByStatus = new TreeMap<>();
        String url = production != null ? production.jdbcUrl() : "jdbc:h2:file:" + o.workDir().resolve("data/db/hub").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        try (Connection db = DriverManager.getConnection(url, production != null ? "postgres" : "hub", "");
             Statement st = db.createStatement()) {
            try (ResultSet rs = st.executeQuery("select s.channel, s.source_item_id, s.appeal_id, a.case_id, c.status "
                    + "from appeal_source s join appeal a on a.appeal_id = s.appeal_id join hub_case c on c.case_id = a.case_id")) {
                while (rs.next()) {
                    Found f = new Found(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5));
                    found.put(f.channel() + "|" + f.item(), f);
                }
            }
            try (ResultSet rs = st.executeQuery("select task_id, case_id, org_code, role, round, status from task")) {
                while (rs.next()) {
                    tasksOfCase.computeIfAbsent(rs.getString(2), k -> new ArrayList<>()).add(new String[] {
                            rs.getString(1), rs.getString(3), rs.getString(4), Integer.toString(rs.getInt(5)), rs.getString(6)});
                }
            }
            try (ResultSet rs = st.executeQuery("select channel, source_item_id, kind, status, last_error from feedback_outbox")) {
                while (rs.next()) outboxState.merge(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3),
                        rs.getString(4) + (rs.getString(5) == null || "DONE".equals(rs.getString(4)) ? ""
                                : " \"" + abbreviate(rs.getString(5)) + "\""), (a, b) -> a + "," + b);
            }
            try (ResultSet rs = st.executeQuery("select distinct case_id from case_event where type = 'evaluated'")) {
                while (rs.next()) evaluatedCases.add(rs.getString(1));
            }
            try (ResultSet rs = st.executeQuery("select parse_status, count(*) from raw_item group by parse_status")) {
                while (rs.next()) rawByStatus.put(rs.getString(1), rs.getInt(2));
            }
        }

        // pull channels: what the hub took from the upstreams
        for (var e : mocks.signed.entrySet()) {
            acked.computeIfAbsent("hotline12345 pull", k -> new ConcurrentHashMap<>())
                    .put(e.getKey(), new Ack("hotline12345 pull", e.getKey(), null, e.getValue()));
        }
        for (var e : mocks.boardTaken.entrySet()) {
            acked.computeIfAbsent("leaderboard", k -> new ConcurrentHashMap<>())
                    .put(e.getKey(), new Ack("leaderboard", e.getKey(), null, e.getValue()));
        }

        // feedback at the upstreams: channel|item|kind → [taken, repeats absorbed]
        Map<String, int[]> feedback = new HashMap<>();
        for (ChaosMocks.Call c : mocks.calls) {
            int[] n = feedback.computeIfAbsent(c.channel() + "|" + c.item() + "|" + c.kind(), k -> new int[2]);
            if (c.taken()) n[0]++;
            else n[1]++;
        }
        gridFeedback.forEach((k, v) -> feedback.computeIfAbsent("grid|" + k, x -> new int[2])[0] += v.get());
        int rowsInTwoFiles = 0;
        for (var e : supervisionRows.entrySet()) {
            feedback.computeIfAbsent("supervision|" + e.getKey(), x -> new int[2])[0] += e.getValue().size();
            if (new HashSet<>(e.getValue()).size() > 1) rowsInTwoFiles++;
        }

        // tasks the departments saw, per case
        Map<String, Set<String>> leadTasksSeen = new HashMap<>(); // caseId|round → taskIds
        for (SeenTask t : committedTasks.values()) {
            if ("lead".equals(String.valueOf(t.role()))) leadTasksSeen.computeIfAbsent(t.caseId() + "|" + t.round(), k -> new HashSet<>()).add(t.taskId());
        }
        Map<String, Integer> dupLeadByCase = new HashMap<>(); // caseId → extra lead tasks
        leadTasksSeen.forEach((k, v) -> {
            if (v.size() > 1) dupLeadByCase.merge(k.substring(0, k.indexOf('|')), v.size() - 1, Integer::sum);
        });

        String[] rows = {"hotline12345 push", "hotline12345 pull", "leaderboard", "miniprogram", "wechat", "supervision", "grid"};
        long now = System.currentTimeMillis();
        long stuckBefore = now - o.stuckAfter() * 1000L;
        List<String> details = new ArrayList<>();
        int totalLost = 0, totalStuck = 0, totalDupTask = 0, totalDupLead = 0, totalMissing = 0, totalDup = 0, windowDup = 0;
        int totalAbsorbed = 0;
        StringBuilder table = new StringBuilder();
        table.append(String.format("%-18s %7s %7s %5s %6s %8s %8s %8s %7s %9s %8s%n", "channel", "acked", "found", "lost",
                "stuck", "dupTask", "dupLead", "fbMiss", "fbDup", "fbWindow", "resent"));
        Set<String> casesCounted = new HashSet<>();
        for (String row : rows) {
            String channel = row.startsWith("hotline12345") ? "hotline12345" : row;
            Map<String, Ack> items = acked.getOrDefault(row, Map.of());
            int nFound = 0, lost = 0, stuck = 0, dupTask = 0, dupLead = 0, missing = 0, dup = 0, window = 0, absorbed = 0;
            List<String> owed = "hotline12345".equals(channel) || "wechat".equals(channel)
                    ? List.of("progress", "result") : List.of("ack", "progress", "result");
            for (Ack a : items.values()) {
                Found f = found.get(channel + "|" + a.item());
                if (f == null) {
                    lost++;
                    details.add(String.format("LOST %s %s (acked %s%s)", row, a.item(), ago(now, a.at()),
                            a.appealId() == null ? "" : ", answered appeal " + a.appealId()));
                    continue;
                }
                nFound++;
                if (a.appealId() != null && !a.appealId().equals(f.appealId())) {
                    details.add(String.format("MISMATCH %s %s: answered %s, stored %s", row, a.item(), a.appealId(), f.appealId()));
                }
                boolean old = a.at() < stuckBefore;
                if (old && !"RESOLVED".equals(f.caseStatus())) {
                    stuck++;
                    List<String[]> ts = tasksOfCase.getOrDefault(f.caseId(), List.of());
                    long undelivered = ts.stream().filter(t -> !committedTasks.containsKey(t[0])).count();
                    details.add(String.format("STUCK %s %s case %s %s, %d task(s) in the db, %d never delivered", row,
                            a.item(), f.caseId(), f.caseStatus(), ts.size(), undelivered));
                }
                for (String[] t : tasksOfCase.getOrDefault(f.caseId(), List.of())) {
                    AtomicInteger again = taskDeliveries.get(t[0]);
                    if (again != null && casesCounted.add("task|" + t[0])) {
                        dupTask += again.get();
                        details.add(String.format("DUP-TASK-ID %s %s task %s delivered %d more time(s) after it was committed",
                                row, a.item(), t[0], again.get()));
                    }
                }
                Integer extraLead = dupLeadByCase.get(f.caseId());
                if (extraLead != null && casesCounted.add("lead|" + f.caseId())) {
                    dupLead += extraLead;
                    details.add(String.format("DUP-LEAD %s %s case %s: %d lead tasks seen by departments", row, a.item(),
                            f.caseId(), extraLead + 1));
                }
                if (!old) continue;
                for (String kind : owed) {
                    int[] n = feedback.getOrDefault(channel + "|" + a.item() + "|" + kind, new int[2]);
                    absorbed += n[1];
                    boolean noKey = "wechat".equals(channel) || ("leaderboard".equals(channel) && !"result".equals(kind));
                    if (n[0] == 0 && "RESOLVED".equals(f.caseStatus())) {
                        missing++;
                        details.add(String.format("FB-MISSING %s %s %s (outbox: %s)", row, a.item(), kind,
                                outboxState.getOrDefault(channel + "|" + a.item() + "|" + kind, "no row")));
                    } else if (n[0] > 1) {
                        if (noKey) window += n[0] - 1;
                        else dup += n[0] - 1;
                        details.add(String.format("FB-DUP%s %s %s %s taken %d times", noKey ? "(window)" : "", row, a.item(),
                                kind, n[0]));
                    }
                }
            }
            totalLost += lost;
            totalStuck += stuck;
            totalDupTask += dupTask;
            totalDupLead += dupLead;
            totalMissing += missing;
            totalDup += dup;
            windowDup += window;
            totalAbsorbed += absorbed;
            table.append(String.format("%-18s %7d %7d %5d %6d %8d %8d %8d %7d %9d %8d%n", row, items.size(), nFound, lost,
                    stuck, dupTask, dupLead, missing, dup, window, absorbed));
        }
        // 12345 evaluations: each acknowledged one recorded in its case file
        Map<String, Ack> evals = acked.getOrDefault("hotline12345 evaluation", Map.of());
        int evalFound = 0;
        for (Ack a : evals.values()) {
            Found f = found.get("hotline12345|" + a.item());
            if (f != null && evaluatedCases.contains(f.caseId())) evalFound++;
            else details.add("LOST evaluation of " + a.item());
        }
        int evalLost = evals.size() - evalFound;
        totalLost += evalLost;
        table.append(String.format("%-18s %7d %7d %5d %6s %8s %8s %8s %7s %9s %8s%n", "12345 evaluation", evals.size(),
                evalFound, evalLost, "-", "-", "-", "-", "-", "-", "-"));

        // tasks in the database no department ever received
        int undeliveredTasks = 0;
        for (var e : tasksOfCase.entrySet()) {
            for (String[] t : e.getValue()) {
                if (!committedTasks.containsKey(t[0]) && !"CLOSED".equals(t[4])) {
                    undeliveredTasks++;
                    details.add(String.format("UNDELIVERED task %s (%s %s, %s) of case %s", t[0], t[1], t[2], t[4], e.getKey()));
                }
            }
        }
        totalStuck += 0; // counted per appeal above; undelivered tasks are shown on their own line

        System.out.println();
        System.out.println("==================================================== chaos run " + runId + " (seed " + o.seed() + ")");
        System.out.printf("profile %s%n", production == null ? "default (embedded Artemis, H2 file)"
                : "production (standalone " + production.distribution + ", PostgreSQL database " + production.database + ")");
        System.out.printf("load %d s (at least --duration; longer when the kills and restarts need it) on 6 channels, %d kill -9 of the hub, settle %d s, merging %s%n", loadSeconds, killLog.size(),
                o.settle(), o.merge() ? "on" : "off (the texts are real board messages; some are near-duplicates)");
        killLog.forEach(k -> System.out.println("  " + k));
        System.out.println();
        System.out.print(table);
        System.out.println();
        System.out.printf("tasks in the db never delivered to a department  %d (task messages still on their queues at the end: %s)%n",
                undeliveredTasks, tasksLeftOnQueues.get() < 0 ? "unknown" : Integer.toString(tasksLeftOnQueues.get()));
        System.out.printf("督查 result rows written in two files            %d (files collected by the relay: %d)%n", rowsInTwoFiles,
                supervisionFiles.size());
        System.out.printf("WeChat / board progress, no idempotency key:     %d duplicate message(s) reached the citizen%n", windowDup);
        System.out.printf("re-sent feedback absorbed by the upstream (12345 40901, mini-program 409, ALREADY_REPLIED): %d%n",
                totalAbsorbed);
        System.out.printf("items never acknowledged (given up at the end): %s; attempts %s%n", counts(notAcked), counts(attempts));
        System.out.printf("department replies sent %d, tasks received %d, triage placed by operations %d; raw items %s%n",
                repliesSent.get(), committedTasks.size(), triagePlaced.get(), rawByStatus);
        System.out.printf("hub log: %d replies refused as 'unknown task id', %d intake messages failing with 'no case', "
                        + "%d result batches found unfinished at a start, %d cases re-enqueued by intake recovery%n",
                grepAll(Pattern.compile("reply dead-lettered: unknown task id")),
                grepAll(Pattern.compile("^Caused by: java.lang.IllegalStateException: no case")),
                grepAll(BATCH_LEFT),
                grepAll(Pattern.compile("still waiting for dispatch: re-enqueued")));
        System.out.printf("mock: 12345 pending pages %d, still pending %d; board pulls %d, messages %d; unexpected calls %d%n",
                mocks.pendingPages.get(), mocks.pendingCount(), mocks.boardPulls.get(), mocks.boardSize(), mocks.unexpected.size());
        System.out.println();
        System.out.println("columns: acked = acknowledged to the upstream (push answered with an appeal id, pull order signed,");
        System.out.println("  board cursor moved past it, grid send succeeded, 督查 file moved out of the inbox); found = an");
        System.out.println("  appeal for it in the database; lost = acked but no appeal; stuck = acked more than " + o.stuckAfter()
                + " s before the end and its case not RESOLVED;");
        System.out.println("  dupTask = a task id delivered again after the department committed it; dupLead = extra lead tasks");
        System.out.println("  of one case and round; fbMiss = feedback owed (ack where the channel wants one, 办理中, 办结) that");
        System.out.println("  never reached the upstream; fbDup = taken twice where the upstream has a key (grid, 督查 rows);");
        System.out.println("  fbWindow = duplicates where the upstream has no idempotency key (WeChat, board 已受理/办理中);");
        System.out.println("  resent = repeats the upstream answered as already done.");
        System.out.println("PASS requires: lost 0, stuck 0, dupTask 0, dupLead 0, fbMiss 0, fbDup 0, 督查 rows in two files 0,");
        System.out.println("  undelivered tasks 0. fbWindow is reported, not judged (at-least-once without a key upstream).");
        List<String> shown = details.stream().sorted().toList();
        if (!shown.isEmpty()) {
            System.out.printf("%ndetails (%d, first 60):%n", shown.size());
            shown.stream().limit(60).forEach(d -> System.out.println("  " + d));
        }
        if (!problems.isEmpty() || !mocks.unexpected.isEmpty()) {
            System.out.println("\nproblems of the run itself:");
            problems.stream().limit(20).forEach(p -> System.out.println("  " + p));
            mocks.unexpected.stream().limit(10).forEach(p -> System.out.println("  mock: " + p));
        }
        Files.write(o.workDir().resolve("details.txt"), shown);
        boolean pass = totalLost == 0 && totalStuck == 0 && totalDupTask == 0 && totalDupLead == 0 && totalMissing == 0
                && totalDup == 0 && rowsInTwoFiles == 0 && undeliveredTasks == 0;
        System.out.println();
        System.out.printf("%s: lost %d, stuck %d, duplicate tasks %d (+%d lead), feedback missing %d, duplicated %d, 督查 rows twice %d, "
                        + "undelivered tasks %d%n", pass ? "PASS" : "FAIL", totalLost, totalStuck, totalDupTask, totalDupLead,
                totalMissing, totalDup, rowsInTwoFiles, undeliveredTasks);
        System.out.println("hub log: " + o.workDir().resolve("hub.log") + ", details: " + o.workDir().resolve("details.txt"));
        return pass ? 0 : 1;
    }

    private static String counts(Map<String, AtomicInteger> m) {
        Map<String, Integer> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.get()));
        return out.toString();
    }

    private static String ago(long now, long at) {
        return String.format("%.0f s before the end", (now - at) / 1000.0);
    }

    // ------------------------------------------------------------------ small things

    private Thread thread(String name, Runnable r) {
        Thread t = new Thread(() -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                problems.add(name + " died: " + e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static JMSContext closeQuietly(JMSContext ctx) {
        if (ctx != null) {
            try {
                ctx.close();
            } catch (RuntimeException ignored) {
                // already broken
            }
        }
        return null;
    }

    static String abbreviate(String s) {
        if (s == null) return "null";
        return s.length() <= 160 ? s : s.substring(0, 160) + "…";
    }

    static Options parse(String[] args) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("duration", "60");
        a.put("kills", "5");
        a.put("settle", "90");
        a.put("seed", Long.toString(System.currentTimeMillis() % 100_000));
        a.put("profile", "default");
        a.put("port", "18100");
        a.put("broker-port", "18161");
        a.put("mock-port", "18189");
        a.put("work-dir", "");
        a.put("jar", "target/appeal-hub-0.1.0-SNAPSHOT.jar");
        a.put("project-dir", ".");
        a.put("merge", "false");
        a.put("stuck-after", "60");
        a.put("push-threads", "3");
        a.put("java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        a.put("instances", "1");
        a.put("broker", "single");
        a.put("start-timeout", "120"); // seconds for each hub to be healthy: more on a machine others share
        BenchOptions.parse(args, a);
        Path project = Path.of(a.get("project-dir")).toAbsolutePath().normalize();
        Path work = a.get("work-dir").isBlank()
                ? Path.of(System.getProperty("java.io.tmpdir"), "appealhub-chaos-" + System.currentTimeMillis())
                : Path.of(a.get("work-dir")).toAbsolutePath();
        Path jar = project.resolve(a.get("jar")).normalize();
        if (!Files.isRegularFile(jar)) throw new IllegalArgumentException("jar not found: " + jar);
        try {
            return new Options(Integer.parseInt(a.get("duration")), Integer.parseInt(a.get("kills")),
                    Integer.parseInt(a.get("settle")), Long.parseLong(a.get("seed")), a.get("profile"),
                    Integer.parseInt(a.get("port")), Integer.parseInt(a.get("broker-port")), Integer.parseInt(a.get("mock-port")),
                    work, jar, project, Boolean.parseBoolean(a.get("merge")), Integer.parseInt(a.get("stuck-after")),
                    Integer.parseInt(a.get("push-threads")), a.get("java"), Integer.parseInt(a.get("instances")), a.get("broker"),
                    Integer.parseInt(a.get("start-timeout")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ texts

    /** Distinct appeal texts: real board messages when ../shared/data has them, else places × problems. */
    static final class Texts {
        record Text(String title, String content) {}

        private final List<Text> all;
        private final String source;
        private final AtomicInteger next = new AtomicInteger();

        private Texts(List<Text> all, String source) {
            this.all = all;
            this.source = source;
        }

        String source() {
            return source;
        }

        Text next() {
            int i = next.getAndIncrement();
            Text t = all.get(i % all.size());
            if (i < all.size()) return t;
            return new Text(t.title(), t.content() + "（第" + (i / all.size() + 1) + "次反映）");
        }

        static Texts load(Path csv, long seed) {
            List<Text> out = new ArrayList<>();
            if (Files.isRegularFile(csv)) {
                try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
                    for (CSVRecord rec : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
                        String content = rec.get("content").replaceAll("\\s+", " ").strip();
                        String title = rec.get("title").strip();
                        if (content.length() < 20) continue;
                        if (title.isEmpty()) title = content.substring(0, Math.min(24, content.length()));
                        if (content.length() > 400) content = content.substring(0, 400);
                        out.add(new Text(title, content));
                    }
                } catch (IOException | RuntimeException e) {
                    out.clear();
                }
            }
            if (!out.isEmpty()) {
                Collections.shuffle(out, new Random(seed));
                return new Texts(out, out.size() + " real messages from " + csv.normalize());
            }
            String[] places = {"滏阳花园", "冀城嘉园", "长安路社区", "霍家庄村", "前屯村", "张庄村", "刘家庄村", "大寨村", "孙家庄村", "河东村"};
            String[] problems = {"路灯坏了半个月没人修", "垃圾堆放多日无人清运", "自来水发黄有异味", "冬季供暖温度不达标",
                    "道路坑洼积水严重", "工地夜间施工噪音扰民", "农民工工资被拖欠", "小区电梯经常停运", "排水沟堵塞污水外溢", "违章搭建占用消防通道"};
            for (String p : places) for (String q : problems) out.add(new Text(p + q, p + q + "，多次反映没有解决，请相关部门尽快处理。"));
            Collections.shuffle(out, new Random(seed));
            return new Texts(out, out.size() + " combined places × problems");
        }
    }
}
