package appealhub.connectors.hotline12345;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Calls to the 12345 platform: token fetched and cached, refreshed and the call retried
 * once on 40101; every call through one Resilience4j circuit breaker, so a platform that
 * is down is left alone for a while instead of being hammered by pull and feedback.
 * HTTP goes through Camel's http component.
 */
@Component
public class Hotline12345Client {
    private static final Logger log = LoggerFactory.getLogger(Hotline12345Client.class);

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
    private final ProducerTemplate http;
    private final ObjectMapper json;
    private final CircuitBreaker breaker;
    private volatile String token;

    public Hotline12345Client(Hotline12345Properties props, ProducerTemplate http, ObjectMapper json) {
        this.props = props;
        this.http = http;
        this.json = json;
        this.breaker = props.circuitBreaker().build("hotline12345", e -> e instanceof Unavailable);
    }

    public CircuitBreaker circuitBreaker() {
        return breaker;
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
        try {
            return breaker.executeCallable(() -> send(method, path, body, authToken));
        } catch (Unavailable e) {
            throw e;
        } catch (io.github.resilience4j.circuitbreaker.CallNotPermittedException e) {
            throw new Unavailable("12345 circuit open: not calling for a while", e);
        } catch (Exception e) {
            throw new Unavailable("12345 call failed: " + e.getMessage(), e);
        }
    }

    private Response send(String method, String path, Object body, String authToken) {
        // One endpoint for the platform; path and query per call (a URI per order would grow Camel's endpoint cache).
        String uri = props.baseUrl() + "?throwExceptionOnFailure=false&connectTimeout=" + props.http().connectTimeoutMs()
                + "&responseTimeout=" + props.http().responseTimeoutMs()
                + "&connectionRequestTimeout=" + props.http().connectTimeoutMs();
        int q = path.indexOf('?');
        Exchange result = http.send(uri, exchange -> {
            exchange.getIn().setHeader(Exchange.HTTP_METHOD, method);
            exchange.getIn().setHeader(Exchange.HTTP_PATH, q < 0 ? path : path.substring(0, q));
            if (q >= 0) exchange.getIn().setHeader(Exchange.HTTP_QUERY, path.substring(q + 1));
            exchange.getIn().setHeader("Accept", "application/json");
            if (authToken != null) exchange.getIn().setHeader("X-Auth-Token", authToken);
            if (body != null) {
                exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json;charset=UTF-8");
                exchange.getIn().setBody(json.writeValueAsBytes(body));
            } else {
                exchange.getIn().setBody(null);
            }
        });
        if (result.getException() != null) {
            throw new Unavailable("12345 " + method + " " + path + " failed: " + result.getException().getMessage(),
                    result.getException());
        }
        Integer status = result.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        int code = status == null ? 0 : status;
        byte[] bytes = result.getMessage().getBody(byte[].class);
        JsonNode parsed = null;
        if (bytes != null && bytes.length > 0) {
            try {
                parsed = json.readTree(bytes);
            } catch (Exception e) {
                log.warn("12345 {} {} answered HTTP {} with a body that is not JSON", method, path, code);
            }
        }
        if (code >= 500) {
            throw new Unavailable("12345 " + method + " " + path + " answered HTTP " + code
                    + (bytes == null ? "" : ": " + new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.UTF_8)), null);
        }
        Long retryAfter = null;
        Object ra = result.getMessage().getHeader("Retry-After");
        if (ra != null) {
            try {
                retryAfter = Long.parseLong(ra.toString().trim());
            } catch (NumberFormatException ignored) {
                retryAfter = 60L; // an HTTP-date: wait a minute rather than parse it
            }
        }
        return new Response(code, parsed, retryAfter);
    }
}
