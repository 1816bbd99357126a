package appealhub.connectors.wechat;

import appealhub.feedback.FeedbackPayload;
import appealhub.feedback.FeedbackSink;
import appealhub.model.Appeal;
import appealhub.model.Pii;
import appealhub.store.CaseStore;
import java.time.Duration;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Feedback to a follower by WeChat's customer-service message API. The intake is already
 * acknowledged by the passive reply (so no ack is owed); progress and result are sent, a
 * return becomes a polite note that the matter is outside the district's remit. 45015 (the
 * follower has not written for 48 hours) can never go through: refused, for operations to
 * call back by phone (the passive reply asked a follower without one for a phone number). 45047
 * (too many messages) and -1 (busy) are tried again later. A token WeChat will not give (40125
 * invalid AppSecret and the like) is refused for operations, not retried for ever.
 * Every call comes from one hub instance (lease {@value #LEADER_NAMESPACE}): one access token is
 * fetched and refreshed, as a new one cancels the one before.
 */
@Component
public class WechatFeedbackSink implements FeedbackSink {
    static final int MAX_CONTENT = 600;
    static final Duration FLOOD_WAIT = Duration.ofMinutes(10);
    /** The lease the feedback route follows (appealhub.cluster). */
    public static final String LEADER_NAMESPACE = "wechat";

    private final WechatClient client;
    private final WechatFollowers followers;
    private final CaseStore cases;

    public WechatFeedbackSink(WechatClient client, WechatFollowers followers, CaseStore cases) {
        this.client = client;
        this.followers = followers;
        this.cases = cases;
    }

    @Override
    public String channel() {
        return WechatMapper.CHANNEL;
    }

    @Override
    public boolean acknowledgesIntake() {
        return false; // the passive reply to the push carries the appeal id already
    }

    @Override
    public Optional<String> leaderNamespace() {
        return Optional.of(LEADER_NAMESPACE);
    }

    @Override
    public Outcome deliver(String msgId, FeedbackPayload payload) {
        if ("ack".equals(payload.kind())) return new Outcome.Delivered("acknowledged by the passive reply");
        var message = followers.message(msgId).filter(m -> "text".equals(m.msgType()));
        if (message.isEmpty()) return new Outcome.Refused("no WeChat text message " + msgId + " known: no follower to write to");
        String appealId = message.get().appealId();
        WechatClient.Answer a;
        try {
            a = client.sendText(message.get().openid(), content(payload, appealId));
        } catch (WechatClient.Unavailable e) {
            return new Outcome.Retry(e.getMessage(), null);
        } catch (WechatClient.TokenRefused e) {
            // A credentials or whitelist problem: operations fix it and send the feedback again from the refused list.
            return new Outcome.Refused(e.getMessage());
        }
        int errcode = a.errcode();
        if (a.status() == 200 && errcode == 0) return new Outcome.Delivered("customer-service message sent");
        return switch (errcode) {
            case 45015 -> new Outcome.Refused("WeChat 45015: the follower has not written in the last 48 hours, so "
                    + "customer-service messages are refused; operations must call the citizen back by phone (appeal "
                    + appealId + (phoneKnown(appealId) ? ": the follower left a phone number, see the appeal)"
                    : ": no phone number left, although the passive reply asked for one)"));
            case 45047 -> new Outcome.Retry("WeChat 45047: too many messages to this follower", FLOOD_WAIT);
            case -1 -> new Outcome.Retry("WeChat -1: system busy", null);
            case 40001, 42001, 40014 -> new Outcome.Retry("WeChat " + errcode + ": access token refused even after a new one", null);
            default -> new Outcome.Refused("WeChat answered HTTP " + a.status() + " errcode " + errcode + " " + a.errmsg());
        };
    }

    /** Whether the follower answered the passive reply's request with a phone number (WechatInbound). */
    private boolean phoneKnown(String appealId) {
        Appeal a = appealId == null ? null : cases.appeal(appealId);
        return a != null && a.citizen() != null && a.citizen().phone() != null && !a.citizen().phone().isBlank();
    }

    /** What the follower reads: phone and ID numbers masked. */
    static String content(FeedbackPayload payload, String appealId) {
        String text = payload.text() == null ? "" : payload.text().trim();
        String org = payload.orgName() == null || payload.orgName().isBlank() || text.contains(payload.orgName())
                ? "" : "（办理单位：" + payload.orgName() + "）";
        String body = switch (payload.kind()) {
            case "result" -> "【诉求办理结果】编号 " + appealId + "\n" + text + org + "\n感谢您的反映。";
            case "return" -> "【诉求办理说明】编号 " + appealId + "\n很抱歉，您反映的事项不在本区职责范围内，我们无法直接办理，"
                    + "建议您向有管辖权的部门反映。" + (text.isEmpty() ? "" : "说明：" + text) + "\n感谢您的理解。";
            default -> "【诉求办理进度】编号 " + appealId + "\n" + text + org;
        };
        String masked = Pii.maskInText(body);
        if (masked.codePointCount(0, masked.length()) <= MAX_CONTENT) return masked;
        return masked.substring(0, masked.offsetByCodePoints(0, MAX_CONTENT - 1)) + "…";
    }
}
