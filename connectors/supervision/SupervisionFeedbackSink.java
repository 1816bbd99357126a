package appealhub.connectors.supervision;

import appealhub.feedback.FeedbackPayload;
import appealhub.feedback.FeedbackSink;
import appealhub.model.Pii;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Feedback to the supervision platform is a file, not a call: each feedback item becomes one
 * row of the results table (已受理, 办理中, 已办结, 退回), and the next result batch
 * (17:00 daily, or on demand) writes every row not yet in a batch to a DCJG_ file in the
 * outbox for the relay. Recording is the delivery; the same item handed twice is recorded once.
 * The file is GBK: a character GBK cannot hold is recorded as □ ({@link SupervisionCsv#GBK_SUBSTITUTE})
 * and the characters replaced are kept with the row, in the case file's "fed-back" note and in
 * GET /ops/supervision/batches, never written as a silent '?'.
 */
@Component
public class SupervisionFeedbackSink implements FeedbackSink {
    private static final Logger log = LoggerFactory.getLogger(SupervisionFeedbackSink.class);
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
        // The file is GBK: a character it cannot hold is written as □, and said so (case file, log, GET /ops/supervision/batches).
        SupervisionCsv.GbkSafe text = SupervisionCsv.gbkSafe(Pii.maskInText(payload.text()));
        SupervisionCsv.GbkSafe unit = SupervisionCsv.gbkSafe(org);
        List<String> replaced = new ArrayList<>(text.replaced());
        replaced.addAll(unit.replaced());
        String substituted = replaced.isEmpty() ? null : String.join(" ", replaced);
        boolean recorded = store.recordResult(clueId, payload.kind(), status, text.text(), unit.text(), payload.at(),
                substituted);
        String note = recorded ? "recorded for the next result batch (" + status + ")"
                : "already recorded for a result batch (" + status + ")";
        if (substituted != null) {
            note += "; " + replaced.size() + "个字符GBK无法表示，结果文件中写作" + SupervisionCsv.GBK_SUBSTITUTE + "：" + substituted;
            // Which characters stays out of the log (it may be part of a name): GET /ops/supervision/batches has them.
            log.warn("supervision clue {} ({}): {} characters GBK cannot hold written as {} in the result file"
                    + " (GET /ops/supervision/batches)", clueId, payload.kind(), replaced.size(), SupervisionCsv.GBK_SUBSTITUTE);
        }
        return new Outcome.Delivered(note);
    }
}
