package appealhub.connectors.wechat;

import appealhub.connectors.wechat.WechatMapper.Extra;
import appealhub.connectors.wechat.WechatXml.MalformedMessage;
import appealhub.intake.IntakeGuard;
import appealhub.intake.IntakeService;
import appealhub.model.Appeal;
import appealhub.store.CaseStore;
import appealhub.store.RawItemStore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What WeChat sends the hub (connector.yaml): the server verification GET, and message
 * pushes. A push is stored raw first (truncated when over max-body-bytes), then its signature
 * is checked (401, REJECTED), its size (413, INVALID), then the XML is read safely (400,
 * INVALID). A text is taken in and answered with the passive reply that carries the appeal
 * id; a location or image is attached to the follower's text appeal of the last
 * attach-window-seconds, or held until the text comes; events are not appeals. WeChat waits
 * 5 s: nothing here waits for classification, which runs later on its queue.
 */
@Component
public class WechatInbound {
    private static final Logger log = LoggerFactory.getLogger(WechatInbound.class);
    private static final String CHANNEL = WechatMapper.CHANNEL;
    static final String TEXT_PLAIN = "text/plain;charset=UTF-8";
    static final String XML = "application/xml;charset=UTF-8";

    private final WechatProperties props;
    private final RawItemStore raw;
    private final IntakeService intake;
    private final CaseStore cases;
    private final WechatFollowers followers;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final Clock clock;

    public WechatInbound(WechatProperties props, RawItemStore raw, IntakeService intake, CaseStore cases,
                         WechatFollowers followers, TransactionTemplate tx, ObjectMapper json, Clock clock) {
        this.props = props;
        this.raw = raw;
        this.intake = intake;
        this.cases = cases;
        this.followers = followers;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
    }

    /** GET: WeChat checks that the hub holds the token; the echostr goes back as it came. */
    public void onVerify(Exchange exchange) {
        String echostr = exchange.getIn().getHeader("echostr", String.class);
        boolean ok = signatureValid(exchange);
        exchange.getMessage().removeHeaders("*");
        if (ok && echostr != null) {
            log.info("WeChat server verification passed");
            answer(exchange, 200, TEXT_PLAIN, echostr);
        } else {
            log.warn("WeChat server verification failed: {}", echostr == null ? "no echostr" : "bad signature");
            answer(exchange, 401, TEXT_PLAIN, "bad signature");
        }
    }

    /** POST: one message from a follower (or an event). */
    public void onPush(Exchange exchange) throws IOException {
        int limit = props.maxBodyBytes();
        Long declared = exchange.getIn().getHeader(Exchange.CONTENT_LENGTH, Long.class);
        byte[] body = readAtMost(exchange, limit + 1);
        boolean oversize = body.length > limit || (declared != null && declared > limit);
        String contentType = exchange.getIn().getHeader(Exchange.CONTENT_TYPE, String.class);
        long rawId = raw.store(CHANNEL, "message", contentType, oversize ? Arrays.copyOf(body, Math.min(body.length, limit)) : body);
        boolean signed = signatureValid(exchange);
        exchange.getMessage().removeHeaders("*"); // nothing of the request goes back as response headers
        if (!signed) {
            raw.mark(rawId, RawItemStore.Status.REJECTED, null, null, "bad signature");
            log.warn("WeChat push rejected (raw item {}): bad signature", rawId);
            answer(exchange, 401, TEXT_PLAIN, "bad signature");
            return;
        }
        if (oversize) {
            String what = "body larger than " + limit + " bytes" + (declared != null ? " (" + declared + " bytes)" : "")
                    + ": refused, kept truncated";
            raw.mark(rawId, RawItemStore.Status.INVALID, null, null, what);
            log.warn("WeChat push refused (raw item {}): {}", rawId, what);
            answer(exchange, 413, TEXT_PLAIN, "message too large: at most " + limit + " bytes");
            return;
        }
        try {
            JsonNode message = WechatXml.parse(body);
            String type = WechatXml.text(message, "MsgType");
            if (type == null) throw new MalformedMessage("MsgType is required");
            String openid = WechatMapper.required(message, "FromUserName");
            switch (type) {
                case "text" -> onText(exchange, message, openid, rawId);
                case "location", "image" -> onExtra(exchange, message, openid, rawId);
                default -> notAnAppeal(exchange, message, type, rawId);
            }
        } catch (MalformedMessage e) {
            raw.mark(rawId, RawItemStore.Status.INVALID, null, null, e.getMessage());
            log.warn("WeChat push rejected as malformed (raw item {}): {}", rawId, e.getMessage());
            answer(exchange, 400, TEXT_PLAIN, "invalid message: " + e.getMessage());
        }
    }

    private void onText(Exchange exchange, JsonNode message, String openid, long rawId) {
        Instant now = clock.instant();
        Appeal appeal = WechatMapper.toAppeal(message, rawId, now);
        String msgId = appeal.firstSource().sourceItemId();
        Instant textAt = appeal.occurredAt();
        Duration window = Duration.ofSeconds(props.attachWindowSeconds());

        // A location or photo sent just before the text is part of the appeal from the start,
        // so the classifier sees its address.
        List<WechatFollowers.Message> held = followers.heldBetween(openid, textAt.minus(window), textAt.plus(window));
        Set<String> included = new HashSet<>();
        for (WechatFollowers.Message m : held) {
            appeal = WechatMapper.attach(appeal, extra(m));
            included.add(m.msgId());
        }
        // Too long for the store (a held location's Label as address) or refused by it: an invalid message (400).
        IntakeService.Result result = IntakeGuard.take(intake, appeal, MalformedMessage::new);

        followers.ensureFollower(openid, now);
        tx.executeWithoutResult(status -> {
            WechatFollowers.Follower follower = followers.lockFollower(openid);
            followers.insertMessage(msgId, openid, "text", textAt, rawId, null, result.appealId(), null);
            if (follower.lastTextAt() == null || !textAt.isBefore(follower.lastTextAt())) {
                followers.setLastText(openid, msgId, result.appealId(), textAt, now);
            }
            // Held items still unattached now (re-read under the lock): those in the new appeal are
            // recorded; any that came in meanwhile, or for a re-sent text, are folded in now.
            for (WechatFollowers.Message m : followers.heldBetween(openid, textAt.minus(window), textAt.plus(window))) {
                boolean inModel = !result.duplicate() && included.contains(m.msgId());
                attachNow(result.appealId(), m.msgId(), extra(m), !inModel, now);
                log.info("WeChat {} {} held before the text: attached to appeal {}", m.msgType(), m.msgId(), result.appealId());
            }
        });
        log.info("WeChat text {} → appeal {}{}", msgId, result.appealId(), result.duplicate() ? " (re-sent)" : "");
        answer(exchange, 200, XML, WechatXml.textReply(openid, props.account(), now.getEpochSecond(),
                "您的诉求已受理，编号 " + result.appealId()));
    }

    private void onExtra(Exchange exchange, JsonNode message, String openid, long rawId) {
        String msgId = WechatMapper.required(message, "MsgId");
        Extra extra = WechatMapper.extra(message);
        Instant now = clock.instant();
        Instant at = WechatMapper.createTime(message, now);
        Duration window = Duration.ofSeconds(props.attachWindowSeconds());
        String detail = toJson(extra);

        followers.ensureFollower(openid, now);
        String[] outcome = tx.execute(status -> {
            WechatFollowers.Follower follower = followers.lockFollower(openid);
            var known = followers.message(msgId);
            if (known.isPresent()) return new String[] {"duplicate", known.get().appealId()};
            boolean inWindow = follower.lastAppealId() != null && follower.lastTextAt() != null
                    && Duration.between(follower.lastTextAt(), at).abs().compareTo(window) <= 0;
            if (!inWindow) {
                followers.insertMessage(msgId, openid, extra.type(), at, rawId, detail, null, null);
                return new String[] {"held", null};
            }
            followers.insertMessage(msgId, openid, extra.type(), at, rawId, detail, null, null);
            attachNow(follower.lastAppealId(), msgId, extra, true, now);
            return new String[] {"attached", follower.lastAppealId()};
        });
        switch (outcome[0]) {
            case "duplicate" -> raw.mark(rawId, RawItemStore.Status.DUPLICATE, msgId, outcome[1], null);
            default -> raw.mark(rawId, RawItemStore.Status.ACCEPTED, msgId, outcome[1], null);
        }
        log.info("WeChat {} {}: {}{}", extra.type(), msgId, outcome[0], outcome[1] == null ? "" : " to appeal " + outcome[1]);
        answer(exchange, 200, TEXT_PLAIN, "success");
    }

    /** Inside the follower's lock: the appeal gets the item (unless already in its model), the case file says so. */
    private void attachNow(String appealId, String msgId, Extra extra, boolean updateModel, Instant now) {
        if (updateModel) {
            Appeal current = cases.appeal(appealId);
            if (current != null) cases.updateAppeal(WechatMapper.attach(current, extra));
        }
        followers.markAttached(msgId, appealId, now);
        String caseId = cases.caseIdOfAppeal(appealId);
        if (caseId != null) cases.addEvent(caseId, "attached", CHANNEL, WechatMapper.describe(appealId, msgId, extra));
    }

    /** Events (subscribe, menu clicks) and other message types: kept, answered, not an appeal. */
    private void notAnAppeal(Exchange exchange, JsonNode message, String type, long rawId) {
        String event = WechatXml.text(message, "Event");
        String note = "not an appeal: " + type + (event == null ? "" : " " + event);
        raw.mark(rawId, RawItemStore.Status.ACCEPTED, null, null, note);
        log.info("WeChat push (raw item {}) is {}", rawId, note);
        answer(exchange, 200, TEXT_PLAIN, "success");
    }

    private boolean signatureValid(Exchange exchange) {
        return WechatSignature.verify(props.token(), exchange.getIn().getHeader("timestamp", String.class),
                exchange.getIn().getHeader("nonce", String.class), exchange.getIn().getHeader("signature", String.class));
    }

    private Extra extra(WechatFollowers.Message m) {
        try {
            return json.readValue(m.detail(), Extra.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored WeChat message " + m.msgId() + " is not readable", e);
        }
    }

    private String toJson(Extra extra) {
        try {
            return json.writeValueAsString(extra);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] readAtMost(Exchange exchange, int max) throws IOException {
        Object body = exchange.getIn().getBody();
        if (body == null) return new byte[0];
        if (body instanceof byte[] bytes) return bytes.length <= max ? bytes : Arrays.copyOf(bytes, max);
        if (body instanceof String s) return readAtMost(s.getBytes(StandardCharsets.UTF_8), max);
        InputStream in = exchange.getIn().getBody(InputStream.class);
        if (in == null) return new byte[0];
        try (in) {
            return in.readNBytes(max);
        }
    }

    private static byte[] readAtMost(byte[] bytes, int max) {
        return bytes.length <= max ? bytes : Arrays.copyOf(bytes, max);
    }

    static void answer(Exchange exchange, int status, String contentType, String body) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, contentType);
        exchange.getMessage().setBody(body);
    }
}
