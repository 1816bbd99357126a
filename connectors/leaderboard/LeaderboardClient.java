package appealhub.connectors.leaderboard;

import appealhub.upstream.UpstreamHttp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Calls to the leader message board: every call signed (Date + Authorization, see
 * {@link LeaderboardSignature}), paced to the board's 10 requests per second, held back
 * entirely while a 429's Retry-After runs, and made through the hub's upstream transport
 * ({@link UpstreamHttp}: route upstream-leaderboard, Camel's circuitBreaker() EIP and http
 * component; pull and feedback share its breaker).
 */
@Component
public class LeaderboardClient {
    private static final Logger log = LoggerFactory.getLogger(LeaderboardClient.class);
    static final String CHANNEL = "leaderboard";

    /** An answer from the board: HTTP status, the JSON body (or null), Retry-After if given, the bytes as received. */
    public record Response(int status, JsonNode body, Duration retryAfter, byte[] rawBody) {
        /** "success" | "error" | null (no JSON body). */
        public String result() {
            return body != null && body.hasNonNull("result") ? body.get("result").asText() : null;
        }

        /** HTTP 200 and result "success": anything else (HTTP 200 with result "error" included) is not. */
        public boolean ok() {
            return status == 200 && "success".equals(result());
        }

        public String errorCode() {
            return body != null && body.hasNonNull("code") ? body.get("code").asText() : null;
        }

        /** What the board said, short, for logs and case events (the board's own words, no content of ours). */
        public String describe() {
            String message = body != null && body.hasNonNull("message") ? body.get("message").asText() : "";
            if (message.length() > 120) message = message.substring(0, 120) + "…";
            return "HTTP " + status + (result() == null ? "" : " result " + result())
                    + (errorCode() == null ? "" : " code " + errorCode()) + (message.isEmpty() ? "" : " (" + message + ")");
        }
    }

    /** The board could not be reached or failed (5xx, time-out, circuit open). */
    public static class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A 429 told us to wait: no call is made before {@link #until()}. */
    public static class RateLimited extends RuntimeException {
        private final Instant until;

        public RateLimited(Instant until) {
            super("leaderboard rate limit: no calls before " + until);
            this.until = until;
        }

        public Instant until() {
            return until;
        }
    }

    private final LeaderboardProperties props;
    private final UpstreamHttp http;
    private final ObjectMapper json;
    private final Clock clock;
    private final String basePath;
    private final long pacingNanos;
    private long nextSlotNanos;
    private volatile Instant blockedUntil = Instant.EPOCH;

    public LeaderboardClient(LeaderboardProperties props, UpstreamHttp http, ObjectMapper json, Clock clock) {
        this.props = props;
        this.http = http;
        this.json = json;
        this.clock = clock;
        String base = props.baseUrl().endsWith("/") ? props.baseUrl().substring(0, props.baseUrl().length() - 1) : props.baseUrl();
        String path = URI.create(base).getRawPath();
        this.basePath = path == null ? "" : path;
        this.pacingNanos = 1_000_000_000L / Math.max(1, props.maxRequestsPerSecond());
    }

    /** The circuit breaker of the calls to the board (the transport route's). */
    public CircuitBreaker circuitBreaker() {
        return http.circuitBreaker(CHANNEL);
    }

    /** While a 429's Retry-After runs: when calls may be made again; otherwise null. */
    public Instant blockedUntil() {
        Instant until = blockedUntil;
        return until.isAfter(clock.instant()) ? until : null;
    }

    /**
     * One signed call. {@code path} is relative to the base URL (e.g. "/open/messages");
     * {@code query} in sending order (values URL-encoded here; the signature sorts them).
     *
     * @throws RateLimited  a 429 said to wait and the time has not passed (no call made)
     * @throws Unavailable  5xx, time-out, connection failure, circuit open
     */
    public Response call(String method, String path, Map<String, String> query, Object body) {
        Instant until = blockedUntil();
        if (until != null) throw new RateLimited(until);
        Response r = send(method, path, query, body);
        if (r.status() == 429) {
            Duration wait = r.retryAfter() != null ? r.retryAfter() : Duration.ofSeconds(props.defaultRetryAfterSeconds());
            blockedUntil = clock.instant().plus(wait);
            log.warn("leaderboard rate limit (429) on {} {}: no calls for {} s", method, path, wait.toSeconds());
        } else if (r.status() == 403) {
            log.warn("leaderboard refused our signature on {} {} ({}): check hub.channels.leaderboard.app-id / secret "
                    + "and this host's clock (the board allows 15 minutes of difference)", method, path, r.describe());
        }
        return r;
    }

    private Response send(String method, String path, Map<String, String> query, Object body) {
        Map<String, String> encoded = new LinkedHashMap<>();
        if (query != null) query.forEach((k, v) -> encoded.put(k, URLEncoder.encode(v, StandardCharsets.UTF_8)));
        String rawQuery = encoded.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&"));
        byte[] payload;
        try {
            payload = body == null ? null : json.writeValueAsBytes(body);
            pace();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("leaderboard call interrupted", e);
        } catch (Exception e) {
            throw new Unavailable("leaderboard call failed: " + e.getMessage(), e);
        }
        String date = LeaderboardSignature.httpDate(clock.instant());
        String authorization = LeaderboardSignature.authorization(props.appId(), props.secret(), method,
                basePath + path, LeaderboardSignature.sortedQuery(encoded), date);
        UpstreamHttp.Answer a;
        try {
            a = http.call(CHANNEL, method, path, rawQuery, Map.of("Date", date, "Authorization", authorization), payload);
        } catch (UpstreamHttp.Failure f) {
            throw new Unavailable(switch (f.kind()) {
                case CIRCUIT_OPEN -> "leaderboard circuit open: not calling for a while";
                case SERVER_ERROR -> "leaderboard " + method + " " + path + " answered HTTP " + f.status();
                case NOT_REACHED -> "leaderboard " + method + " " + path + " failed: " + f.getMessage();
            }, f.getCause());
        }
        JsonNode parsed = null;
        if (a.body() != null && a.body().length > 0) {
            try {
                parsed = json.readTree(a.body());
            } catch (Exception e) {
                log.warn("leaderboard {} {} answered HTTP {} with a body that is not JSON", method, path, a.status());
            }
        }
        return new Response(a.status(), parsed, retryAfter(a.retryAfter()), a.body());
    }

    /** Retry-After as delta-seconds or as an HTTP-date. */
    private Duration retryAfter(Object header) {
        if (header == null) return null;
        String v = header.toString().trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(clock.instant(), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException notADate) {
                return null;
            }
        }
    }

    /** At most max-requests-per-second calls, whoever makes them (pull, feedback). */
    private void pace() throws InterruptedException {
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long slot = Math.max(now, nextSlotNanos);
            nextSlotNanos = slot + pacingNanos;
            wait = slot - now;
        }
        if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }
}
