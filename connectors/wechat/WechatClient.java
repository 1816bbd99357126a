package appealhub.connectors.wechat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Calls to WeChat's API: the access token is fetched from /cgi-bin/token and cached until
 * token-refresh-margin-seconds before its expires_in; a call answered 40001/42001/40014
 * (token invalid or expired) gets a new token and is made once more. Every call goes through
 * one Resilience4j circuit breaker and Camel's http component. Token and secret never appear
 * in a log line.
 */
@Component
public class WechatClient {
    private static final Logger log = LoggerFactory.getLogger(WechatClient.class);
    /** Token invalid (40001), expired (42001), or not a token at all (40014). */
    static final Set<Integer> TOKEN_ERRORS = Set.of(40001, 42001, 40014);

    /** WeChat's answer: HTTP status and the JSON body. errcode 0 (or absent) is success. */
    public record Answer(int status, JsonNode body) {
        public int errcode() {
            return body != null && body.has("errcode") ? body.get("errcode").asInt() : 0;
        }

        public String errmsg() {
            return body != null && body.has("errmsg") ? body.get("errmsg").asText() : "";
        }
    }

    /** WeChat could not be reached, failed (5xx, time-out, circuit open) or gave no token. */
    public static class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private record Token(String value, Instant refreshAt) {}

    private final WechatProperties props;
    private final ProducerTemplate http;
    private final ObjectMapper json;
    private final Clock clock;
    private final CircuitBreaker breaker;
    private volatile Token token;

    public WechatClient(WechatProperties props, ProducerTemplate http, ObjectMapper json, Clock clock) {
        this.props = props;
        this.http = http;
        this.json = json;
        this.clock = clock;
        this.breaker = props.circuitBreaker().build("wechat", e -> e instanceof Unavailable);
    }

    public CircuitBreaker circuitBreaker() {
        return breaker;
    }

    /** A customer-service text message to one follower; the token refreshed and the call repeated once if needed. */
    public Answer sendText(String openid, String content) {
        Map<String, Object> body = Map.of("touser", openid, "msgtype", "text", "text", Map.of("content", content));
        String t = currentToken();
        Answer a = call("POST", "/cgi-bin/message/custom/send", "access_token=" + enc(t), body);
        if (TOKEN_ERRORS.contains(a.errcode())) {
            log.info("WeChat access token refused (errcode {}): fetching a new one", a.errcode());
            forget(t);
            a = call("POST", "/cgi-bin/message/custom/send", "access_token=" + enc(currentToken()), body);
        }
        return a;
    }

    /** Drops the cached token: the next call fetches a new one. */
    public void invalidateToken() {
        token = null;
    }

    private synchronized void forget(String stale) {
        Token t = token;
        if (t != null && t.value().equals(stale)) token = null;
    }

    private String currentToken() {
        Token t = token;
        if (t != null && clock.instant().isBefore(t.refreshAt())) return t.value();
        synchronized (this) {
            t = token;
            if (t != null && clock.instant().isBefore(t.refreshAt())) return t.value();
            Answer a = call("GET", "/cgi-bin/token", "grant_type=client_credential&appid=" + enc(props.appId())
                    + "&secret=" + enc(props.appSecret()), null);
            JsonNode b = a.body();
            if (a.status() != 200 || b == null || !b.hasNonNull("access_token")) {
                throw new Unavailable("WeChat token refused: HTTP " + a.status() + " errcode " + a.errcode()
                        + " " + a.errmsg(), null);
            }
            long expiresIn = b.path("expires_in").asLong(7200);
            long keep = Math.max(expiresIn - props.tokenRefreshMarginSeconds(), expiresIn / 2);
            token = new Token(b.get("access_token").asText(), clock.instant().plusSeconds(keep));
            log.info("WeChat access token fetched, valid {} s, used for {} s", expiresIn, keep);
            return token.value();
        }
    }

    private Answer call(String method, String path, String query, Object body) {
        try {
            return breaker.executeCallable(() -> send(method, path, query, body));
        } catch (Unavailable e) {
            throw e;
        } catch (CallNotPermittedException e) {
            throw new Unavailable("WeChat circuit open: not calling for a while", e);
        } catch (Exception e) {
            throw new Unavailable("WeChat call failed: " + e.getMessage(), e);
        }
    }

    private Answer send(String method, String path, String query, Object body) {
        // One endpoint for WeChat; path and query per call (the query carries the token: never logged).
        String uri = props.baseUrl() + "?throwExceptionOnFailure=false&connectTimeout=" + props.http().connectTimeoutMs()
                + "&responseTimeout=" + props.http().responseTimeoutMs()
                + "&connectionRequestTimeout=" + props.http().connectTimeoutMs();
        Exchange result = http.send(uri, exchange -> {
            exchange.getIn().setHeader(Exchange.HTTP_METHOD, method);
            exchange.getIn().setHeader(Exchange.HTTP_PATH, path);
            exchange.getIn().setHeader(Exchange.HTTP_QUERY, query);
            exchange.getIn().setHeader("Accept", "application/json");
            if (body != null) {
                exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json;charset=UTF-8");
                exchange.getIn().setBody(json.writeValueAsBytes(body));
            } else {
                exchange.getIn().setBody(null);
            }
        });
        if (result.getException() != null) {
            // The exception text may carry the URL with its query (token, secret): say only what kind it was.
            throw new Unavailable("WeChat " + method + " " + path + " failed: "
                    + result.getException().getClass().getSimpleName(), null);
        }
        Integer status = result.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        int code = status == null ? 0 : status;
        byte[] bytes = result.getMessage().getBody(byte[].class);
        if (code >= 500) {
            throw new Unavailable("WeChat " + method + " " + path + " answered HTTP " + code, null);
        }
        JsonNode parsed = null;
        if (bytes != null && bytes.length > 0) {
            try {
                parsed = json.readTree(bytes);
            } catch (Exception e) {
                log.warn("WeChat {} {} answered HTTP {} with a body that is not JSON", method, path, code);
            }
        }
        return new Answer(code, parsed);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }
}
