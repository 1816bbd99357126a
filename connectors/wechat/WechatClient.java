package appealhub.connectors.wechat;

import appealhub.upstream.UpstreamHttp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Calls to WeChat's API: the access token is fetched from /cgi-bin/token and cached until
 * token-refresh-margin-seconds before its expires_in; a call answered 40001/42001/40014
 * (token invalid or expired) gets a new token and is made once more. Every call goes through
 * the hub's upstream transport ({@link UpstreamHttp}: route upstream-wechat, Camel's
 * circuitBreaker() EIP and http component). Token and secret never appear in a log line. A
 * token answer that will not change by itself (40125 invalid AppSecret and the like) is
 * {@link TokenRefused}, not {@link Unavailable}.
 */
@Component
public class WechatClient {
    private static final Logger log = LoggerFactory.getLogger(WechatClient.class);
    /** Token invalid (40001), expired (42001), or not a token at all (40014). */
    static final Set<Integer> TOKEN_ERRORS = Set.of(40001, 42001, 40014);
    static final String CHANNEL = "wechat";

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

    /**
     * WeChat refused to give a token for a reason that will not pass by itself: a wrong AppSecret
     * (40125), AppID (40013), this host's IP not on the account's whitelist (40164), a frozen
     * secret, and the like: every errcode of /cgi-bin/token but -1 (system busy) and 45009 (the
     * day's quota). Feedback is refused for operations with the reason instead of retried for ever.
     */
    public static class TokenRefused extends RuntimeException {
        private final int errcode;

        public TokenRefused(int errcode, String errmsg) {
            super("WeChat refused the access token: errcode " + errcode + " " + errmsg + " (" + hint(errcode) + ")");
            this.errcode = errcode;
        }

        public int errcode() {
            return errcode;
        }

        private static String hint(int errcode) {
            return switch (errcode) {
                case 40125 -> "invalid AppSecret: check hub.channels.wechat.app-secret (WECHAT_APP_SECRET)";
                case 40013 -> "invalid AppID: check hub.channels.wechat.app-id (WECHAT_APP_ID)";
                case 40164, 61004 -> "this host's IP is not on the account's IP whitelist";
                case 89503, 89501, 89506, 89507 -> "the account's administrator must confirm calls from this IP";
                case 41002, 41004 -> "AppID or AppSecret is missing in the configuration";
                case 40243 -> "the AppSecret is frozen: reset it on the WeChat platform";
                default -> "the account's API credentials or settings must be fixed";
            };
        }
    }

    /** errcodes of /cgi-bin/token that pass by themselves: system busy, the day's call quota. */
    static final Set<Integer> TOKEN_TRANSIENT = Set.of(-1, 45009);

    private record Token(String value, Instant refreshAt) {}

    private final WechatProperties props;
    private final UpstreamHttp http;
    private final ObjectMapper json;
    private final Clock clock;
    private volatile Token token;

    public WechatClient(WechatProperties props, UpstreamHttp http, ObjectMapper json, Clock clock) {
        this.props = props;
        this.http = http;
        this.json = json;
        this.clock = clock;
    }

    /** The circuit breaker of the calls to WeChat (the transport route's). */
    public CircuitBreaker circuitBreaker() {
        return http.circuitBreaker(CHANNEL);
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
            if (a.status() == 200 && b != null && !b.hasNonNull("access_token") && b.has("errcode")
                    && a.errcode() != 0 && !TOKEN_TRANSIENT.contains(a.errcode())) {
                log.error("WeChat refused the access token: errcode {} ({}): feedback is refused for operations until fixed",
                        a.errcode(), a.errmsg());
                throw new TokenRefused(a.errcode(), a.errmsg());
            }
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
        UpstreamHttp.Answer a;
        try {
            a = http.call(CHANNEL, method, path, query, null, body == null ? null : json.writeValueAsBytes(body));
        } catch (UpstreamHttp.Failure f) {
            // The cause's text may carry the URL with its query (token, secret): say only what kind it was.
            throw new Unavailable(switch (f.kind()) {
                case CIRCUIT_OPEN -> "WeChat circuit open: not calling for a while";
                case SERVER_ERROR -> "WeChat " + method + " " + path + " answered HTTP " + f.status();
                case NOT_REACHED -> "WeChat " + method + " " + path + " failed: "
                        + (f.getCause() == null ? "not reached" : f.getCause().getClass().getSimpleName());
            }, null);
        } catch (Exception e) {
            throw new Unavailable("WeChat " + method + " " + path + ": body not written: " + e.getClass().getSimpleName(), null);
        }
        JsonNode parsed = null;
        if (a.body() != null && a.body().length > 0) {
            try {
                parsed = json.readTree(a.body());
            } catch (Exception e) {
                log.warn("WeChat {} {} answered HTTP {} with a body that is not JSON", method, path, a.status());
            }
        }
        return new Answer(a.status(), parsed);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }
}
