package appealhub.upstream;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.resilience4j.ResilienceProcessor;
import org.springframework.stereotype.Component;

/**
 * The one way the hub calls an upstream platform over HTTP: a request sent to the channel's
 * transport route, {@value #ENDPOINT_PREFIX}&lt;channel&gt; (route id {@value #ROUTE_PREFIX}&lt;channel&gt;,
 * appealhub.routes.UpstreamHttpRoutes), which makes it through Camel's circuitBreaker() EIP
 * (Resilience4j, configured by camel.resilience4j.configurations.&lt;channel&gt;) and Camel's http
 * component. Inside the breaker an HTTP 5xx answer, a time-out and a connection failure are
 * failures; any other answer (a 4xx included) comes back as an {@link Answer}. The channel's
 * client keeps its own product logic (tokens, signatures, pacing, what an answer means).
 */
@Component
public class UpstreamHttp {
    public static final String ENDPOINT_PREFIX = "direct:upstream-";
    public static final String ROUTE_PREFIX = "upstream-";
    public static final String BREAKER_PREFIX = "breaker-";

    /** Where a channel's calls go. */
    public static String endpoint(String channel) {
        return ENDPOINT_PREFIX + channel;
    }

    /** The id of a channel's transport route. */
    public static String routeId(String channel) {
        return ROUTE_PREFIX + channel;
    }

    /** The id of the circuitBreaker() EIP in that route, also the Resilience4j breaker's name. */
    public static String breakerId(String channel) {
        return BREAKER_PREFIX + channel;
    }

    /** An answer that is not a failure: HTTP status (below 500), body bytes (or null), Retry-After as sent (or null). */
    public record Answer(int status, byte[] body, String retryAfter) {}

    /** The upstream failed: it answered 5xx, was not reached or did not answer in time, or its circuit is open. */
    public static final class Failure extends RuntimeException {
        public enum Kind {
            /** HTTP 5xx: {@link #status()}, {@link #retryAfter()} and {@link #body()} tell the answer. */
            SERVER_ERROR,
            /** Connection refused, time-out, any other error of the call: the cause says which. */
            NOT_REACHED,
            /** The circuit breaker is open (or half-open and busy with its trial call): no call was made. */
            CIRCUIT_OPEN
        }

        private final Kind kind;
        private final int status;
        private final String retryAfter;
        private final byte[] body;

        public Failure(Kind kind, String message, int status, String retryAfter, byte[] body, Throwable cause) {
            super(message, cause);
            this.kind = kind;
            this.status = status;
            this.retryAfter = retryAfter;
            this.body = body;
        }

        public Kind kind() {
            return kind;
        }

        /** HTTP status of a {@link Kind#SERVER_ERROR}, otherwise 0. */
        public int status() {
            return status;
        }

        public String retryAfter() {
            return retryAfter;
        }

        public byte[] body() {
            return body;
        }
    }

    /** Inside the breaker, after the http call: an answer of 500 or more is thrown, so the breaker records it. */
    public static void failOnServerError(Exchange exchange) {
        Message m = exchange.getMessage();
        Integer status = m.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status != null && status >= 500) {
            throw new Failure(Failure.Kind.SERVER_ERROR, "answered HTTP " + status, status,
                    m.getHeader("Retry-After", String.class), m.getBody(byte[].class), null);
        }
    }

    private final ProducerTemplate producer;
    private final CamelContext camel;

    public UpstreamHttp(ProducerTemplate producer, CamelContext camel) {
        this.producer = producer;
        this.camel = camel;
    }

    /**
     * One call to the channel's base URL. {@code path} is appended to it (a {@code ?query} in it is
     * split off when {@code query} is null); {@code query} is sent as given (already encoded);
     * {@code headers} go out as HTTP headers, with Accept: application/json, and Content-Type
     * JSON when there is a body.
     *
     * @throws Failure 5xx, not reached, time-out, circuit open
     */
    public Answer call(String channel, String method, String path, String query, Map<String, String> headers, byte[] body) {
        ServiceStatus route = camel.getRouteController().getRouteStatus(routeId(channel));
        if (route == null) {
            throw new Failure(Failure.Kind.NOT_REACHED, "no transport route for " + channel + " (hub.channels." + channel
                    + ".base-url is not set)", 0, null, null, null);
        }
        if (!route.isStarted()) {
            throw new Failure(Failure.Kind.NOT_REACHED, "transport route " + routeId(channel) + " is " + route, 0, null, null, null);
        }
        int mark = query == null ? path.indexOf('?') : -1;
        String httpPath = mark < 0 ? path : path.substring(0, mark);
        String httpQuery = mark < 0 ? query : path.substring(mark + 1);
        Exchange result = producer.send(endpoint(channel), exchange -> {
            Message in = exchange.getIn();
            in.setHeader(Exchange.HTTP_METHOD, method);
            in.setHeader(Exchange.HTTP_PATH, httpPath);
            if (httpQuery != null && !httpQuery.isEmpty()) in.setHeader(Exchange.HTTP_QUERY, httpQuery);
            in.setHeader("Accept", "application/json");
            if (headers != null) headers.forEach(in::setHeader);
            if (body != null) in.setHeader(Exchange.CONTENT_TYPE, "application/json;charset=UTF-8");
            in.setBody(body);
        });
        Exception e = result.getException();
        if (e != null) throw failure(channel, e);
        Message m = result.getMessage();
        Integer status = m.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status == null) {
            // Only when the breaker let the exchange pass without a call (it is told to throw instead).
            throw new Failure(Failure.Kind.CIRCUIT_OPEN, channel + " circuit open: no call made", 0, null, null, null);
        }
        return new Answer(status, m.getBody(byte[].class), m.getHeader("Retry-After", String.class));
    }

    private static Failure failure(String channel, Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Failure f) return f;
            if (t instanceof CallNotPermittedException) {
                return new Failure(Failure.Kind.CIRCUIT_OPEN, channel + " circuit open: not calling for a while", 0, null, null, t);
            }
        }
        // The EIP hands the call's exception back wrapped in Camel's runtime exception: the call's own tells what happened.
        Throwable cause = e;
        while (cause instanceof RuntimeCamelException && cause.getCause() != null) cause = cause.getCause();
        return new Failure(Failure.Kind.NOT_REACHED, cause.getMessage(), 0, null, null, cause);
    }

    /** The channel's circuit breaker, the one the circuitBreaker() EIP uses; null when the channel has no route. */
    public CircuitBreaker circuitBreaker(String channel) {
        ResilienceProcessor breaker = camel.getProcessor(breakerId(channel), ResilienceProcessor.class);
        return breaker == null ? null : breaker.getCircuitBreaker();
    }
}
