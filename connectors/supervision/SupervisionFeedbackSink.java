package appealhub.connectors.supervision;

import appealhub.feedback.FeedbackPayload;
import appealhub.feedback.FeedbackSink;
import appealhub.model.Pii;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Feedback to the supervision platform is a file, not a call: each feedback item becomes one
 * row of the results table (已受理, 办理中, 已办结, 退回), and the next result batch
 * (17:00 daily, or on demand) writes every row not yet in a batch to a DCJG_ file in the
 * outbox for the relay. Recording is the delivery; the same item handed twice is recorded once.
 */
@Component
public class SupervisionFeedbackSink implements FeedbackSink {
    static final Map<String, String> STATUS = Map.of(
            "ack", "已受理", "progress", "办理中", "result", "已办结", "return", "退回");

    private final SupervisionStore store;
    private final SupervisionProperties props;

    public SupervisionFeedbackSink(SupervisionStore store, SupervisionProperties props) {
        this.store = store;
        this.props = props;
    }

    @Override
    public String channel() {
        return SupervisionCsv.CHANNEL;
    }

    /** The platform expects 已受理 as soon as the hub has taken the clue. */
    @Override
    public boolean acknowledgesIntake() {
        return true;
    }

    @Override
    public Outcome deliver(String clueId, FeedbackPayload payload) {
        String status = STATUS.get(payload.kind());
        if (status == null) return new Outcome.Refused("supervision has no 办理状态 for feedback kind " + payload.kind());
        if (payload.at() == null) return new Outcome.Refused("feedback without a time cannot fill 办结时间");
        // The result file goes to a government platform that may show it to the citizen: phone and ID numbers masked.
        String org = payload.orgName() == null || payload.orgName().isBlank() ? props.unit() : payload.orgName();
        boolean recorded = store.recordResult(clueId, payload.kind(), status, Pii.maskInText(payload.text()), org,
                payload.at());
        return new Outcome.Delivered(recorded ? "recorded for the next result batch (" + status + ")"
                : "already recorded for a result batch (" + status + ")");
    }
}
