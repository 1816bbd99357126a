package appealhub.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP upstreams of the chaos run, in one WireMock (the paths of the channels do not
 * overlap, as in MockUpstreams of the default run): the 12345 platform (token, pending pages,
 * sign, reply with 40901 for a second reply of the same order and 办理状态, return), a leader
 * message board (paged feed by cursor, progress, public reply with ALREADY_REPLIED for a second
 * one), the mini-program backend's status callback (409 for a status already recorded) and
 * WeChat (token, customer-service message). Every feedback call is recorded, repeats included;
 * so are the 12345 sign calls and the board cursors the hub moved past (its implicit ack).
 */
final class ChaosMocks implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ORDER_CALL = Pattern.compile("/api/v1/workorders/([^/]+)/(sign|reply|return)");
    private static final Pattern BOARD_CALL = Pattern.compile("/open/messages/(\\d+)/(progress|reply)");

    /** One feedback call as the upstream saw it. taken: the upstream took it (not a 40901/409/ALREADY_REPLIED repeat). */
    record Call(String channel, String item, String kind, boolean taken, long at) {}

    final List<Call> calls = new CopyOnWriteArrayList<>();
    final List<String> unexpected = new CopyOnWriteArrayList<>();
    private final Map<String, Boolean> seen = new ConcurrentHashMap<>();

    // 12345 pending orders (pull), gdbh → order JSON; signed: gdbh → time of the first sign call
    private final Map<String, ObjectNode> pending = new LinkedHashMap<>();
    final Map<String, Long> signed = new ConcurrentHashMap<>();
    final AtomicInteger pendingPages = new AtomicInteger();

    // leader board feed
    private final List<ObjectNode> board = new ArrayList<>();
    /** tid → time the hub asked for a page after it (moved its durable cursor past it). */
    final Map<String, Long> boardTaken = new ConcurrentHashMap<>();
    final AtomicInteger boardPulls = new AtomicInteger();

    /** WeChat openid → MsgId of the text that follower sent (the driver fills it). */
    final Map<String, String> wechatMsgIdOfOpenid = new ConcurrentHashMap<>();

    private final WireMockServer server;

    ChaosMocks(int port) {
        server = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").port(port)
                .disableRequestJournal().containerThreads(20).extensions(new Upstreams()));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withTransformers("chaos-upstreams")));
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    synchronized void addPending(String gdbh, ObjectNode order) {
        pending.put(gdbh, order);
    }

    synchronized int pendingCount() {
        return pending.size();
    }

    synchronized void postOnBoard(ObjectNode message) {
        board.add(message);
    }

    synchronized int boardSize() {
        return board.size();
    }

    static String cursorOf(JsonNode m) {
        return m.path("createTime").asLong() + "-" + m.path("tid").asLong();
    }

    @Override
    public void close() {
        server.stop();
    }

    private void record(String channel, String item, String kind, String dedupKey, boolean upstreamDeduplicates) {
        boolean first = seen.putIfAbsent(channel + "|" + item + "|" + dedupKey, Boolean.TRUE) == null;
        calls.add(new Call(channel, item, kind, first || !upstreamDeduplicates, System.currentTimeMillis()));
    }

    private final class Upstreams implements ResponseDefinitionTransformerV2 {
        @Override
        public String getName() {
            return "chaos-upstreams";
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            LoggedRequest r = event.getRequest();
            String method = r.getMethod().getName();
            String url = r.getUrl();
            String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
            try {
                return answer(method, path, r);
            } catch (Exception e) {
                unexpected.add(method + " " + url + ": " + e);
                return json(500, "{\"error\":\"mock failed\"}");
            }
        }

        private ResponseDefinition answer(String method, String path, LoggedRequest r) throws Exception {
            // ---- 12345 ----
            if (path.equals("/api/v1/auth/token")) {
                return json(200, "{\"code\":0,\"msg\":\"ok\",\"data\":{\"token\":\"chaos-token\",\"expiresIn\":7200}}");
            }
            if (path.equals("/api/v1/workorders/pending") && method.equals("GET")) {
                pendingPages.incrementAndGet();
                int page = intParam(r, "page", 1);
                int size = intParam(r, "size", 50);
                ObjectNode body = JSON.createObjectNode();
                body.put("code", 0).put("msg", "ok");
                ObjectNode data = body.putObject("data");
                ArrayNode records = data.putArray("records");
                synchronized (ChaosMocks.this) {
                    List<ObjectNode> all = new ArrayList<>(pending.values());
                    for (int i = (page - 1) * size; i >= 0 && i < all.size() && i < page * size; i++) records.add(all.get(i));
                    data.put("total", all.size());
                }
                data.put("page", page).put("size", size);
                return json(200, body.toString());
            }
            Matcher order = ORDER_CALL.matcher(path);
            if (order.matches() && method.equals("POST")) {
                String gdbh = order.group(1);
                switch (order.group(2)) {
                    case "sign" -> {
                        synchronized (ChaosMocks.this) {
                            pending.remove(gdbh);
                        }
                        signed.putIfAbsent(gdbh, System.currentTimeMillis());
                        return json(200, "{\"code\":0,\"msg\":\"ok\"}");
                    }
                    case "reply" -> {
                        String blzt = JSON.readTree(r.getBodyAsString()).path("blzt").asText();
                        String kind = "办结".equals(blzt) ? "result" : "办理中".equals(blzt) ? "progress" : "?" + blzt;
                        boolean first = seen.putIfAbsent("hotline12345|" + gdbh + "|" + blzt, Boolean.TRUE) == null;
                        calls.add(new Call("hotline12345", gdbh, kind, first, System.currentTimeMillis()));
                        return json(200, first ? "{\"code\":0,\"msg\":\"ok\"}" : "{\"code\":40901,\"msg\":\"already replied\"}");
                    }
                    default -> {
                        record("hotline12345", gdbh, "return", "return", true);
                        return json(200, "{\"code\":0,\"msg\":\"ok\"}");
                    }
                }
            }
            // ---- leader board ----
            if (path.equals("/open/messages") && method.equals("GET")) {
                boardPulls.incrementAndGet();
                QueryParameter sinceParam = r.queryParameter("since");
                String since = sinceParam.isPresent() ? sinceParam.firstValue() : null;
                int limit = intParam(r, "limit", 100);
                ObjectNode body = JSON.createObjectNode();
                body.put("result", "success");
                ArrayNode page = body.putArray("messages");
                long now = System.currentTimeMillis();
                synchronized (ChaosMocks.this) {
                    int start = 0;
                    if (since != null) {
                        start = -1;
                        for (int i = 0; i < board.size(); i++) if (cursorOf(board.get(i)).equals(since)) start = i + 1;
                        if (start < 0) {
                            unexpected.add("board: unknown cursor " + since);
                            return json(200, "{\"result\":\"error\",\"code\":\"INVALID_CURSOR\",\"message\":\"unknown cursor\"}");
                        }
                        // The hub keeps its cursor durably: asking after a message means it has taken it.
                        for (int i = 0; i < start; i++) boardTaken.putIfAbsent(board.get(i).path("tid").asText(), now);
                    }
                    for (int i = start; i < board.size() && page.size() < limit; i++) page.add(board.get(i));
                }
                if (!page.isEmpty()) body.put("nextCursor", cursorOf(page.get(page.size() - 1)));
                else if (since != null) body.put("nextCursor", since);
                return json(200, body.toString());
            }
            Matcher boardCall = BOARD_CALL.matcher(path);
            if (boardCall.matches() && method.equals("POST")) {
                String tid = boardCall.group(1);
                if (boardCall.group(2).equals("progress")) {
                    String status = JSON.readTree(r.getBodyAsString()).path("status").asText();
                    // The board's progress has no idempotency: a repeat is shown again.
                    record("leaderboard", tid, "已受理".equals(status) ? "ack" : "办理中".equals(status) ? "progress" : "?" + status,
                            status, false);
                    return json(200, "{\"result\":\"success\"}");
                }
                boolean first = seen.putIfAbsent("leaderboard|" + tid + "|reply", Boolean.TRUE) == null;
                calls.add(new Call("leaderboard", tid, "result", first, System.currentTimeMillis()));
                return json(200, first ? "{\"result\":\"success\"}"
                        : "{\"result\":\"error\",\"code\":\"ALREADY_REPLIED\",\"message\":\"该留言已回复\"}");
            }
            // ---- mini-program ----
            if (path.equals("/miniprogram/callback/report-status") && method.equals("POST")) {
                JsonNode b = JSON.readTree(r.getBodyAsString());
                String reportId = b.path("reportId").asText();
                String status = b.path("status").asText();
                String kind = switch (status) {
                    case "ACCEPTED" -> "ack";
                    case "PROCESSING" -> "progress";
                    case "RESOLVED" -> "result";
                    case "REJECTED" -> "return";
                    default -> "?" + status;
                };
                boolean first = seen.putIfAbsent("miniprogram|" + reportId + "|" + status, Boolean.TRUE) == null;
                calls.add(new Call("miniprogram", reportId, kind, first, System.currentTimeMillis()));
                return first ? json(200, "{\"ok\":true}") : json(409, "{\"ok\":false,\"error\":\"status already recorded\"}");
            }
            // ---- WeChat ----
            if (path.equals("/cgi-bin/token")) {
                return json(200, "{\"access_token\":\"chaos-wechat-token\",\"expires_in\":7200}");
            }
            if (path.equals("/cgi-bin/message/custom/send") && method.equals("POST")) {
                JsonNode b = JSON.readTree(r.getBodyAsString());
                String openid = b.path("touser").asText();
                String content = b.path("text").path("content").asText();
                String kind = content.startsWith("【诉求办理结果】") ? "result" : content.startsWith("【诉求办理进度】") ? "progress"
                        : content.startsWith("【诉求办理说明】") ? "return" : "?";
                String item = wechatMsgIdOfOpenid.getOrDefault(openid, "openid:" + openid);
                // No idempotency key in WeChat's API: every call reaches the follower.
                record("wechat", item, kind, content, false);
                return json(200, "{\"errcode\":0,\"errmsg\":\"ok\"}");
            }
            unexpected.add(method + " " + path);
            return json(404, "{\"error\":\"not played by the chaos mocks\"}");
        }
    }

    private static int intParam(LoggedRequest r, String name, int fallback) {
        QueryParameter p = r.queryParameter(name);
        try {
            return p.isPresent() ? Integer.parseInt(p.firstValue()) : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static ResponseDefinition json(int status, String body) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                .withHeader("Content-Type", "application/json;charset=UTF-8").withBody(body).build();
    }
}
