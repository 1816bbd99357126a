package appealhub.connectors.miniprogram;

import appealhub.upstream.UpstreamHttp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Status callbacks to the mini-program backend: POST {base-url}/callback/report-status with
 * the callback key as bearer, through the hub's upstream transport ({@link UpstreamHttp}: route
 * upstream-miniprogram, Camel's circuitBreaker() EIP and http component; 5xx, time-outs and
 * connection failures count as failures, 4xx answers do not).
 */
@Component
public class MiniprogramClient {
    private static final Logger log = LoggerFactory.getLogger(MiniprogramClient.class);
    static final String STATUS_PATH = "/callback/report-status";
    static final String CHANNEL = "miniprogram";

    /** An answer of the backend: HTTP status, the JSON body (or null), Retry-After seconds if given. */
    public record Response(int status, JsonNode body, Long retryAfterSeconds) {
        /** The answer's "ok" flag: true, false, or null when the body has none (or is not JSON). */
        public Boolean ok() {
            return body != null && body.has("ok") && body.get("ok").isBoolean() ? body.get("ok").asBoolean() : null;
        }

        public String error() {
            return body != null && body.hasNonNull("error") ? body.get("error").asText() : null;
        }
    }

    /** The backend could not be reached or failed (5xx, time-out, circuit open); status 0 when it did not answer. */
    public static class Unavailable extends RuntimeException {
        private final int status;
        private final Long retryAfterSeconds;

        public Unavailable(String message, int status, Long retryAfterSeconds, Throwable cause) {
            super(message, cause);
            this.status = status;
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public int status() {
            return status;
        }

        /** Retry-After of a 5xx answer in seconds, or null when it had none. */
        public Long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    private final MiniprogramProperties props;
    private final UpstreamHttp http;
    private final ObjectMapper json;

    public MiniprogramClient(MiniprogramProperties props, UpstreamHttp http, ObjectMapper json) {
        this.props = props;
        this.http = http;
        this.json = json;
    }

    /** The circuit breaker of the callbacks (the transport route's). */
    public CircuitBreaker circuitBreaker() {
        return http.circuitBreaker(CHANNEL);
    }

    /** One status callback. Throws {@link Unavailable} for 5xx, time-outs, connection failures and an open circuit. */
    public Response postStatus(Object body) {
        UpstreamHttp.Answer a;
        try {
            a = http.call(CHANNEL, "POST", STATUS_PATH, null, Map.of("Authorization", "Bearer " + props.callbackKey()),
                    json.writeValueAsBytes(body));
        } catch (UpstreamHttp.Failure f) {
            throw switch (f.kind()) {
                case CIRCUIT_OPEN -> new Unavailable("mini-program circuit open: not calling for a while", 0, null, f.getCause());
                case SERVER_ERROR -> new Unavailable("mini-program callback answered HTTP " + f.status(), f.status(),
                        retryAfter(f.retryAfter()), null);
                case NOT_REACHED -> new Unavailable("mini-program callback failed: " + f.getMessage(), 0, null, f.getCause());
            };
        } catch (Exception e) {
            throw new Unavailable("mini-program call failed: " + e.getMessage(), 0, null, e);
        }
        JsonNode parsed = null;
        if (a.body() != null && a.body().length > 0) {
            try {
                parsed = json.readTree(a.body());
            } catch (Exception e) {
                log.warn("mini-program callback answered HTTP {} with a body that is not JSON", a.status());
            }
        }
        return new Response(a.status(), parsed, retryAfter(a.retryAfter()));
    }

    static Long retryAfter(Object header) {
        if (header == null || header.toString().isBlank()) return null;
        try {
            return Math.max(0, Long.parseLong(header.toString().trim()));
        } catch (NumberFormatException e) {
            return 60L; // an HTTP-date: wait a minute rather than parse it
        }
    }
}
