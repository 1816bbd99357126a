package appealhub.connectors.hotline12345;

import appealhub.upstream.UpstreamHttp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Calls to the 12345 platform: token fetched and cached, refreshed and the call retried
 * once on 40101. Every call goes through the hub's upstream transport ({@link UpstreamHttp}:
 * route upstream-hotline12345, Camel's circuitBreaker() EIP and http component), so a platform
 * that is down is left alone for a while instead of being hammered by pull and feedback.
 */
@Component
public class Hotline12345Client {
    private static final Logger log = LoggerFactory.getLogger(Hotline12345Client.class);
    static final String CHANNEL = "hotline12345";

    /** An answer from the platform: HTTP status, the JSON body (or null), Retry-After seconds if given. */
    public record Response(int status, JsonNode body, Long retryAfterSeconds) {
        public int code() {
            return body != null && body.has("code") ? body.get("code").asInt() : -1;
        }

        public boolean ok() {
            return status == 200 && code() == 0;
        }
    }

    /** The platform could not be reached or failed (5xx, time-out, circuit open). */
    public static class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Hotline12345Properties props;
    private final UpstreamHttp http;
    private final ObjectMapper json;
    private volatile String token;

    public Hotline12345Client(Hotline12345Properties props, UpstreamHttp http, ObjectMapper json) {
        this.props = props;
        this.http = http;
        this.json = json;
    }

    /** The circuit breaker of the calls to the platform (the transport route's). */
    public CircuitBreaker circuitBreaker() {
        return http.circuitBreaker(CHANNEL);
    }

    /** An authenticated call; on 40101 a new token is fetched and the call made once more. */
    public Response call(String method, String path, Object body) {
        Response r = raw(method, path, body, currentToken());
        if (r.status() == 401 && r.code() == 40101) {
            log.info("12345 token expired: fetching a new one");
            token = null;
            r = raw(method, path, body, currentToken());
        }
        return r;
    }

    private String currentToken() {
        String t = token;
        if (t != null) return t;
        synchronized (this) {
            if (token == null) {
                Response r = raw("POST", "/api/v1/auth/token",
                        Map.of("appKey", props.appKey(), "appSecret", props.appSecret()), null);
                if (!r.ok() || !r.body().path("data").hasNonNull("token")) {
                    throw new Unavailable("12345 token refused: HTTP " + r.status() + " code " + r.code(), null);
                }
                token = r.body().path("data").path("token").asText();
            }
            return token;
        }
    }

    private Response raw(String method, String path, Object body, String authToken) {
        byte[] payload;
        try {
            payload = body == null ? null : json.writeValueAsBytes(body);
        } catch (Exception e) {
            throw new Unavailable("12345 " + method + " " + path + ": body not written: " + e.getMessage(), e);
        }
        UpstreamHttp.Answer a;
        try {
            a = http.call(CHANNEL, method, path, null, authToken == null ? null : Map.of("X-Auth-Token", authToken), payload);
        } catch (UpstreamHttp.Failure f) {
            throw new Unavailable(switch (f.kind()) {
                case CIRCUIT_OPEN -> "12345 circuit open: not calling for a while";
                case SERVER_ERROR -> "12345 " + method + " " + path + " answered HTTP " + f.status() + (f.body() == null ? ""
                        : ": " + new String(f.body(), 0, Math.min(f.body().length, 200), StandardCharsets.UTF_8));
                case NOT_REACHED -> "12345 " + method + " " + path + " failed: " + f.getMessage();
            }, f.getCause());
        }
        JsonNode parsed = null;
        if (a.body() != null && a.body().length > 0) {
            try {
                parsed = json.readTree(a.body());
            } catch (Exception e) {
                log.warn("12345 {} {} answered HTTP {} with a body that is not JSON", method, path, a.status());
            }
        }
        Long retryAfter = null;
        if (a.retryAfter() != null) {
            try {
                retryAfter = Long.parseLong(a.retryAfter().trim());
            } catch (NumberFormatException ignored) {
                retryAfter = 60L; // an HTTP-date: wait a minute rather than parse it
            }
        }
        return new Response(a.status(), parsed, retryAfter);
    }
}
