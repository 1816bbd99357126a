package appealhub.connectors.hotline12345;

import appealhub.connectors.hotline12345.Hotline12345Mapper.MalformedOrder;
import appealhub.intake.IntakeGuard;
import appealhub.intake.IntakeService;
import appealhub.model.Appeal;
import appealhub.model.AppealLimits;
import appealhub.reply.EvaluationService;
import appealhub.store.CaseStore;
import appealhub.store.NonceStore;
import appealhub.store.RawItemStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What 12345 sends the hub, by push or by pull: stored raw first, then checked (signature,
 * time window, fields), mapped and taken in. The platform is answered only after the
 * order is durable; a bad order is kept and answered with what is wrong.
 * <p>
 * A push's raw item and its replay guard's verdict (the nonce) are one commit: the signature and
 * window are checked in memory first, then the raw item is stored together with the nonce (or with
 * the reason it is refused). One commit fewer per push than storing them apart (issue 16), and the
 * raw item is still durable before anything is taken in or answered.
 */
@Component
public class Hotline12345Inbound {
    private static final Logger log = LoggerFactory.getLogger(Hotline12345Inbound.class);
    private static final String CHANNEL = Hotline12345Mapper.CHANNEL;
    private static final Set<String> SATISFACTION = Set.of("满意", "基本满意", "不满意");
    /** The appeal model's fields as the platform names them, for a field over its column's limit. */
    private static final Map<String, String> FIELD_NAMES = Map.of(
            "title", "sqbt (title)", "address", "sqdz (address)", "sourceItemId", "gdbh");

    private final Hotline12345Properties props;
    private final RawItemStore raw;
    private final IntakeService intake;
    private final CaseStore cases;
    private final EvaluationService evaluations;
    private final NonceStore nonces;
    private final ObjectMapper json;
    private final Clock clock;
    private final TransactionTemplate tx;

    public Hotline12345Inbound(Hotline12345Properties props, RawItemStore raw, IntakeService intake, CaseStore cases,
                               EvaluationService evaluations, NonceStore nonces, ObjectMapper json, Clock clock,
                               TransactionTemplate tx) {
        this.tx = tx;
        this.nonces = nonces;
        this.props = props;
        this.raw = raw;
        this.intake = intake;
        this.cases = cases;
        this.evaluations = evaluations;
        this.json = json;
        this.clock = clock;
    }

    /** POST of one work order by the platform. */
    public void onPushedOrder(Exchange exchange) {
        byte[] body = body(exchange);
        long rawId = storeSigned(exchange, "workorder", body);
        if (rawId < 0) return;
        try {
            IntakeService.Result result = takeOrder(json.readTree(body), rawId);
            answer(exchange, 200, Map.of("code", 0, "msg", "ok", "data", Map.of("appealId", result.appealId())));
        } catch (MalformedOrder e) {
            rejectMalformed(exchange, rawId, e.getMessage());
        } catch (java.io.IOException e) {
            rejectMalformed(exchange, rawId, "body is not valid JSON");
        }
    }

    /** POST of an evaluation (回访) by the platform, signed like a push. */
    public void onEvaluation(Exchange exchange) {
        byte[] body = body(exchange);
        long rawId = storeSigned(exchange, "evaluation", body);
        if (rawId < 0) return;
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) throw new MalformedOrder("evaluation must be a JSON object");
            String gdbh = Hotline12345Mapper.required(node, "gdbh");
            String myd = Hotline12345Mapper.required(node, "myd");
            if (!SATISFACTION.contains(myd)) throw new MalformedOrder("myd must be 满意, 基本满意 or 不满意");
            Instant hfsj = Hotline12345Mapper.time(node, "hfsj", true);
            String appealId = cases.appealIdBySource(CHANNEL, gdbh)
                    .orElseThrow(() -> new MalformedOrder("unknown gdbh " + gdbh));
            String hfnr = Hotline12345Mapper.text(node, "hfnr");
            // 不满意 re-opens a resolved case; for a case still open it is a complaint about progress (operations).
            EvaluationService.Outcome outcome = evaluations.record(cases.caseIdOfAppeal(appealId), CHANNEL,
                    CHANNEL + "-evaluation:" + gdbh + ":" + hfsj.getEpochSecond(), myd, "不满意".equals(myd),
                    hfnr == null ? Map.of("sourceItemId", gdbh) : Map.of("sourceItemId", gdbh, "notes", hfnr));
            raw.mark(rawId, outcome == EvaluationService.Outcome.REPEATED ? RawItemStore.Status.DUPLICATE
                    : RawItemStore.Status.ACCEPTED, gdbh, appealId, null);
            log.info("12345 evaluation for {}: {} ({})", appealId, myd, outcome);
            answer(exchange, 200, Map.of("code", 0, "msg", "ok", "data", Map.of("appealId", appealId)));
        } catch (MalformedOrder e) {
            rejectMalformed(exchange, rawId, e.getMessage());
        } catch (java.io.IOException e) {
            rejectMalformed(exchange, rawId, "body is not valid JSON");
        }
    }

    /** One order from a pending page (pull): raw stored, taken in. Throws MalformedOrder if bad (raw kept). */
    public IntakeService.Result takePulledOrder(JsonNode order) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(order);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        String gdbh = order.path("gdbh").asText(null);
        if (gdbh != null && alreadyRejected(gdbh, body)) throw new MalformedOrder("already rejected before");
        long rawId = raw.store(CHANNEL, "workorder", "application/json", body);
        try {
            return takeOrder(order, rawId);
        } catch (MalformedOrder e) {
            raw.mark(rawId, RawItemStore.Status.INVALID, gdbh, null, e.getMessage());
            throw e;
        }
    }

    private IntakeService.Result takeOrder(JsonNode order, long rawId) {
        Appeal appeal = Hotline12345Mapper.toAppeal(order, rawId, clock.instant());
        // Too long for the store, or refused by it: a malformed order (40001 / INVALID and unsigned), never a 500.
        // sqnr (content, "can be long") is stored whole: appeal.model_json is unbounded.
        return IntakeGuard.take(intake, appeal, Hotline12345Inbound::describe, MalformedOrder::new);
    }

    private static String describe(AppealLimits.Violation v) {
        return v.message(FIELD_NAMES.getOrDefault(v.field(), v.field()));
    }

    /** The same bad order, pulled again and again until someone fixes it upstream, is kept once. */
    private boolean alreadyRejected(String gdbh, byte[] body) {
        return raw.bySource(CHANNEL, gdbh).stream()
                .anyMatch(r -> "INVALID".equals(r.status()) && Arrays.equals(r.body(), body));
    }

    /**
     * Stores a pushed body raw, in one commit with its nonce, or with the reason it is refused (then
     * answered 401 here).
     * @return the raw item's id, or -1 when the push is refused
     */
    private long storeSigned(Exchange exchange, String kind, byte[] body) {
        String contentType = exchange.getIn().getHeader(Exchange.CONTENT_TYPE, String.class);
        String ts = exchange.getIn().getHeader("X-Timestamp", String.class);
        String nonce = exchange.getIn().getHeader("X-Nonce", String.class);
        String badSignature = signatureProblem(exchange, body);
        String[] problem = {badSignature};
        long rawId = tx.execute(status -> {
            long id = raw.store(CHANNEL, kind, contentType, body);
            if (problem[0] == null) problem[0] = replayed(ts, nonce, body);
            if (problem[0] != null) raw.mark(id, RawItemStore.Status.REJECTED, null, null, problem[0]);
            return id;
        });
        if (problem[0] == null) return rawId;
        log.warn("12345 push rejected (raw item {}): {}", rawId, problem[0]);
        answer(exchange, 401, Map.of("code", 40100, "msg", problem[0]));
        return -1;
    }

    /** What is wrong with the push's signature or its time window, checked in memory; null if nothing. */
    private String signatureProblem(Exchange exchange, byte[] body) {
        String ts = exchange.getIn().getHeader("X-Timestamp", String.class);
        String nonce = exchange.getIn().getHeader("X-Nonce", String.class);
        String signature = exchange.getIn().getHeader("X-Signature", String.class);
        String problem = null;
        if (nonce == null || nonce.isBlank() || !Hotline12345Signature.verify(props.appSecret(), ts, nonce, body, signature)) {
            problem = "bad signature";
        } else {
            try {
                long skew = Math.abs(clock.instant().getEpochSecond() - Long.parseLong(ts.trim()));
                if (skew > props.pushWindowSeconds()) problem = "timestamp outside the " + props.pushWindowSeconds() + " s window";
            } catch (NumberFormatException e) {
                problem = "X-Timestamp is not epoch seconds";
            }
        }
        return problem;
    }

    /**
     * The replay guard, shared by every hub instance through the database (NonceStore): a nonce is
     * remembered for as long as its timestamp passes the window. The same nonce with the same body
     * is the platform's re-send of the same item (answered as any re-send: the item is a duplicate);
     * with another body it is a replay of a captured signature and is refused like a bad one (401).
     */
    private String replayed(String ts, String nonce, byte[] body) {
        Instant expires = NonceStore.expiryOf(Instant.ofEpochSecond(Long.parseLong(ts.trim())),
                Duration.ofSeconds(props.pushWindowSeconds()));
        return nonces.remember(CHANNEL, nonce, body, expires) == NonceStore.Verdict.REUSED
                ? "nonce already used" : null;
    }

    private void rejectMalformed(Exchange exchange, long rawId, String what) {
        raw.mark(rawId, RawItemStore.Status.INVALID, null, null, what);
        log.warn("12345 item rejected as malformed (raw item {}): {}", rawId, what);
        answer(exchange, 400, Map.of("code", 40001, "msg", what));
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

    private static byte[] body(Exchange exchange) {
        byte[] body = exchange.getIn().getBody(byte[].class);
        return body == null ? new byte[0] : body;
    }
}
