package appealhub.connectors.miniprogram;

import appealhub.classify.TownshipLocator;
import appealhub.connectors.miniprogram.MiniprogramMapper.MalformedReport;
import appealhub.intake.IntakeGuard;
import appealhub.intake.IntakeService;
import appealhub.store.RawItemStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * What the mini-program backend pushes: stored raw first, then the bearer key (401), then
 * the report checked and mapped (400), then taken in; the backend gets its 200 with the
 * appeal id only after the report is durable. A re-sent reportId answers the same appealId.
 */
@Component
@ConditionalOnProperty(prefix = "hub.channels.miniprogram", name = "enabled", havingValue = "true")
public class MiniprogramInbound {
    private static final Logger log = LoggerFactory.getLogger(MiniprogramInbound.class);
    private static final String CHANNEL = MiniprogramMapper.CHANNEL;

    private final MiniprogramProperties props;
    private final RawItemStore raw;
    private final IntakeService intake;
    private final ObjectMapper json;
    private final Clock clock;
    private final MiniprogramMapper mapper;

    public MiniprogramInbound(MiniprogramProperties props, RawItemStore raw, IntakeService intake, ObjectMapper json,
                              Clock clock) {
        if (props.apiKey() == null || props.apiKey().isBlank()) {
            throw new IllegalStateException("hub.channels.miniprogram.api-key is not set");
        }
        this.props = props;
        this.raw = raw;
        this.intake = intake;
        this.json = json;
        this.clock = clock;
        this.mapper = new MiniprogramMapper(TownshipLocator.load(Path.of(props.townshipsGeo())));
    }

    /** POST of one report by the backend. */
    public void onReport(Exchange exchange) {
        byte[] body = exchange.getIn().getBody(byte[].class);
        if (body == null) body = new byte[0];
        long rawId = raw.store(CHANNEL, "report", exchange.getIn().getHeader(Exchange.CONTENT_TYPE, String.class), body);
        String authorization = exchange.getIn().getHeader("Authorization", String.class);
        // The key must not travel any further: not into the answer's headers, not into logs.
        exchange.getIn().removeHeader("Authorization");
        String problem = authorization == null || authorization.isBlank() ? "missing bearer key"
                : bearerMatches(authorization, props.apiKey()) ? null : "invalid api key";
        if (problem != null) {
            raw.mark(rawId, RawItemStore.Status.REJECTED, null, null, problem);
            log.warn("mini-program push rejected (raw item {}): {}", rawId, problem);
            answer(exchange, 401, Map.of("error", problem));
            return;
        }
        JsonNode report = null;
        try {
            report = json.readTree(body);
            // Too long for the store (location.address) or refused by it: a bad report (400), never a 500 and a re-send.
            IntakeService.Result result = IntakeGuard.take(intake, mapper.toAppeal(report, rawId, clock.instant()),
                    v -> v.message("address".equals(v.field()) ? "location.address" : v.field()), MalformedReport::new);
            answer(exchange, 200, Map.of("appealId", result.appealId()));
        } catch (MalformedReport e) {
            rejectMalformed(exchange, rawId, MiniprogramMapper.reportIdOf(report).orElse(null), e.getMessage());
        } catch (java.io.IOException e) {
            rejectMalformed(exchange, rawId, null, "body is not valid JSON");
        }
    }

    /** "Bearer &lt;key&gt;" against the configured key, in constant time (digests compared, so not even the length leaks). */
    static boolean bearerMatches(String authorization, String key) {
        if (authorization == null || key == null || key.isEmpty()) return false;
        String h = authorization.trim();
        if (h.length() <= 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) return false;
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] given = sha.digest(h.substring(7).trim().getBytes(StandardCharsets.UTF_8));
            byte[] expected = sha.digest(key.getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(given, expected);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void rejectMalformed(Exchange exchange, long rawId, String reportId, String what) {
        raw.mark(rawId, RawItemStore.Status.INVALID, reportId, null, what);
        log.warn("mini-program report rejected as malformed (raw item {}): {}", rawId, what);
        answer(exchange, 400, Map.of("error", what));
    }

    private void answer(Exchange exchange, int status, Map<String, ?> body) {
        try {
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json;charset=UTF-8");
            exchange.getMessage().setBody(json.writeValueAsString(body));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
