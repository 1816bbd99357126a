package appealhub.miniprogram;

import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays the mini-program backend: WireMock loaded with mocks/miniprogram/mappings (the status
 * callback with its bearer check, 409 and 503 answers), and a client that pushes reports to
 * the hub with the channel's bearer key like the backend does.
 */
public final class MiniprogramBackend implements AutoCloseable {
    public static final String API_KEY = "demo-miniprogram-key";
    public static final String CALLBACK_KEY = "demo-miniprogram-callback-key";
    public static final String CALLBACK_PATH = "/miniprogram/callback/report-status";
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final WireMockServer server;

    public MiniprogramBackend() {
        server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").port(TestHub.freePort())
                .usingFilesUnderDirectory("mocks/miniprogram"));
        server.start();
    }

    public WireMockServer wireMock() {
        return server;
    }

    /** {base} of the callback, as configured in hub.channels.miniprogram.base-url. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.port() + "/miniprogram";
    }

    public record Answer(int status, JsonNode body, HttpResponse<String> response) {
        public String appealId() {
            return body.path("appealId").asText(null);
        }

        String error() {
            return body.path("error").asText(null);
        }
    }

    public static Map<String, Object> report(String reportId, String description, Double lat, Double lng, String address) {
        Map<String, Object> location = new LinkedHashMap<>();
        if (lat != null) location.put("lat", lat);
        if (lng != null) location.put("lng", lng);
        if (address != null) location.put("address", address);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("reportId", reportId);
        r.put("openId", "oXyZ123");
        r.put("userName", "李女士");
        r.put("mobile", "13900000000");
        r.put("category", "environment");
        r.put("description", description);
        r.put("location", location);
        r.put("images", List.of("https://cdn.example/r/" + reportId + "/1.jpg"));
        r.put("submittedAt", "2025-04-09T09:12:33+08:00");
        return r;
    }

    /** The spec's example: garbage not collected at the gate of 滏阳花园 (冀州镇). */
    static Map<String, Object> garbage(String reportId) {
        return report(reportId, "小区门口垃圾堆放三天无人清运，气味很大", 37.5512, 115.5790, "冀州区冀州镇滏阳花园东门");
    }

    public Answer push(String hubUrl, Object report) {
        return push(hubUrl, bytes(report), "Bearer " + API_KEY);
    }

    Answer push(String hubUrl, byte[] body, String authorization) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hubUrl + "/api/miniprogram/reports"))
                    .header("Content-Type", "application/json;charset=UTF-8")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (authorization != null) b.header("Authorization", authorization);
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), JSON.readTree(r.body()), r);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A status callback as the backend received it. */
    record Callback(java.time.Instant at, JsonNode body, String authorization) {}

    /** The status callbacks the backend received for a report, in order. */
    List<Callback> received(String reportId) {
        // WireMock lists the most recent first.
        List<LoggedRequest> all = new java.util.ArrayList<>(server.getAllServeEvents().stream()
                .map(e -> e.getRequest()).filter(r -> r.getUrl().equals(CALLBACK_PATH)).toList());
        java.util.Collections.reverse(all);
        List<Callback> out = new java.util.ArrayList<>();
        for (LoggedRequest r : all) {
            JsonNode body;
            try {
                body = JSON.readTree(r.getBodyAsString());
            } catch (Exception e) {
                continue;
            }
            if (reportId.equals(body.path("reportId").asText())) {
                out.add(new Callback(r.getLoggedDate().toInstant(), body, r.getHeader("Authorization")));
            }
        }
        return out;
    }

    public List<JsonNode> callbacks(String reportId) {
        return received(reportId).stream().map(Callback::body).toList();
    }

    static byte[] bytes(Object value) {
        try {
            return value instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
