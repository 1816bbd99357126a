package appealhub.connectors.miniprogram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Status callbacks to the mini-program backend: POST {base-url}/callback/report-status with
 * the callback key as bearer, through Camel's http component and one Resilience4j circuit
 * breaker (5xx, time-outs and connection failures count; 4xx answers do not).
 */
@Component
public class MiniprogramClient {
    private static final Logger log = LoggerFactory.getLogger(MiniprogramClient.class);
    static final String STATUS_PATH = "/callback/report-status";

    /** An answer of the backend: HTTP status, the JSON body (or null), Retry-After seconds if given. */
    public record Response(int status, JsonNode body, Long retryAfterSeconds) {
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
    private final ProducerTemplate http;
    private final ObjectMapper json;
    private final CircuitBreaker breaker;

    public MiniprogramClient(MiniprogramProperties props, ProducerTemplate http, ObjectMapper json) {
        this.props = props;
        this.http = http;
        this.json = json;
        this.breaker = props.circuitBreaker().build("miniprogram", e -> e instanceof Unavailable);
    }

    public CircuitBreaker circuitBreaker() {
        return breaker;
    }

    /** One status callback. Throws {@link Unavailable} for 5xx, time-outs, connection failures and an open circuit. */
    public Response postStatus(Object body) {
        try {
            return breaker.executeCallable(() -> send(body));
        } catch (Unavailable e) {
            throw e;
        } catch (CallNotPermittedException e) {
            throw new Unavailable("mini-program circuit open: not calling for a while", 0, null, e);
        } catch (Exception e) {
            throw new Unavailable("mini-program call failed: " + e.getMessage(), 0, null, e);
        }
    }

    private Response send(Object body) throws java.io.IOException {
        // One endpoint for the backend, the path per call (Camel caches endpoints by URI).
        String uri = props.baseUrl() + "?throwExceptionOnFailure=false&connectTimeout=" + props.http().connectTimeoutMs()
                + "&responseTimeout=" + props.http().responseTimeoutMs()
                + "&connectionRequestTimeout=" + props.http().connectTimeoutMs();
        byte[] bytes = json.writeValueAsBytes(body);
        Exchange result = http.send(uri, exchange -> {
            exchange.getIn().setHeader(Exchange.HTTP_METHOD, "POST");
            exchange.getIn().setHeader(Exchange.HTTP_PATH, STATUS_PATH);
            exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json;charset=UTF-8");
            exchange.getIn().setHeader("Accept", "application/json");
            exchange.getIn().setHeader("Authorization", "Bearer " + props.callbackKey());
            exchange.getIn().setBody(bytes);
        });
        if (result.getException() != null) {
            throw new Unavailable("mini-program callback failed: " + result.getException().getMessage(), 0, null,
                    result.getException());
        }
        Integer status = result.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        int code = status == null ? 0 : status;
        byte[] answer = result.getMessage().getBody(byte[].class);
        JsonNode parsed = null;
        if (answer != null && answer.length > 0) {
            try {
                parsed = json.readTree(answer);
            } catch (Exception e) {
                log.warn("mini-program callback answered HTTP {} with a body that is not JSON", code);
            }
        }
        Long retryAfter = retryAfter(result.getMessage().getHeader("Retry-After"));
        if (code >= 500) {
            throw new Unavailable("mini-program callback answered HTTP " + code, code, retryAfter, null);
        }
        return new Response(code, parsed, retryAfter);
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
