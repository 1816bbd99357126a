package appealhub.connectors.wechat;

import appealhub.connectors.wechat.WechatMapper.Extra;
import appealhub.connectors.wechat.WechatXml.MalformedMessage;
import appealhub.intake.IntakeGuard;
import appealhub.intake.IntakeService;
import appealhub.model.Appeal;
import appealhub.model.Pii;
import appealhub.store.CaseStore;
import appealhub.store.NonceStore;
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
import java.util.Map;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What WeChat sends the hub (connector.yaml): the server verification GET, and message pushes.
 *
 * <p>A push is answered {@code success} or with the passive reply, never 4xx or 5xx: WeChat
 * shows the follower "该公众号暂时无法提供服务" after three failed tries. In order:
 * <ol>
 * <li>signature (token, timestamp, nonce): a bad one is kept as metadata plus a short prefix,
 * REJECTED, answered {@code success} and nothing else (not from WeChat, nothing to lose);</li>
 * <li>replay: the query's timestamp must be within replay-window-seconds of the hub's clock,
 * else REJECTED (prefix only) and {@code success};</li>
 * <li>the raw item is stored together with its nonce (the shared replay guard {@link NonceStore},
 * scope {@value #NONCE_SCOPE}) and its mark as checked ({@link WechatCheckedPushes}) in one
 * transaction: a nonce used before within the window is a replay, REJECTED (prefix only) and
 * {@code success}, whatever its body (WeChat does not sign the body). If the store itself fails
 * (database down) nothing of the message is held anywhere: the single exception, answered 500
 * (WechatFaults) so that WeChat "retries the same message (same MsgId) up to 3 times";</li>
 * <li>from here on the message is kept, so whatever happens the answer is {@code success} or
 * the passive reply: too large, not readable XML or a required field missing is INVALID with the
 * reason; a body whose FromUserName is not the query's openid is REJECTED; events are not
 * appeals; a failure of the hub (database or broker gone half way) leaves the raw item
 * RECEIVED, and {@link WechatRecovery} takes it in later (and tells the follower the appeal id
 * by a customer-service message, as the passive reply could not).</li>
 * </ol>
 * A text is taken in and answered with the passive reply that carries the appeal id (and asks
 * for a phone number when none is known, so that operations can call back when WeChat no longer
 * lets the hub write: 45015); a text that is only a phone number is that phone for the follower's
 * latest appeal. A location or image is attached to the follower's text appeal of the last
 * attach-window-seconds, or held until the text comes. WeChat waits 5 s: nothing here waits for
 * classification, which runs later on its queue.
 */
@Component
public class WechatInbound {
    private static final Logger log = LoggerFactory.getLogger(WechatInbound.class);
    private static final String CHANNEL = WechatMapper.CHANNEL;
    static final String TEXT_PLAIN = "text/plain;charset=UTF-8";
    static final String XML = "application/xml;charset=UTF-8";
    /** Exchange property: the raw item id once the push is stored (WechatFaults answers success from then on). */
    public static final String RAW_ITEM = "appealhub.wechat.rawItemId";
    /** What a push refused before it is trusted (bad signature, replay) keeps of its body. */
    static final int REFUSED_PREFIX_BYTES = 1024;
    static final String SUCCESS = "success";
    /** WeChat's nonces in the shared replay guard (replay_nonce.scope). */
    public static final String NONCE_SCOPE = "wechat";
    /** The passive reply's request for a phone number (a WeChat-only follower has none on the appeal). */
    static final String ASK_FOR_PHONE = "如需工作人员电话联系您，请直接回复您的手机号码。";

    /** What the push is answered: content type and body (always HTTP 200). */
    record Reply(String contentType, String body, String receiptAppealId, String receiptText) {
        static Reply success() {
            return new Reply(TEXT_PLAIN, SUCCESS, null, null);
        }

        static Reply xml(String body) {
            return new Reply(XML, body, null, null);
        }
    }

    private final WechatProperties props;
    private final RawItemStore raw;
    private final IntakeService intake;
    private final CaseStore cases;
    private final WechatFollowers followers;
    private final NonceStore nonces;
    private final WechatCheckedPushes checked;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final Clock clock;

    public WechatInbound(WechatProperties props, RawItemStore raw, IntakeService intake, CaseStore cases,
                         WechatFollowers followers, NonceStore nonces, WechatCheckedPushes checked, TransactionTemplate tx,
                         ObjectMapper json, Clock clock) {
        this.props = props;
        this.raw = raw;
        this.intake = intake;
        this.cases = cases;
        this.followers = followers;
        this.nonces = nonces;
        this.checked = checked;
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

    /** POST: one message from a follower (or an event). Answered 200 always, but when nothing could be kept. */
    public void onPush(Exchange exchange) throws IOException {
        int limit = props.maxBodyBytes();
        Long declared = exchange.getIn().getHeader(Exchange.CONTENT_LENGTH, Long.class);
        byte[] body = readAtMost(exchange, limit + 1);
        boolean oversize = body.length > limit || (declared != null && declared > limit);
        String contentType = exchange.getIn().getHeader(Exchange.CONTENT_TYPE, String.class);
        String timestamp = exchange.getIn().getHeader("timestamp", String.class);
        String nonce = exchange.getIn().getHeader("nonce", String.class);
        String openid = exchange.getIn().getHeader("openid", String.class);
        boolean signed = signatureValid(exchange);
        exchange.getMessage().removeHeaders("*"); // nothing of the request goes back as response headers
        Instant now = clock.instant();
        if (!signed) {
            keepRefused(contentType, body, "bad signature");
            reply(exchange, Reply.success());
            return;
        }
        String stale = replayWindowProblem(timestamp, nonce, now);
        if (stale != null) {
            keepRefused(contentType, body, stale);
            reply(exchange, Reply.success());
            return;
        }
        long ts = Long.parseLong(timestamp.trim());
        byte[] kept = oversize ? Arrays.copyOf(body, Math.min(body.length, limit)) : body;
        // The nonce is remembered as long as a push with this timestamp passes the window.
        Instant expires = NonceStore.expiryOf(Instant.ofEpochSecond(ts), Duration.ofSeconds(props.replayWindowSeconds()));
        // The raw item, its nonce and its mark together: a marked push has passed the replay checks, and a nonce is
        // never taken by a push that was not kept. If this fails, the exception goes to WechatFaults: nothing is
        // kept, so 500, and WeChat sends the message again.
        NonceStore.Verdict[] verdict = new NonceStore.Verdict[1];
        Long stored = tx.execute(status -> {
            long id = raw.store(CHANNEL, "message", contentType, kept);
            verdict[0] = nonces.remember(NONCE_SCOPE, nonce.trim(), kept, expires);
            if (verdict[0] != NonceStore.Verdict.FRESH) {
                status.setRollbackOnly(); // a replay: kept below as a refused prefix only
                return null;
            }
            checked.mark(id, ts, openid, now);
            return id;
        });
        if (stored == null) {
            keepRefused(contentType, body, "nonce already used within the replay window: a replayed push"
                    + (verdict[0] == NonceStore.Verdict.SAME_BODY ? " (same body)" : " (another body)"));
            reply(exchange, Reply.success());
            return;
        }
        long rawId = stored;
        exchange.setProperty(RAW_ITEM, rawId);
        String tooLarge = oversize ? "body larger than " + limit + " bytes" + (declared != null ? " (" + declared + " bytes)" : "")
                + ": not taken, kept truncated" : null;
        reply(exchange, process(rawId, kept, tooLarge, openid, now));
    }

    /**
     * One stored push (live, or again by {@link WechatRecovery}): checked, taken in, and what to answer.
     * Throws only for a failure of the hub (the raw item then stays RECEIVED, for the recovery).
     */
    Reply process(long rawId, byte[] body, String tooLarge, String queryOpenid, Instant now) {
        if (tooLarge != null) {
            raw.mark(rawId, RawItemStore.Status.INVALID, null, null, tooLarge);
            log.warn("WeChat push not taken (raw item {}): {}", rawId, tooLarge);
            return Reply.success();
        }
        try {
            JsonNode message = WechatXml.parse(body);
            String type = WechatXml.text(message, "MsgType");
            if (type == null) throw new MalformedMessage("MsgType is required");
            String openid = WechatMapper.required(message, "FromUserName");
            if (queryOpenid == null || !queryOpenid.equals(openid)) {
                // The body is not signed: a body for another follower than the signed push's is not taken.
                String why = queryOpenid == null ? "the push has no openid in its query"
                        : "FromUserName does not match the openid of the push's query";
                raw.mark(rawId, RawItemStore.Status.REJECTED, null, null, why);
                log.warn("WeChat push rejected (raw item {}): {}", rawId, why);
                return Reply.success();
            }
            return switch (type) {
                case "text" -> WechatMapper.contactPhone(WechatXml.text(message, "Content")) != null
                        ? onContact(message, openid, rawId, now) : onText(message, openid, rawId, now);
                case "location", "image" -> onExtra(message, openid, rawId, now);
                default -> notAnAppeal(message, type, rawId);
            };
        } catch (MalformedMessage e) {
            raw.mark(rawId, RawItemStore.Status.INVALID, null, null, e.getMessage());
            log.warn("WeChat push kept as malformed (raw item {}): {}", rawId, e.getMessage());
            return Reply.success();
        }
    }

    /** A push not trusted (bad signature, replay): metadata and a short prefix kept, REJECTED; never fails the answer. */
    private void keepRefused(String contentType, byte[] body, String why) {
        try {
            long id = raw.store(CHANNEL, "message", contentType, Arrays.copyOf(body, Math.min(body.length, REFUSED_PREFIX_BYTES)));
            raw.mark(id, RawItemStore.Status.REJECTED, null, null, why + " (" + body.length + " bytes"
                    + (body.length > REFUSED_PREFIX_BYTES ? ", first " + REFUSED_PREFIX_BYTES + " kept" : "") + ")");
            log.warn("WeChat push rejected (raw item {}): {}", id, why);
        } catch (RuntimeException e) {
            log.warn("WeChat push rejected ({}), and not kept: {}", why, e.getClass().getSimpleName());
        }
    }

    /** Why the query's timestamp and nonce cannot be taken, or null. */
    private String replayWindowProblem(String timestamp, String nonce, Instant now) {
        if (nonce == null || nonce.isBlank() || nonce.trim().length() > 128) return "nonce missing or longer than 128 characters";
        long ts;
        try {
            ts = Long.parseLong(timestamp.trim());
        } catch (RuntimeException e) {
            return "timestamp is not epoch seconds";
        }
        long off = Math.abs(now.getEpochSecond() - ts);
        if (off > props.replayWindowSeconds()) {
            return "timestamp " + off + " s away from the hub's clock (at most " + props.replayWindowSeconds() + " s)";
        }
        return null;
    }

    private Reply onText(JsonNode message, String openid, long rawId, Instant now) {
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
        IntakeService.Result result = take(appeal, msgId);

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
        String receipt = receipt(result.appealId());
        return new Reply(XML, WechatXml.textReply(openid, props.account(), now.getEpochSecond(), receipt), result.appealId(), receipt);
    }

    /**
     * Intake of a text. Too long for the store or refused by it: an invalid message. If the hub
     * fails after the appeal was committed (the hand-over to placement, which HandoverRecovery
     * repeats), the follower's bookkeeping and the reply still go on.
     */
    private IntakeService.Result take(Appeal appeal, String msgId) {
        try {
            return IntakeGuard.take(intake, appeal, MalformedMessage::new);
        } catch (MalformedMessage e) {
            throw e;
        } catch (RuntimeException e) {
            var stored = cases.appealIdBySource(CHANNEL, msgId);
            if (stored.isEmpty()) throw e;
            log.warn("WeChat text {}: appeal {} stored, its hand-over failed ({}): HandoverRecovery repeats it",
                    msgId, stored.get(), e.getClass().getSimpleName());
            return new IntakeService.Result(stored.get(), cases.caseIdOfAppeal(stored.get()), false);
        }
    }

    /** The passive reply to a text: the appeal id, and a request for a phone number while none is known. */
    private String receipt(String appealId) {
        Appeal a = cases.appeal(appealId);
        boolean phoneKnown = a != null && a.citizen() != null && a.citizen().phone() != null && !a.citizen().phone().isBlank();
        return "您的诉求已受理，编号 " + appealId + (phoneKnown ? "" : "。" + ASK_FOR_PHONE);
    }

    /**
     * A text that is only a phone number (the answer to the passive reply's request): the phone
     * of the follower's latest appeal, so that operations can call back when WeChat no longer
     * lets the hub write (45015). Kept as a message of type contact; WeChat's re-sends get the
     * same reply.
     */
    private Reply onContact(JsonNode message, String openid, long rawId, Instant now) {
        String msgId = WechatMapper.required(message, "MsgId");
        String phone = WechatMapper.contactPhone(WechatXml.text(message, "Content"));
        Instant at = WechatMapper.createTime(message, now);
        followers.ensureFollower(openid, now);
        String[] outcome = tx.execute(status -> {
            WechatFollowers.Follower follower = followers.lockFollower(openid);
            var known = followers.message(msgId);
            if (known.isPresent()) return new String[] {"duplicate", known.get().appealId()};
            String appealId = follower.lastAppealId();
            followers.insertMessage(msgId, openid, "contact", at, rawId, null, appealId, appealId == null ? null : now);
            if (appealId == null) return new String[] {"no appeal", null};
            Appeal a = cases.appeal(appealId);
            if (a != null) {
                String name = a.citizen() == null ? null : a.citizen().name();
                cases.updateAppeal(new Appeal(a.appealId(), a.caseId(), a.sources(), new Appeal.Citizen(name, phone, false),
                        a.title(), a.content(), a.occurredAt(), a.receivedAt(), a.location(), a.channelType(),
                        a.channelDeadline(), a.urgentHint(), a.attachments(), a.channelFields()));
                String caseId = cases.caseIdOfAppeal(appealId);
                if (caseId != null) {
                    cases.addEvent(caseId, "contact-added", CHANNEL, Map.of("appealId", appealId, "msgId", msgId,
                            "phone", Pii.maskPhone(phone), "note", "the follower left a phone number for a call-back"));
                }
            }
            return new String[] {"contact", appealId};
        });
        String appealId = outcome[1];
        raw.mark(rawId, "duplicate".equals(outcome[0]) ? RawItemStore.Status.DUPLICATE : RawItemStore.Status.ACCEPTED,
                msgId, appealId, appealId == null ? "a phone number with no appeal of the follower to belong to"
                        : "phone number for the call-back on appeal " + appealId);
        log.info("WeChat text {} is a phone number: {}", msgId, appealId == null ? "no appeal to add it to" : "added to appeal " + appealId);
        String text = appealId == null
                ? "已收到您的电话号码。请用文字描述您要反映的问题，我们将尽快受理。"
                : "已收到您的联系电话 " + Pii.maskPhone(phone) + "，需要时工作人员将电话联系您（诉求编号 " + appealId + "）。";
        return Reply.xml(WechatXml.textReply(openid, props.account(), now.getEpochSecond(), text));
    }

    private Reply onExtra(JsonNode message, String openid, long rawId, Instant now) {
        String msgId = WechatMapper.required(message, "MsgId");
        Extra extra = WechatMapper.extra(message);
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
        return Reply.success();
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
    private Reply notAnAppeal(JsonNode message, String type, long rawId) {
        String event = WechatXml.text(message, "Event");
        String note = "not an appeal: " + type + (event == null ? "" : " " + event);
        raw.mark(rawId, RawItemStore.Status.ACCEPTED, null, null, note);
        log.info("WeChat push (raw item {}) is {}", rawId, note);
        return Reply.success();
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

    static void reply(Exchange exchange, Reply reply) {
        answer(exchange, 200, reply.contentType(), reply.body());
    }

    static void answer(Exchange exchange, int status, String contentType, String body) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, contentType);
        exchange.getMessage().setBody(body);
    }
}
