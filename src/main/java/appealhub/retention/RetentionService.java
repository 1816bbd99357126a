package appealhub.retention;

import appealhub.cluster.ClusterProperties;
import appealhub.model.Pii;
import appealhub.store.RetentionStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Purges personal data a configurable time after a case closed (issue 14, item 13): the appeals'
 * citizens (name, phone), the numbers in their titles and texts, personal fields the channels
 * kept (caller, phone, openId), the raw bodies behind them, and what each channel keeps in its own
 * tables ({@link ChannelRetention}); and the raw items that became no appeal at all. Case ids,
 * categories, organisations, times and the case file stay, so the
 * statistics and reports do not change.
 *
 * <p>Leader-safe without a lease: each case is claimed by a conditional update
 * ({@link RetentionStore#claim}), in the same transaction as its purge; an instance that loses the
 * claim skips the case. Each run that purged anything is recorded (GET /ops/retention).
 */
@Service
public class RetentionService {
    private static final Logger log = LoggerFactory.getLogger(RetentionService.class);
    /** channelFields that name or reach a person (all channels' mappers), dropped at the purge. */
    static final Set<String> PERSONAL_FIELDS = Set.of("ldrxm", "lxdh", "username", "mobile", "openid", "name", "phone",
            "fromusername", "reporterid", "sfzh", "idcard", "联系人", "联系电话", "举报人", "姓名", "电话", "身份证号");

    public record Result(Instant at, Instant closedBefore, int cases, int appeals, int raw) {
        public boolean purgedAnything() {
            return cases + appeals + raw > 0;
        }
    }

    private final RetentionProperties props;
    private final RetentionStore store;
    private final ObjectMapper json;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final String instance;
    private final List<ChannelRetention> channels;

    public RetentionService(RetentionProperties props, RetentionStore store, ObjectMapper json, TransactionTemplate tx,
                            Clock clock, ClusterProperties cluster, List<ChannelRetention> channels) {
        this.channels = channels;
        this.props = props;
        this.store = store;
        this.json = json;
        this.tx = tx;
        this.clock = clock;
        this.instance = cluster.nodeId();
    }

    public RetentionProperties properties() {
        return props;
    }

    /** One run: due cases (at most a batch), then orphan raw items. */
    public Result purge() {
        Instant started = clock.instant();
        Instant closedBefore = started.minus(Duration.ofDays(props.closedDays()));
        int cases = 0;
        int appeals = 0;
        int raw = 0;
        for (String caseId : store.dueCases(closedBefore, props.batch())) {
            int[] done = tx.execute(status -> {
                if (!store.claim(caseId, closedBefore, started)) return null; // another instance has it
                int a = 0;
                List<String> appealIds = new ArrayList<>();
                for (RetentionStore.AppealRow row : store.appealsOf(caseId)) {
                    store.rewriteAppeal(row.appealId(), Pii.maskInText(row.title()), pseudonymised(row.modelJson()));
                    appealIds.add(row.appealId());
                    a++;
                }
                // what the channels keep of their own (WeChat's openids, 督查 result texts)
                for (ChannelRetention channel : channels) channel.purge(caseId, appealIds);
                // numbers in the case file and in what the citizen was sent (department notes, replies)
                for (RetentionStore.TextRow e : store.eventDetailsOf(caseId)) {
                    String masked = Pii.maskInText(e.text());
                    if (!masked.equals(e.text())) store.rewriteEventDetail(e.id(), masked);
                }
                for (RetentionStore.TextRow f : store.settledFeedbackOf(caseId)) {
                    String masked = Pii.maskInText(f.text());
                    if (!masked.equals(f.text())) store.rewriteFeedback(f.id(), masked);
                }
                return new int[] {a, store.purgeRawOfCase(caseId, started)};
            });
            if (done == null) continue;
            cases++;
            appeals += done[0];
            raw += done[1];
        }
        raw += store.purgeOrphanRaw(started.minus(Duration.ofDays(props.rawDays())), started, props.batch() * 10);
        Result result = new Result(started, closedBefore, cases, appeals, raw);
        if (result.purgedAnything()) {
            store.recordRun(started, clock.instant(), instance, closedBefore, cases, appeals, raw);
            log.info("retention: {} closed cases ({} appeals) pseudonymised, {} raw bodies emptied", cases, appeals, raw);
        }
        return result;
    }

    /** An appeal's stored model without its personal data. */
    String pseudonymised(String modelJson) {
        try {
            JsonNode root = json.readTree(modelJson);
            if (!(root instanceof ObjectNode appeal)) return modelJson;
            if (appeal.get("citizen") instanceof ObjectNode citizen) {
                citizen.remove("name");
                citizen.remove("phone");
            }
            maskText(appeal, "title");
            maskText(appeal, "content");
            if (appeal.get("channelFields") instanceof ObjectNode fields) {
                for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    if (PERSONAL_FIELDS.contains(f.getKey().toLowerCase(Locale.ROOT))) it.remove();
                    else if (f.getValue().isTextual()) f.setValue(json.getNodeFactory().textNode(Pii.maskInText(f.getValue().asText())));
                }
            }
            return json.writeValueAsString(appeal);
        } catch (java.io.IOException e) {
            // not JSON any more: nothing personal can be picked out of it, so nothing of it is kept
            return "{}";
        }
    }

    private static void maskText(ObjectNode node, String field) {
        JsonNode v = node.get(field);
        if (v != null && v.isTextual()) node.put(field, Pii.maskInText(v.asText()));
    }
}
