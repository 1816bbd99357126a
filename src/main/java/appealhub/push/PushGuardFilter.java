package appealhub.push;

import appealhub.web.HeldBodyRequest;
import appealhub.push.PushEndpoint.Answer;
import appealhub.push.PushEndpoint.Refusal;
import appealhub.store.RawItemStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * In front of every channel push endpoint ({@code /api/*}), before the operations login and before
 * Camel: one place, keyed by path ({@link PushEndpoint}), for what each connector would otherwise
 * have to repeat.
 * <ol>
 *   <li><b>Rate</b>: a token bucket per source (the remote address, or the query parameter the
 *       endpoint names: a WeChat follower's openid, since all of WeChat comes from WeChat's servers). Over it: 429 with {@code Retry-After} in
 *       the channel's error body, nothing read or stored (WeChat: "success").</li>
 *   <li><b>Size</b>: a declared {@code Content-Length} over the channel's limit is refused before a
 *       byte is read; a body without one (chunked) is read up to the limit and refused past it. Only
 *       the first bytes are kept, as a REJECTED raw item with the declared size
 *       ({@link RawItemStore#storeRefused}). 413 in the channel's format (WeChat: "success").</li>
 *   <li><b>Content type</b>: a JSON channel's body sent as anything else (a form, XML, text) is kept
 *       first (prefix, size, digest: REJECTED) and answered 415 in the channel's format. It never
 *       reaches Spring's form parsing, Camel's binding or a log line.</li>
 * </ol>
 * What passes goes on unchanged (a body read here is handed on as read).
 */
public class PushGuardFilter extends OncePerRequestFilter {
    private static final Logger log = LoggerFactory.getLogger(PushGuardFilter.class);
    /** How often (at most) one channel's rate-limit refusals are logged. */
    private static final long LOG_EVERY_NANOS = 60_000_000_000L;

    private final PushGuardProperties props;
    private final RawItemStore raw;
    private final SourceRateLimiter limiter;
    private final MeterRegistry meters;
    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();
    private final Map<String, PushEndpoint> endpoints;

    /** @param endpoints the push endpoints the enabled connectors declare */
    public PushGuardFilter(PushGuardProperties props, RawItemStore raw, MeterRegistry meters, List<PushEndpoint> endpoints) {
        this.props = props;
        this.endpoints = endpoints.stream().collect(Collectors.toUnmodifiableMap(PushEndpoint::path, e -> e));
        this.raw = raw;
        this.meters = meters;
        PushGuardProperties.RateLimit r = props.rateLimit();
        this.limiter = r.enabled() ? new SourceRateLimiter(r.perSecond(), r.burst(), r.maxSources(), System::nanoTime) : null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = PushEndpoint.normalize(request.getRequestURI().substring(request.getContextPath().length()));
        PushEndpoint endpoint = endpoints.getOrDefault(path, PushEndpoint.unknown(path));
        boolean post = "POST".equalsIgnoreCase(request.getMethod());

        if (limiter != null) {
            long wait = limiter.acquire(endpoint.channel() + "|" + source(endpoint, request));
            if (wait > 0) {
                count(endpoint, "rate");
                logRateLimited(endpoint);
                response.setHeader("Retry-After", Long.toString(wait));
                answer(response, endpoint.format().answer(Refusal.TOO_MANY,
                        "too many requests from this source: retry after " + wait + " s"));
                return;
            }
        }
        if (!post && request.getContentLengthLong() <= 0 && request.getHeader("Transfer-Encoding") == null) {
            chain.doFilter(request, response); // GET (WeChat's verification) and the like: no body
            return;
        }

        long max = props.maxBodyBytes(endpoint.channel());
        long declared = request.getContentLengthLong();
        String contentType = request.getContentType();
        if (declared > max) {
            byte[] head = readAtMost(request, raw.prefixBytes());
            refuseTooLarge(endpoint, response, contentType, head, declared, max);
            return;
        }
        boolean typeOk = !post || endpoint.accepts(contentType);
        if (typeOk && declared >= 0) {
            chain.doFilter(request, response); // within its declared size: the container holds it to that
            return;
        }
        byte[] body = readAtMost(request, max + 1);
        if (body.length > max) {
            refuseTooLarge(endpoint, response, contentType, body, null, max);
            return;
        }
        if (!typeOk) {
            String what = "content type " + printable(contentType) + " not accepted: send "
                    + String.join(" or ", endpoint.contentTypes());
            long rawId = raw.storeRefused(endpoint.channel(), endpoint.kind(), contentType, body, (long) body.length,
                    RawItemStore.sha256(body), what);
            count(endpoint, "content-type");
            log.warn("{} push refused (raw item {}, {} bytes kept of {}): {}", endpoint.channel(), rawId,
                    Math.min(body.length, raw.prefixBytes()), body.length, what);
            answer(response, endpoint.format().answer(Refusal.WRONG_CONTENT_TYPE, what));
            return;
        }
        chain.doFilter(new HeldBodyRequest(request, body, StandardCharsets.UTF_8), response);
    }

    private void refuseTooLarge(PushEndpoint endpoint, HttpServletResponse response, String contentType, byte[] head,
                                Long declared, long max) throws IOException {
        String what = "body larger than " + max + " bytes" + (declared != null ? " (" + declared + " declared)" : "");
        long rawId = raw.storeRefused(endpoint.channel(), endpoint.kind(), contentType, head, declared, null, what);
        count(endpoint, "size");
        log.warn("{} push refused (raw item {}, first bytes kept): {}", endpoint.channel(), rawId, what);
        // The rest of the body is not read here: after the answer Tomcat discards up to
        // server.tomcat.max-swallow-size of it (so the sender, still sending, gets the answer), and
        // closes the connection beyond that.
        answer(response, endpoint.format().answer(Refusal.TOO_LARGE, what));
    }

    /** The rate limit's source: the query parameter the endpoint names (WeChat's openid), else the address. */
    static String source(PushEndpoint endpoint, HttpServletRequest request) {
        if (endpoint.rateSourceParameter() != null) {
            // from the query string itself: getParameter would read a form-encoded body
            String id = queryParameter(request.getQueryString(), endpoint.rateSourceParameter());
            if (id != null && !id.isBlank()) {
                return endpoint.rateSourceParameter() + ":" + (id.length() > 128 ? id.substring(0, 128) : id);
            }
        }
        return request.getRemoteAddr();
    }

    static String queryParameter(String query, String name) {
        if (query == null) return null;
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                try {
                    return java.net.URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException badEscape) {
                    return pair.substring(eq + 1);
                }
            }
        }
        return null;
    }

    private void logRateLimited(PushEndpoint endpoint) {
        long now = System.nanoTime();
        Long last = lastLogged.get(endpoint.channel());
        if (last == null || now - last > LOG_EVERY_NANOS) {
            lastLogged.put(endpoint.channel(), now);
            log.warn("{} pushes over the rate limit ({} per s, bursts of {} per source): answered 429 (logged once a minute)",
                    endpoint.channel(), props.rateLimit().perSecond(), props.rateLimit().burst());
        }
    }

    private void count(PushEndpoint endpoint, String reason) {
        if (meters != null) {
            Counter.builder("hub_push_refused").description("Pushes refused before they were read: size, content type, rate")
                    .tag("channel", endpoint.channel()).tag("reason", reason).register(meters).increment();
        }
    }

    private static void answer(HttpServletResponse response, Answer answer) throws IOException {
        response.setStatus(answer.status());
        response.setContentType(answer.contentType());
        response.setContentLength(answer.body().length);
        response.getOutputStream().write(answer.body());
    }

    /** Up to max bytes of the body; the stream is left open (the container discards what is left). */
    private static byte[] readAtMost(HttpServletRequest request, long max) throws IOException {
        InputStream in = request.getInputStream();
        return in.readNBytes((int) Math.min(max, Integer.MAX_VALUE - 8));
    }

    /** A content type as sent, for a message: printable ASCII only, at most 100 characters. */
    static String printable(String s) {
        if (s == null) return "(none)";
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (b.length() >= 100) return b.append('…').toString();
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}
