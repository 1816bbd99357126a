package appealhub.push;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.store.CaseStore;
import appealhub.store.RawItemStore;
import appealhub.support.Platform12345;
import appealhub.support.TestHub;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 14, items 10 and 12: the push endpoints' size, content-type and rate guard
 * (PushGuardFilter), as an upstream platform meets it: over HTTP, at a whole hub.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PushGuardTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PHONE = "13800000000";
    static final int LIMIT_12345 = 64 * 1024;

    Platform12345 platform;
    TestHub hub;
    final HttpClient http = HttpClient.newHttpClient();
    final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeAll
    void start(@TempDir Path data) {
        platform = new Platform12345();
        Map<String, Object> flags = new LinkedHashMap<>();
        flags.put("hub.push.channel-max-body-bytes.hotline12345", LIMIT_12345);
        flags.put("hub.push.channel-max-body-bytes.miniprogram", 32 * 1024);
        flags.put("hub.push.channel-max-body-bytes.wechat", 16 * 1024);
        flags.put("hub.push.stored-prefix-bytes", 256);
        // one source may send 30 at once, then one every 10 s: the last test floods
        flags.put("hub.push.rate-limit.burst", 30);
        flags.put("hub.push.rate-limit.per-second", 0.1);
        hub = new TestHub(data, platform.baseUrl(), flags).start();
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    }

    @AfterAll
    void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        if (hub != null) hub.close();
        if (platform != null) platform.close();
    }

    /** A 5 MB signed order: 413 with 12345's JSON code, never taken in, only its first bytes kept. */
    @Test
    @Order(1)
    void aHugeSignedOrderIsRefusedBeforeItIsRead() throws Exception {
        Map<String, Object> order = Platform12345.streetLight("GDHUGE0001");
        order.put("sqnr", "路灯坏了。".repeat(5 * 1024 * 1024 / 15));
        byte[] body = Platform12345.bytes(order);
        assertThat(body.length).isGreaterThan(5_000_000);
        long before = maxRawId();

        Platform12345.Answer answer = platform.push(hub.url("/api/hotline12345/workorders"), body,
                Instant.now().getEpochSecond(), Platform12345.SECRET);
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.body().path("code").asInt()).isEqualTo(41300);
        assertThat(answer.body().path("msg").asText()).contains("larger than " + LIMIT_12345);
        assertThat(hub.bean(CaseStore.class).appealIdBySource("hotline12345", "GDHUGE0001")).isEmpty();

        RawItemStore.RawItem kept = onlyRawAfter(before);
        assertThat(kept.status()).isEqualTo("REJECTED");
        assertThat(kept.body().length).isLessThanOrEqualTo(256);
        assertThat(kept.error()).contains("larger than");
        assertThat(jdbc().queryForObject("select body_bytes from raw_item where id = ?", Long.class, kept.id()))
                .isEqualTo((long) body.length);
    }

    /** Without a Content-Length (chunked), the body is read up to the limit and refused past it. */
    @Test
    @Order(2)
    void aChunkedBodyOverTheLimitIsCutOffAtTheLimit() throws Exception {
        byte[] body = new byte[LIMIT_12345 * 3];
        Arrays.fill(body, (byte) 'x');
        long before = maxRawId();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub.url("/api/hotline12345/evaluations")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(r.body()).path("code").asInt()).isEqualTo(41300);
        RawItemStore.RawItem kept = onlyRawAfter(before);
        assertThat(kept.kind()).isEqualTo("evaluation");
        assertThat(kept.body().length).isLessThanOrEqualTo(256);
    }

    /**
     * A form-encoded order: stored first (metadata and prefix), answered 415 in 12345's format, not
     * Spring's whitelabel 500; and the phone appears in no log line.
     */
    @Test
    @Order(3)
    void aFormEncodedOrderIsKeptAndAnswered415WithoutLoggingIt() throws Exception {
        logs.list.clear();
        Map<String, Object> order = Platform12345.streetLight("GDFORM0001");
        StringBuilder form = new StringBuilder();
        order.forEach((k, v) -> form.append(form.isEmpty() ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8)));
        byte[] body = form.toString().getBytes(StandardCharsets.UTF_8);
        long before = maxRawId();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub.url("/api/hotline12345/workorders")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Timestamp", Long.toString(Instant.now().getEpochSecond())).header("X-Nonce", "n-form-1")
                .header("X-Signature", "00").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode answer = JSON.readTree(r.body());
        assertThat(answer.path("code").asInt()).isEqualTo(41500);
        assertThat(answer.path("msg").asText()).contains("application/json");

        RawItemStore.RawItem kept = onlyRawAfter(before);
        assertThat(kept.status()).isEqualTo("REJECTED");
        assertThat(kept.contentType()).startsWith("application/x-www-form-urlencoded");
        assertThat(new String(kept.body(), StandardCharsets.UTF_8)).startsWith("gdbh=GDFORM0001");
        assertThat(jdbc().queryForObject("select body_sha256 from raw_item where id = ?", String.class, kept.id()))
                .isEqualTo(RawItemStore.sha256(body));
        assertThat(hub.bean(CaseStore.class).appealIdBySource("hotline12345", "GDFORM0001")).isEmpty();
        assertNoLogHolds(PHONE, URLEncoder.encode("张某", StandardCharsets.UTF_8), "张某");
    }

    /** A push that fails its signature is kept as metadata and a prefix, not whole. */
    @Test
    @Order(4)
    void anUnauthenticatedOrderIsKeptCut() throws Exception {
        Map<String, Object> order = Platform12345.streetLight("GDBADSIG01");
        order.put("sqnr", "路灯坏了。".repeat(2000));
        byte[] body = Platform12345.bytes(order);
        long before = maxRawId();
        Platform12345.Answer answer = platform.push(hub.url("/api/hotline12345/workorders"), body,
                Instant.now().getEpochSecond(), "not-the-secret");
        assertThat(answer.status()).isEqualTo(401);
        RawItemStore.RawItem kept = onlyRawAfter(before);
        assertThat(kept.status()).isEqualTo("REJECTED");
        assertThat(kept.body().length).isEqualTo(256);
        assertThat(jdbc().queryForObject("select body_bytes from raw_item where id = ?", Long.class, kept.id()))
                .isEqualTo((long) body.length);
        assertThat(jdbc().queryForObject("select body_sha256 from raw_item where id = ?", String.class, kept.id()))
                .isEqualTo(RawItemStore.sha256(body));
    }

    /** The mini-program in its own format ({"error": ...}); a good report still goes through. */
    @Test
    @Order(5)
    void theMiniProgramGetsItsOwnErrorBodies() throws Exception {
        HttpResponse<String> large = http.send(miniprogram("application/json", new byte[40 * 1024]), HttpResponse.BodyHandlers.ofString());
        assertThat(large.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(large.body()).path("error").asText()).contains("larger than");
        HttpResponse<String> xml = http.send(miniprogram("text/xml", "<report/>".getBytes(StandardCharsets.UTF_8)),
                HttpResponse.BodyHandlers.ofString());
        assertThat(xml.statusCode()).isEqualTo(415);
        assertThat(JSON.readTree(xml.body()).path("error").asText()).contains("text/xml");
        // JSON (with a charset) passes the guard and reaches the connector, which answers for the report itself
        HttpResponse<String> json = http.send(miniprogram("application/json;charset=UTF-8", "{}".getBytes(StandardCharsets.UTF_8)),
                HttpResponse.BodyHandlers.ofString());
        assertThat(json.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(json.body()).has("error")).isTrue();
    }

    /** WeChat is never answered an error: an oversized push is kept cut and answered "success". */
    @Test
    @Order(6)
    void weChatIsAnsweredSuccessForAnOversizedPush() throws Exception {
        long before = maxRawId();
        byte[] body = ("<xml><Content><![CDATA[" + "很长".repeat(10_000) + "]]></Content></xml>").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub.url(
                "/api/wechat?signature=x&timestamp=1&nonce=2&openid=oHuge-1"))).header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("success");
        RawItemStore.RawItem kept = onlyRawAfter(before);
        assertThat(kept.channel()).isEqualTo("wechat");
        assertThat(kept.status()).isEqualTo("REJECTED");
        assertThat(kept.body().length).isLessThanOrEqualTo(256);

        // a form never reaches Camel's binding: kept (prefix) and answered "success"
        long beforeForm = maxRawId();
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(hub.url(
                "/api/wechat?signature=x&timestamp=1&nonce=2&openid=oForm-1")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("Content=" + PHONE)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).isEqualTo("success");
        RawItemStore.RawItem formKept = onlyRawAfter(beforeForm);
        assertThat(formKept.status()).isEqualTo("REJECTED");
        assertThat(formKept.error()).contains("content type");
    }

    /** One source flooding: 429 with Retry-After in 12345's format; nothing of the flood is stored. */
    @Test
    @Order(100)
    void aFloodFromOneSourceGets429WithRetryAfter() throws Exception {
        long before = maxRawId();
        HttpResponse<String> refused = null;
        int sent = 0;
        while (refused == null && sent < 200) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(hub.url("/api/hotline12345/evaluations")))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            sent++;
            if (r.statusCode() == 429) refused = r;
        }
        assertThat(refused).as("a 429 within " + sent + " requests").isNotNull();
        assertThat(sent).isLessThanOrEqualTo(31);
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 10L);
        JsonNode body = JSON.readTree(refused.body());
        assertThat(body.path("code").asInt()).isEqualTo(42900);
        long stored = jdbc().queryForObject("select count(*) from raw_item where id > ?", Long.class, before);
        assertThat(stored).as("only the requests let through are stored").isEqualTo(sent - 1);

        // another channel's bucket is its own; WeChat is keyed by follower and answered "success" when over
        for (int i = 0; i < 31; i++) {
            HttpResponse<String> w = http.send(HttpRequest.newBuilder(URI.create(hub.url(
                    "/api/wechat?signature=x&timestamp=1&nonce=2&openid=oFlood-1"))).header("Content-Type", "text/xml")
                    .POST(HttpRequest.BodyPublishers.ofString("<xml/>")).build(), HttpResponse.BodyHandlers.ofString());
            if (i == 30) {
                assertThat(w.statusCode()).isEqualTo(200);
                assertThat(w.body()).isEqualTo("success");
            }
        }
    }

    private HttpRequest miniprogram(String contentType, byte[] body) {
        return HttpRequest.newBuilder(URI.create(hub.url("/api/miniprogram/reports")))
                .header("Content-Type", contentType).header("Authorization", "Bearer demo-miniprogram-key")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private void assertNoLogHolds(String... secrets) {
        for (ILoggingEvent e : List.copyOf(logs.list)) {
            StringBuilder all = new StringBuilder(e.getFormattedMessage());
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) all.append(' ').append(t.getMessage());
            for (String secret : secrets) assertThat(all.toString()).as(e.getLoggerName()).doesNotContain(secret);
        }
    }

    private JdbcTemplate jdbc() {
        return hub.bean(JdbcTemplate.class);
    }

    private long maxRawId() {
        Long max = jdbc().queryForObject("select max(id) from raw_item", Long.class);
        return max == null ? 0 : max;
    }

    private RawItemStore.RawItem onlyRawAfter(long id) {
        List<Long> ids = jdbc().queryForList("select id from raw_item where id > ? order by id", Long.class, id);
        assertThat(ids).hasSize(1);
        return hub.bean(RawItemStore.class).find(ids.get(0));
    }
}
