package appealhub.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.connectors.hotline12345.Hotline12345Signature;
import appealhub.demo.wechat.WechatPushes;
import appealhub.support.Department;
import appealhub.support.Platform12345;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A corpus of bad input thrown at every way into the hub: the 12345 work-order and evaluation
 * pushes, the mini-program push, the WeChat push, department replies and grid reports on their
 * queues. It holds malformed JSON and XML, wrong charsets, XXE and entity expansion, oversize
 * bodies and over-length fields, bad, missing and replayed signatures, stale and future
 * timestamps, unknown codes, 4-byte and control characters, and script meant for the operations
 * pages.
 *
 * <p>Each case is answered as its channel's spec says:
 * <ul>
 *   <li>12345: 400 {"code":40001}, 401, 413, 415, or 200 with an appeal id for what is merely unusual;</li>
 *   <li>the mini-program: 400 {"error"}, 401, 413, 415, or 200;</li>
 *   <li>WeChat: always 200, `success` or the passive reply;</li>
 *   <li>queues: kept on a dead-letter queue with the reason.</li>
 * </ul>
 * Nothing gets a 5xx or Spring's whitelabel page. Every push is kept as a raw item, and none is
 * kept whole beyond the size limit. Afterwards every route is still started, /actuator/health is
 * UP, and no case is left unplaced. The count per channel is printed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputCorpusTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String MINIPROGRAM_KEY = "demo-miniprogram-key";
    private static final String WECHAT_TOKEN = "demo-wechat-token";
    private static final int SIX_MB = 6 * 1024 * 1024;
    private static final List<String> HOSTILE = List.of(
            "", "\u0000\u0007\u001b[31m", "😀🏠🚧𠀀", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
            "很".repeat(20_000), "' or 1=1 --", "${jndi:ldap://x/a}", "\r\n\r\nX-Injected: 1", "\uFEFF\u202E反转");

    TestHub hub;
    Platform12345 platform;
    Department department;
    final Map<String, Integer> casesPerChannel = new TreeMap<>();
    final AtomicInteger serial = new AtomicInteger();

    @BeforeAll
    void start(@TempDir Path data) {
        platform = new Platform12345();
        hub = new TestHub(data, platform.baseUrl(), Map.of(
                "hub.channels.wechat.base-url", "http://127.0.0.1:" + TestHub.freePort(),
                "hub.channels.miniprogram.base-url", "http://127.0.0.1:" + TestHub.freePort() + "/miniprogram",
                // the corpus comes from one address: rate limits are another test's business
                "hub.push.rate-limit.enabled", false)).start();
        department = new Department(hub.brokerUrl());
    }

    @AfterAll
    void stop() {
        System.out.println("bad-input corpus, cases per channel: " + casesPerChannel + ", total "
                + casesPerChannel.values().stream().mapToInt(Integer::intValue).sum());
        if (department != null) department.close();
        if (hub != null) hub.close();
        if (platform != null) platform.close();
    }

    record Answer(int status, String contentType, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                return null;
            }
        }
    }

    @Test
    void everyBadInputIsAnsweredPerItsSpecKeptSafelyAndLeavesTheHubHealthy() throws Exception {
        long rawBefore = rawItems();
        List<String> failures = new ArrayList<>();
        int pushes = 0;
        pushes += hotline12345(failures);
        pushes += evaluations(failures);
        pushes += miniprogram(failures);
        pushes += wechat(failures);
        int replies = departmentReplies();
        int reports = gridReports();

        assertThat(failures).as("cases answered against their spec").isEmpty();
        int total = casesPerChannel.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(total).as("cases in the corpus").isGreaterThanOrEqualTo(300);

        // Kept safely: every push is a raw item (refused ones too, as metadata and a prefix), none whole beyond the limit.
        JdbcTemplate jdbc = hub.bean(JdbcTemplate.class);
        int pushed = pushes;
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(rawItems() - rawBefore).as("raw items for the pushes").isGreaterThanOrEqualTo(pushed));
        Long biggest = jdbc.queryForObject("select coalesce(max(length(body)), 0) from raw_item", Long.class);
        assertThat(biggest).as("largest raw body kept").isLessThan(SIX_MB);

        // The queues' bad messages are kept with their reasons, none lost, none retried for ever.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(department.count("hub.dead.replies")).as("replies kept on hub.dead.replies").isEqualTo(replies));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(department.count("hub.dead.grid")).as("reports kept on hub.dead.grid").isEqualTo(reports));
        jakarta.jms.Message dead = department.receiveMessage("hub.dead.replies", 5000);
        assertThat(dead.getStringProperty("hubDeadReason")).as("the reason kept with the reply").isNotBlank();

        // Healthy afterwards: every route started, health UP, nothing waiting for placement.
        CamelContext camel = hub.bean(CamelContext.class);
        camel.getRoutes().forEach(r -> assertThat(camel.getRouteController().getRouteStatus(r.getRouteId()))
                .as(r.getRouteId()).isEqualTo(ServiceStatus.Started));
        HttpResponse<String> health = HTTP.send(hub.opsRequest("/actuator/health").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(health.body()).path("status").asText()).isEqualTo("UP");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select count(*) from hub_case where status = 'RECEIVED'", Integer.class)).as("cases not placed").isZero());
    }

    // ---- 12345 work orders ----

    private int hotline12345(List<String> failures) {
        String url = hub.url("/api/hotline12345/workorders");
        int n = 0;
        Predicate<Answer> malformed = a -> a.status() == 400 && code(a) == 40001 && !a.json().path("msg").asText().isEmpty();
        Predicate<Answer> acceptedOrMalformed = a -> malformed.test(a) || (a.status() == 200 && code(a) == 0
                && !a.json().path("data").path("appealId").asText().isEmpty());
        Predicate<Answer> unauthorized = a -> a.status() == 401;
        // malformed JSON, signed correctly
        for (String body : List.of("", "{", "}", "[]", "null", "\"x\"", "42", "{\"gdbh\":", "{\"gdbh\":\"G\"} trailing",
                "[".repeat(5000) + "]".repeat(5000), "{\"gdbh\":NaN}", "{'gdbh':'single quotes'}", "{\"gdbh\":\"\\ud800\"}",
                "<xml><gdbh>1</gdbh></xml>", "{\"a\":" + "{\"a\":".repeat(3000) + "1" + "}".repeat(3001))) {
            n += check(failures, "12345", "malformed " + shorten(body), signed12345(url, body.getBytes(StandardCharsets.UTF_8)), malformed);
        }
        // each field missing, null, of the wrong type, empty, over-long, hostile
        for (String field : List.of("gdbh", "ldsj", "ldrxm", "lxdh", "sfnm", "sqbt", "sqnr", "sqlx", "sfjj", "sqdz", "ssqx", "blsx", "fj")) {
            List<Object> values = new ArrayList<>(List.of(12345, List.of("x"), Map.of("x", 1), true));
            values.addAll(HOSTILE);
            Map<String, Object> missing = order();
            missing.remove(field);
            n += check(failures, "12345", field + " missing", signed12345(url, bytes(missing)), acceptedOrMalformed);
            Map<String, Object> isNull = order();
            isNull.put(field, null);
            n += check(failures, "12345", field + " null", signed12345(url, bytes(isNull)), acceptedOrMalformed);
            for (Object v : values) {
                Map<String, Object> o = order();
                o.put(field, v);
                n += check(failures, "12345", field + " = " + shorten(String.valueOf(v)), signed12345(url, bytes(o)), acceptedOrMalformed);
            }
        }
        // unknown codes and impossible dates
        for (Map.Entry<String, ?> e : List.<Map.Entry<String, ?>>of(Map.entry("sqlx", "99"), Map.entry("sfnm", "2"), Map.entry("sfjj", "yes"),
                Map.entry("ldsj", "2025-13-45 99:99:99"), Map.entry("blsx", "tomorrow"), Map.entry("ldsj", "2025-04-09T08:31:02Z"))) {
            Map<String, Object> o = order();
            o.put(e.getKey(), e.getValue());
            n += check(failures, "12345", e.getKey() + " = " + e.getValue(), signed12345(url, bytes(o)), malformed);
        }
        // charsets: a GBK body is not UTF-8
        n += check(failures, "12345", "GBK body", signed12345(url, gbk(order())), acceptedOrMalformed);
        // signatures and timestamps
        byte[] body = bytes(order());
        long now = Instant.now().getEpochSecond();
        n += check(failures, "12345", "no signature headers", post(url, "application/json", body, Map.of()), unauthorized);
        n += check(failures, "12345", "bad signature", post(url, "application/json", body, Map.of("X-Timestamp", "" + now,
                "X-Nonce", "n1", "X-Signature", "00".repeat(32))), unauthorized);
        n += check(failures, "12345", "other secret", signed12345(url, body, now, UUID.randomUUID().toString(), "not-the-secret"), unauthorized);
        n += check(failures, "12345", "stale timestamp", signed12345(url, body, now - 301, UUID.randomUUID().toString(), Platform12345.SECRET), unauthorized);
        // computed at the call, with a margin: "now" above is taken earlier, and a slow machine ate into a 1 s margin
        n += check(failures, "12345", "future timestamp", signed12345(url, body, Instant.now().getEpochSecond() + 600, UUID.randomUUID().toString(), Platform12345.SECRET), unauthorized);
        n += check(failures, "12345", "timestamp not a number", post(url, "application/json", body, Map.of("X-Timestamp", "soon",
                "X-Nonce", "n2", "X-Signature", Hotline12345Signature.sign(Platform12345.SECRET, "soon", "n2", body))), unauthorized);
        String nonce = UUID.randomUUID().toString();
        n += check(failures, "12345", "first use of a nonce", signed12345(url, body, now, nonce, Platform12345.SECRET), acceptedOrMalformed);
        n += check(failures, "12345", "a used nonce on another body", signed12345(url, bytes(order()), now, nonce, Platform12345.SECRET),
                unauthorized);
        // sizes and content types
        byte[] huge = bytes(withContent(order(), "很".repeat(SIX_MB / 3)));
        n += check(failures, "12345", "6 MB order", signed12345(url, huge), a -> a.status() == 413 && a.json() != null && a.json().has("code"));
        for (String type : List.of("application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x", "application/xml")) {
            n += check(failures, "12345", "content type " + type, signed12345(url, body, type),
                    a -> (a.status() == 415 || a.status() == 400) && a.json() != null && a.json().has("code"));
        }
        return n;
    }

    private int evaluations(List<String> failures) {
        String url = hub.url("/api/hotline12345/evaluations");
        int n = 0;
        Predicate<Answer> answered = a -> (a.status() == 400 && code(a) == 40001) || (a.status() == 200 && code(a) == 0)
                || (a.status() == 404 && a.json() != null && a.json().has("code"));
        for (String body : List.of("", "{", "[]", "null", "{\"gdbh\":", "<xml/>")) {
            n += check(failures, "12345 evaluation", "malformed " + shorten(body), signed12345(url, body.getBytes(StandardCharsets.UTF_8)),
                    a -> a.status() == 400 && code(a) == 40001);
        }
        for (String field : List.of("gdbh", "myd", "hfsj", "hfnr")) {
            List<Object> values = new ArrayList<>(List.of(7, List.of(), "很满意"));
            values.addAll(HOSTILE);
            for (Object v : values) {
                Map<String, Object> e = evaluation();
                e.put(field, v);
                n += check(failures, "12345 evaluation", field + " = " + shorten(String.valueOf(v)), signed12345(url, bytes(e)), answered);
            }
        }
        n += check(failures, "12345 evaluation", "unsigned", post(url, "application/json", bytes(evaluation()), Map.of()), a -> a.status() == 401);
        return n;
    }

    // ---- mini-program ----

    private int miniprogram(List<String> failures) {
        String url = hub.url("/api/miniprogram/reports");
        Map<String, String> auth = Map.of("Authorization", "Bearer " + MINIPROGRAM_KEY);
        int n = 0;
        Predicate<Answer> refused = a -> a.status() == 400 && a.json() != null && !a.json().path("error").asText().isEmpty();
        Predicate<Answer> acceptedOrRefused = a -> refused.test(a)
                || (a.status() == 200 && a.json() != null && !a.json().path("appealId").asText().isEmpty());
        for (String body : List.of("", "{", "[]", "null", "\"x\"", "{\"reportId\":", "[".repeat(5000), "<report/>")) {
            n += check(failures, "miniprogram", "malformed " + shorten(body), post(url, "application/json",
                    body.getBytes(StandardCharsets.UTF_8), auth), refused);
        }
        for (String field : List.of("reportId", "openId", "userName", "mobile", "category", "description", "location", "images", "submittedAt")) {
            List<Object> values = new ArrayList<>(List.of(5, List.of(1), Map.of()));
            values.addAll(HOSTILE);
            for (Object v : values) {
                Map<String, Object> r = report();
                r.put(field, v);
                n += check(failures, "miniprogram", field + " = " + shorten(String.valueOf(v)), post(url, "application/json", bytes(r), auth),
                        acceptedOrRefused);
            }
            Map<String, Object> r = report();
            r.remove(field);
            n += check(failures, "miniprogram", field + " missing", post(url, "application/json", bytes(r), auth), acceptedOrRefused);
        }
        n += check(failures, "miniprogram", "no key", post(url, "application/json", bytes(report()), Map.of()), a -> a.status() == 401);
        n += check(failures, "miniprogram", "wrong key", post(url, "application/json", bytes(report()),
                Map.of("Authorization", "Bearer nope")), a -> a.status() == 401);
        n += check(failures, "miniprogram", "6 MB report", post(url, "application/json",
                bytes(withDescription(report(), "很".repeat(SIX_MB / 3))), auth), a -> a.status() == 413);
        n += check(failures, "miniprogram", "form body", post(url, "application/x-www-form-urlencoded",
                "reportId=1&description=x".getBytes(StandardCharsets.UTF_8), auth), a -> a.status() == 415 || a.status() == 400);
        return n;
    }

    // ---- WeChat: always `success` (or the passive reply), never an error ----

    private int wechat(List<String> failures) {
        int n = 0;
        Predicate<Answer> success = a -> a.status() == 200 && (a.body().equals("success") || a.body().startsWith("<xml>"));
        String openid = "oCorpus" + serial.incrementAndGet();
        List<String> bodies = new ArrayList<>(List.of("", "<xml", "not xml", "<xml></xml>", "<xml><MsgType>text</MsgType></xml>",
                "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><xml><Content>&e;</Content></xml>",
                "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                        + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]><xml><Content>&d;</Content></xml>",
                "<xml>" + "<a>".repeat(5000) + "</a>".repeat(5000) + "</xml>",
                "{\"MsgType\":\"text\"}"));
        for (String content : HOSTILE) {
            bodies.add(WechatPushes.text("gh_3f2a1b0c9d8e", openid, Instant.now().getEpochSecond(), content, nextMsgId()));
        }
        for (String type : List.of("video", "voice", "shortvideo", "link", "file", "unknown-type")) {
            bodies.add("<xml><ToUserName>gh_3f2a1b0c9d8e</ToUserName><FromUserName>" + openid + "</FromUserName><CreateTime>"
                    + Instant.now().getEpochSecond() + "</CreateTime><MsgType>" + type + "</MsgType><MsgId>" + nextMsgId() + "</MsgId></xml>");
        }
        bodies.add(WechatPushes.location("gh_3f2a1b0c9d8e", openid, Instant.now().getEpochSecond(), 999, -999, "nowhere", nextMsgId()));
        bodies.add(WechatPushes.text("gh_3f2a1b0c9d8e", "oSomeoneElse", Instant.now().getEpochSecond(), "冒名", nextMsgId()));
        for (String body : bodies) {
            n += check(failures, "wechat", "body " + shorten(body), wechatPush(body.getBytes(StandardCharsets.UTF_8), openid, WECHAT_TOKEN,
                    Instant.now().getEpochSecond(), "text/xml"), success);
        }
        byte[] good = WechatPushes.text("gh_3f2a1b0c9d8e", openid, Instant.now().getEpochSecond(), "路灯坏了", nextMsgId())
                .getBytes(StandardCharsets.UTF_8);
        n += check(failures, "wechat", "GBK body", wechatPush(new String(good, StandardCharsets.UTF_8).getBytes(Charset.forName("GBK")),
                openid, WECHAT_TOKEN, Instant.now().getEpochSecond(), "text/xml"), success);
        n += check(failures, "wechat", "6 MB body", wechatPush(("<xml><Content>" + "很".repeat(SIX_MB / 3) + "</Content></xml>")
                .getBytes(StandardCharsets.UTF_8), openid, WECHAT_TOKEN, Instant.now().getEpochSecond(), "text/xml"), success);
        n += check(failures, "wechat", "form body", wechatPush("a=b".getBytes(StandardCharsets.UTF_8), openid, WECHAT_TOKEN,
                Instant.now().getEpochSecond(), "application/x-www-form-urlencoded"), success);
        n += check(failures, "wechat", "stale timestamp", wechatPush(good, openid, WECHAT_TOKEN, Instant.now().getEpochSecond() - 3600,
                "text/xml"), success);
        n += check(failures, "wechat", "future timestamp", wechatPush(good, openid, WECHAT_TOKEN, Instant.now().getEpochSecond() + 3600,
                "text/xml"), success);
        // Signatures: another token, none at all, one made for another nonce. Answered success, never taken in.
        Predicate<Answer> refused = a -> a.status() == 200 && a.body().equals("success");
        n += check(failures, "wechat", "bad signature", wechatPush(good, openid, "not-the-token", Instant.now().getEpochSecond(),
                "text/xml"), refused);
        long ts = Instant.now().getEpochSecond();
        n += check(failures, "wechat", "missing signature", post(hub.url("/api/wechat?timestamp=" + ts + "&nonce=n" + ts + "&openid="
                + openid), "text/xml", good, Map.of()), refused);
        String otherNonce = WechatPushes.signedQuery(WECHAT_TOKEN, ts, "nonce-a", openid).replace("nonce=nonce-a", "nonce=nonce-b");
        n += check(failures, "wechat", "signature of another nonce", post(hub.url("/api/wechat?" + otherNonce), "text/xml", good, Map.of()),
                refused);
        // Replayed: one signed query, taken once; again with another body and with the same body, refused.
        String nonce = "replay-" + UUID.randomUUID().toString().substring(0, 8);
        String query = WechatPushes.signedQuery(WECHAT_TOKEN, ts, nonce, openid);
        String first = nextMsgId();
        String forged = nextMsgId();
        byte[] firstBody = WechatPushes.text("gh_3f2a1b0c9d8e", openid, ts, "冀州镇路灯不亮", first).getBytes(StandardCharsets.UTF_8);
        n += check(failures, "wechat", "signed push", post(hub.url("/api/wechat?" + query), "text/xml", firstBody, Map.of()),
                a -> a.status() == 200 && a.body().startsWith("<xml>"));
        n += check(failures, "wechat", "replayed nonce, another body", post(hub.url("/api/wechat?" + query), "text/xml",
                WechatPushes.text("gh_3f2a1b0c9d8e", openid, ts, "伪造", forged).getBytes(StandardCharsets.UTF_8), Map.of()), refused);
        n += check(failures, "wechat", "replayed nonce, same body", post(hub.url("/api/wechat?" + query), "text/xml", firstBody,
                Map.of()), refused);
        if (hub.bean(appealhub.store.CaseStore.class).appealIdBySource("wechat", forged).isPresent()) {
            failures.add("wechat / replayed nonce, another body: taken in");
        }
        return n;
    }

    // ---- queues: department replies and grid reports ----

    private int departmentReplies() {
        List<String> bad = new ArrayList<>(List.of("", "{", "[]", "null", "not json", "{\"replyId\":\"r\"}",
                "{\"replyId\":\"r1\",\"taskId\":\"TK-NONE\",\"orgCode\":\"D16\",\"type\":\"accept\"}",
                "{\"replyId\":\"r2\",\"taskId\":\"TK-NONE\",\"orgCode\":\"D16\",\"type\":\"explode\"}",
                "{\"replyId\":\"" + "r".repeat(129) + "\",\"taskId\":\"TK-NONE\",\"orgCode\":\"D16\",\"type\":\"accept\"}",
                "{\"replyId\":\"r3\",\"taskId\":\"TK-NONE\",\"orgCode\":\"D16\",\"type\":\"resolve\"}",
                "{\"replyId\":\"r4\",\"taskId\":\"TK-NONE\",\"orgCode\":\"D16\",\"type\":\"return\"}",
                "{\"replyId\":\"r5\\u0000\\u001b[31m\",\"taskId\":\"TK\\u0007\",\"orgCode\":\"D16\",\"type\":\"accept\"}",
                "{\"replyId\":\"r6\",\"taskId\":\"<script>alert(1)</script>\",\"orgCode\":\"D16\",\"type\":\"accept\"}",
                "{\"replyId\":\"r7\",\"taskId\":\"TK-NONE\",\"orgCode\":\"D16\",\"type\":\"progress\",\"text\":\"" + "很".repeat(20_000) + "\"}"));
        for (String body : bad) department.sendAs("D16", "hub.task.replies", body);
        casesPerChannel.merge("department replies", bad.size(), Integer::sum);
        return bad.size();
    }

    private int gridReports() {
        List<String> bad = new ArrayList<>(List.of("", "{", "[]", "null", "<report/>",
                "{\"eventId\":\"EV-BAD-1\"}"));
        for (Map.Entry<String, ?> e : List.<Map.Entry<String, ?>>of(Map.entry("severity", 4), Map.entry("severity", "high"),
                Map.entry("eventType", "外星人"), Map.entry("gridCode", "XX-99-999"), Map.entry("reportedAt", "yesterday"),
                Map.entry("eventId", "E".repeat(200)), Map.entry("eventId", ""), Map.entry("lat", "north"))) {
            Map<String, Object> r = new LinkedHashMap<>(gridReport("EV-BAD-" + serial.incrementAndGet()));
            r.put(e.getKey(), e.getValue());
            bad.add(toJson(r));
        }
        for (String body : bad) department.send("inbound.grid.reports", body);
        casesPerChannel.merge("grid", bad.size(), Integer::sum);
        return bad.size();
    }

    // ---- helpers ----

    private int check(List<String> failures, String channel, String name, Answer answer, Predicate<Answer> expected) {
        casesPerChannel.merge(channel, 1, Integer::sum);
        boolean whitelabel = answer.body() != null && answer.body().contains("Whitelabel Error Page");
        if (answer.status() >= 500 || whitelabel || !expected.test(answer)) {
            failures.add(channel + " / " + name + ": HTTP " + answer.status() + " " + shorten(answer.body()));
        }
        return 1;
    }

    private Answer signed12345(String url, byte[] body) {
        return signed12345(url, body, Instant.now().getEpochSecond(), UUID.randomUUID().toString(), Platform12345.SECRET);
    }

    private Answer signed12345(String url, byte[] body, String contentType) {
        String ts = Long.toString(Instant.now().getEpochSecond());
        String nonce = UUID.randomUUID().toString();
        return post(url, contentType, body, Map.of("X-Timestamp", ts, "X-Nonce", nonce,
                "X-Signature", Hotline12345Signature.sign(Platform12345.SECRET, ts, nonce, body)));
    }

    private Answer signed12345(String url, byte[] body, long timestamp, String nonce, String secret) {
        String ts = Long.toString(timestamp);
        return post(url, "application/json;charset=UTF-8", body, Map.of("X-Timestamp", ts, "X-Nonce", nonce,
                "X-Signature", Hotline12345Signature.sign(secret, ts, nonce, body)));
    }

    private Answer wechatPush(byte[] body, String openid, String token, long timestamp, String contentType) {
        String query = WechatPushes.signedQuery(token, timestamp, UUID.randomUUID().toString().substring(0, 8), openid);
        return post(hub.url("/api/wechat?" + query), contentType, body, Map.of());
    }

    private Answer post(String url, String contentType, byte[] body, Map<String, String> headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(b::header);
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
        } catch (java.io.IOException e) {
            // a server closing the connection on an oversize body before reading it is an answer too
            return new Answer(-1, "", "connection closed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private long rawItems() {
        return hub.bean(JdbcTemplate.class).queryForObject("select count(*) from raw_item", Long.class);
    }

    private Map<String, Object> order() {
        return Platform12345.order("GDCORPUS" + serial.incrementAndGet(), "小区路灯不亮",
                "滏阳花园小区南门外的路灯坏了半个多月，晚上出行不安全。", "冀州区冀州镇滏阳花园");
    }

    private static Map<String, Object> withContent(Map<String, Object> order, String content) {
        order.put("sqnr", content);
        return order;
    }

    private Map<String, Object> evaluation() {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("gdbh", "GDCORPUS-EVAL-" + serial.incrementAndGet());
        e.put("myd", "满意");
        e.put("hfsj", "2025-04-10 10:00:00");
        e.put("hfnr", "回访");
        return e;
    }

    private Map<String, Object> report() {
        Map<String, Object> location = new LinkedHashMap<>();
        location.put("lat", 37.5512);
        location.put("lng", 115.5790);
        location.put("address", "冀州区冀州镇滏阳花园东门");
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("reportId", "RP-CORPUS-" + serial.incrementAndGet());
        r.put("openId", "oXyZ123");
        r.put("userName", "李女士");
        r.put("mobile", "13900000000");
        r.put("category", "environment");
        r.put("description", "小区门口垃圾堆放三天无人清运，气味很大");
        r.put("location", location);
        r.put("images", List.of("https://cdn.example/r/1.jpg"));
        r.put("submittedAt", "2025-04-09T09:12:33+08:00");
        return r;
    }

    private static Map<String, Object> withDescription(Map<String, Object> report, String description) {
        report.put("description", description);
        return report;
    }

    private static Map<String, Object> gridReport(String eventId) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("eventId", eventId);
        r.put("gridCode", "JZ-03-017");
        r.put("reporterId", "W0317");
        r.put("reporterName", "王某");
        r.put("eventType", "矛盾纠纷");
        r.put("description", "前屯村两户因宅基地边界发生争执");
        r.put("reportedAt", "2025-04-09 10:20:00");
        r.put("lat", 37.52);
        r.put("lon", 115.49);
        r.put("severity", 2);
        return r;
    }

    private String nextMsgId() {
        return Long.toString(9_000_000_000_000_000L + serial.incrementAndGet());
    }

    private static int code(Answer a) {
        JsonNode json = a.json();
        return json == null ? Integer.MIN_VALUE : json.path("code").asInt(Integer.MIN_VALUE);
    }

    private static byte[] bytes(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String toJson(Object value) {
        return new String(bytes(value), StandardCharsets.UTF_8);
    }

    private static byte[] gbk(Object value) {
        return toJson(value).getBytes(Charset.forName("GBK"));
    }

    private static String shorten(String s) {
        if (s == null) return "null";
        String flat = s.replaceAll("\\p{Cntrl}", "?");
        return flat.length() > 60 ? flat.substring(0, 60) + "…(" + flat.length() + ")" : flat;
    }
}
