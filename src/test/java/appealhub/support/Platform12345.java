package appealhub.support;

import appealhub.connectors.hotline12345.Hotline12345Signature;
import appealhub.demo.hotline12345.Hotline12345MockOrders;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Plays the city 12345 platform: WireMock loaded with the mappings in mocks/hotline12345
 * (token, sign, reply, return and their error answers), and a client that pushes signed
 * orders and evaluations to the hub like the platform does.
 */
public final class Platform12345 implements AutoCloseable {
    public static final String SECRET = "demo-secret-change-me";
    public static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private WireMockServer server;
    private final int port;

    public Platform12345() {
        this(TestHub.freePort());
    }

    public Platform12345(int port) {
        this.port = port;
        start();
    }

    public void start() {
        try {
            server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").port(port)
                    .usingFilesUnderDirectory("mocks/hotline12345")
                    .extensions(new Hotline12345MockOrders(new File("mocks/hotline12345/sample-orders.json"))));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        server.start();
    }

    /** The platform goes down: connections are refused until {@link #start()}. */
    public void stop() {
        server.stop();
    }

    public WireMockServer wireMock() {
        return server;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public static Map<String, Object> order(String gdbh, String title, String content, String address) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("gdbh", gdbh);
        o.put("ldsj", "2025-04-09 08:31:02");
        o.put("ldrxm", "张某");
        o.put("lxdh", "13800000000");
        o.put("sfnm", "0");
        o.put("sqbt", title);
        o.put("sqnr", content);
        o.put("sqlx", "03");
        o.put("sfjj", "0");
        o.put("sqdz", address);
        o.put("ssqx", "冀州区");
        o.put("blsx", "2099-04-16 08:31:02");
        o.put("fj", java.util.List.of());
        return o;
    }

    /** A street-light order: lands on D16 综合行政执法局 by its topic 路灯. */
    public static Map<String, Object> streetLight(String gdbh) {
        return order(gdbh, "小区路灯不亮", "滏阳花园小区南门外的路灯坏了半个多月，晚上出行不安全。", "冀州区冀州镇滏阳花园");
    }

    public record Answer(int status, JsonNode body) {
        public String appealId() {
            return body.path("data").path("appealId").asText(null);
        }
    }

    public Answer push(String hubUrl, Object order) {
        return push(hubUrl + "/api/hotline12345/workorders", bytes(order), Instant.now().getEpochSecond(), SECRET);
    }

    public Answer evaluate(String hubUrl, Object evaluation) {
        return push(hubUrl + "/api/hotline12345/evaluations", bytes(evaluation), Instant.now().getEpochSecond(), SECRET);
    }

    public Answer push(String url, byte[] body, long timestamp, String secret) {
        String nonce = UUID.randomUUID().toString();
        String ts = Long.toString(timestamp);
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/json;charset=UTF-8")
                    .header("X-Timestamp", ts)
                    .header("X-Nonce", nonce)
                    .header("X-Signature", Hotline12345Signature.sign(secret, ts, nonce, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), JSON.readTree(r.body()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] bytes(Object value) {
        try {
            return value instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (server != null && server.isRunning()) server.stop();
    }
}
