package appealhub.leaderboard;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import appealhub.demo.leaderboard.LeaderboardMockMessages;
import appealhub.demo.leaderboard.LeaderboardMockSignatureCheck;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.LoggedResponse;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.File;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plays a leader message board: WireMock with the mappings of mocks/leaderboard (signature form,
 * progress, reply, error answers), the exact signature check of the mock board, and a message
 * feed the test writes to ({@link #post}): GET /open/messages?since=&limit= answers the messages
 * after the cursor, nextCursor "createTime-tid" of the last one, like the real board.
 */
public final class LeaderboardBoard implements AutoCloseable {
    public static final String APP_ID = "jizhou-hub";
    public static final String SECRET = "demo-leaderboard-secret";
    public static final ObjectMapper JSON = new ObjectMapper();
    static final String AUTH_FORM = "HMAC [A-Za-z0-9_.-]+:[A-Za-z0-9+/]{27}=";

    private final List<ObjectNode> messages = new CopyOnWriteArrayList<>();
    private final WireMockServer server;
    private final int port;

    public LeaderboardBoard() {
        this.port = TestHub.freePort();
        try {
            server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").port(port)
                    .usingFilesUnderDirectory("mocks/leaderboard")
                    .extensions(new LeaderboardMockSignatureCheck(APP_ID, SECRET),
                            new LeaderboardMockMessages(new File("mocks/leaderboard/sample-messages.json")),
                            new Feed()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        server.start();
        // Outranks the demo generator of mocks/leaderboard: this board serves what the test posted.
        server.stubFor(get(urlPathEqualTo("/open/messages")).atPriority(1)
                .withHeader("Authorization", matching(AUTH_FORM))
                .willReturn(aResponse().withTransformers("test-board-feed")));
    }

    public WireMockServer wireMock() {
        return server;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Hub settings that point the channel at this board and poll it often. */
    public Map<String, Object> hubSettings(int limit) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hub.channels.leaderboard.base-url", baseUrl());
        m.put("hub.channels.leaderboard.pull.enabled", true);
        m.put("hub.channels.leaderboard.pull.initial-delay-ms", 500);
        m.put("hub.channels.leaderboard.pull.interval-ms", 400);
        m.put("hub.channels.leaderboard.pull.limit", limit);
        m.put("hub.channels.leaderboard.http.response-timeout-ms", 2000);
        m.put("camel.resilience4j.configurations.leaderboard.wait-duration-in-open-state", 1);
        return m;
    }

    /** A citizen writes on the board. */
    public ObjectNode post(ObjectNode message) {
        messages.add(message);
        return message;
    }

    /** Several citizens write at the same moment (one page can hold them all). */
    public void post(ObjectNode... several) {
        messages.addAll(List.of(several));
    }

    public static ObjectNode message(long tid, String title, String contentHtml, String area) {
        ObjectNode m = JSON.createObjectNode();
        m.put("tid", tid);
        m.put("title", title);
        m.put("content", contentHtml);
        m.put("forumName", "衡水市委书记");
        m.put("area", area);
        m.put("nickName", "网友" + Long.toHexString(tid));
        m.put("phone", "");
        m.put("domainName", "城建");
        m.put("typeName", "投诉");
        m.put("createTime", 1712649600000L + tid);
        m.putArray("attachments");
        return m;
    }

    public static String cursorOf(JsonNode message) {
        return message.path("createTime").asLong() + "-" + message.path("tid").asLong();
    }

    /** Requests the board received, oldest first. */
    public List<LoggedRequest> requests(String method, String pathPrefix) {
        return server.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getMethod().getName().equals(method) && e.getRequest().getUrl().startsWith(pathPrefix))
                .sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate()))
                .map(ServeEvent::getRequest)
                .toList();
    }

    /** GET /open/messages serve events, oldest first, with what was answered. */
    public List<ServeEvent> pulls() {
        return server.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().startsWith("/open/messages?") || e.getRequest().getUrl().equals("/open/messages"))
                .sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate()))
                .toList();
    }

    public static String since(ServeEvent pull) {
        QueryParameter since = pull.getRequest().queryParameter("since");
        return since.isPresent() ? since.firstValue() : null;
    }

    public static int status(ServeEvent pull) {
        LoggedResponse r = pull.getResponse();
        return r == null ? 0 : r.getStatus();
    }

    /** Bodies POSTed to a path, as JSON. */
    public List<JsonNode> bodies(String path) {
        return requests("POST", path).stream().map(r -> {
            try {
                return JSON.readTree(r.getBodyAsString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    @Override
    public void close() {
        if (server.isRunning()) server.stop();
    }

    /** The board's message list, paged by cursor. */
    private final class Feed implements ResponseDefinitionTransformerV2 {
        @Override
        public String getName() {
            return "test-board-feed";
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            String since = since(serveEvent);
            QueryParameter limitParam = serveEvent.getRequest().queryParameter("limit");
            int limit = limitParam.isPresent() ? Integer.parseInt(limitParam.firstValue()) : 100;
            List<ObjectNode> all = List.copyOf(messages);
            int start = 0;
            if (since != null) {
                start = -1;
                for (int i = 0; i < all.size(); i++) {
                    if (cursorOf(all.get(i)).equals(since)) start = i + 1;
                }
                if (start < 0) {
                    return json(200, "{\"result\":\"error\",\"code\":\"INVALID_CURSOR\",\"message\":\"unknown cursor\"}");
                }
            }
            ObjectNode body = JSON.createObjectNode();
            body.put("result", "success");
            ArrayNode page = body.putArray("messages");
            for (int i = start; i < all.size() && page.size() < limit; i++) page.add(all.get(i));
            if (!page.isEmpty()) body.put("nextCursor", cursorOf(page.get(page.size() - 1)));
            else if (since != null) body.put("nextCursor", since);
            return json(200, body.toString());
        }
    }

    static ResponseDefinition json(int status, String body) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                .withHeader("Content-Type", "application/json;charset=UTF-8").withBody(body).build();
    }

    static ResponseDefinitionBuilder jsonAnswer(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json;charset=UTF-8").withBody(body);
    }

    static Instant at(LoggedRequest r) {
        return r.getLoggedDate().toInstant();
    }
}
