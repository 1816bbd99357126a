package appealhub.wechat;

import appealhub.demo.wechat.WechatPushes;
import appealhub.support.TestHub;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plays WeChat: a WireMock with the mappings of mocks/wechat (token, customer-service send and
 * their error answers), and a client that pushes signed XML messages to the hub's /api/wechat.
 */
public final class WechatPlatform implements AutoCloseable {
    public static final String TOKEN = "demo-wechat-token";
    public static final String ACCOUNT = "gh_3f2a1b0c9d8e";
    private static final Pattern APPEAL_ID = Pattern.compile("您的诉求已受理，编号 (AP[0-9A-Z]+)");
    private static final AtomicLong MSG_IDS = new AtomicLong(24518326748000000L + System.nanoTime() % 1_000_000 * 1000);

    private final HttpClient http = HttpClient.newHttpClient();
    private final WireMockServer server;

    public WechatPlatform() {
        server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").port(TestHub.freePort())
                .usingFilesUnderDirectory("mocks/wechat"));
        server.start();
    }

    public WireMockServer wireMock() {
        return server;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    public static String nextMsgId() {
        return Long.toString(MSG_IDS.incrementAndGet());
    }

    public static long now() {
        return Instant.now().getEpochSecond();
    }

    public record Answer(int status, String contentType, String body) {
        public String appealId() {
            Matcher m = APPEAL_ID.matcher(body);
            return m.find() ? m.group(1) : null;
        }
    }

    /** A push signed with the right token. */
    public Answer push(String hubUrl, String xml, String openid) {
        return push(hubUrl, xml.getBytes(StandardCharsets.UTF_8), openid, TOKEN);
    }

    public Answer push(String hubUrl, byte[] body, String openid, String token) {
        String query = WechatPushes.signedQuery(token, now(), UUID.randomUUID().toString().substring(0, 8), openid);
        return send(HttpRequest.newBuilder(URI.create(hubUrl + "/api/wechat?" + query))
                .header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** A push with the query as given (timestamp, nonce and openid chosen by the test), signed with the right token. */
    public Answer push(String hubUrl, String xml, long timestamp, String nonce, String queryOpenid) {
        String query = WechatPushes.signedQuery(TOKEN, timestamp, nonce, queryOpenid);
        return send(HttpRequest.newBuilder(URI.create(hubUrl + "/api/wechat?" + query))
                .header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofByteArray(xml.getBytes(StandardCharsets.UTF_8))).build());
    }

    public Answer verify(String hubUrl, String query) {
        return send(HttpRequest.newBuilder(URI.create(hubUrl + "/api/wechat?" + query)).GET().build());
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
