package appealhub.merge;

import appealhub.model.TaskRole;
import appealhub.model.CaseStatus;
import appealhub.organization.OrganizationRegistry;
import appealhub.messaging.TaskMessages;
import appealhub.messaging.TaskUpdate;
import appealhub.feedback.FeedbackPayload;
import appealhub.model.Appeal;
import appealhub.store.CaseStore;
import appealhub.store.FeedbackOutbox;
import appealhub.store.TaskStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The merge step of the flow (issue 5): a new appeal that repeats an open case joins that
 * case as another source instead of becoming a second task. Runs inside the dispatch
 * transaction with the new case locked; returns the task updates to send after commit.
 *
 * <p>Only open cases (dispatched, accepted, in triage) take merges. A repeat of a case
 * already resolved is not merged: the problem may have come back, so the new case is
 * dispatched normally and both case files note the link ("repeat-of").
 */
@Component
public class CaseMerger {
    private static final Set<CaseStatus> OPEN = java.util.EnumSet.of(CaseStatus.DISPATCHED, CaseStatus.ACCEPTED, CaseStatus.TRIAGE);
    public static final int PRIORITY_NORMAL = 4;
    public static final int PRIORITY_HOT = 7;


    /** What the merge step decided for a new case. */
    public record Outcome(boolean merged, String targetCaseId, List<TaskUpdate> updates) {
        static Outcome notMerged() {
            return new Outcome(false, null, List.of());
        }
    }

    private final DuplicateDetector detector;
    private final CaseStore cases;
    private final TaskStore tasks;
    private final FeedbackOutbox outbox;
    private final OrganizationRegistry registry;
    private final TaskMessages messages;
    private final ObjectMapper json;
    private final Clock clock;
    private final int hotCitizens;

    public CaseMerger(DuplicateDetector detector, CaseStore cases, TaskStore tasks, FeedbackOutbox outbox,
                      OrganizationRegistry registry, TaskMessages messages, ObjectMapper json, Clock clock,
                      @Value("${hub.merge.hot-citizens:3}") int hotCitizens) {
        this.detector = detector;
        this.cases = cases;
        this.tasks = tasks;
        this.outbox = outbox;
        this.registry = registry;
        this.messages = messages;
        this.json = json;
        this.clock = clock;
        this.hotCitizens = hotCitizens;
    }

    public int hotCitizens() {
        return hotCitizens;
    }

    public static Candidate candidateOf(Appeal a, String townshipCode) {
        Appeal.Location loc = a.location();
        String phone = a.citizen() == null ? null : a.citizen().phone();
        String township = townshipCode != null ? townshipCode : loc == null ? null : loc.townshipCode();
        String place = loc == null ? null : loc.place() != null ? loc.place() : loc.address();
        return new Candidate(a.title(), a.content(), phone, township, place,
                loc == null ? null : loc.lat(), loc == null ? null : loc.lon(), a.receivedAt());
    }

    /**
     * Decides whether the new case's single appeal joins an open case; if so moves it there,
     * records both case files, marks the new case MERGED and owes its source the target's state.
     * Otherwise indexes the new case so later appeals can join it.
     */
    public Outcome mergeOrIndex(CaseStore.CaseRecord newCase, Appeal appeal, String townshipCode) {
        Candidate candidate = candidateOf(appeal, townshipCode);
        if (!cases.mergeBlocked(newCase.caseId())) {
            Optional<MergeDecision> found = detector.findDuplicate(candidate);
            if (found.isPresent() && !found.get().caseId().equals(newCase.caseId())) {
                MergeDecision d = found.get();
                CaseStore.CaseRecord target = cases.lockCase(d.caseId());
                if (target != null && OPEN.contains(target.status())) {
                    return merge(newCase, appeal, target, d);
                }
                if (target != null && target.status() == CaseStatus.RESOLVED) {
                    noteRepeat(newCase.caseId(), target.caseId(), d);
                }
            }
        }
        detector.index(newCase.caseId(), candidate);
        return Outcome.notMerged();
    }

    private Outcome merge(CaseStore.CaseRecord newCase, Appeal appeal, CaseStore.CaseRecord target, MergeDecision d) {
        cases.moveAppeal(appeal.appealId(), newCase.caseId(), target.caseId());
        cases.updateAppeal(appeal.withIds(appeal.appealId(), target.caseId()));
        cases.markMerged(newCase.caseId(), target.caseId());
        Appeal.Source source = appeal.firstSource();
        int citizens = countCitizens(target.caseId());
        boolean becomesHot = citizens >= hotCitizens && !target.hot();
        cases.updateCitizens(target.caseId(), citizens, target.hot() || becomesHot,
                becomesHot ? Math.max(target.priority(), PRIORITY_HOT) : target.priority());

        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("appealId", appeal.appealId());
        detail.put("fromCase", newCase.caseId());
        detail.put("channel", source.channel());
        detail.put("sourceItemId", source.sourceItemId());
        detail.put("score", round(d.score()));
        detail.put("textSimilarity", round(d.textSimilarity()));
        detail.put("reasons", d.reasons());
        detail.put("citizens", citizens);
        cases.addEvent(target.caseId(), "merged", "merger", detail);
        cases.addEvent(newCase.caseId(), "merged-into", "merger", Map.of("targetCase", target.caseId(),
                "score", round(d.score()), "reasons", d.reasons()));
        if (becomesHot) {
            cases.addEvent(target.caseId(), "hot-issue", "merger", Map.of("citizens", citizens,
                    "priority", PRIORITY_HOT, "threshold", hotCitizens));
        }
        oweTargetState(target, source);
        return new Outcome(true, target.caseId(), updatesFor(target.caseId(), appeal, "new-source"));
    }

    /**
     * The task updates for a case's open tasks after its sources changed (a merge, a split).
     * The duplicate id makes a re-send after a crash harmless.
     */
    public List<TaskUpdate> updatesFor(String caseId, Appeal changed, String kind) {
        CaseStore.CaseRecord c = cases.findCase(caseId);
        if (c.leadDept() == null) return List.of(); // in triage: no department has it yet
        int sources = cases.sourcesOfCase(caseId).size();
        List<TaskUpdate> out = new ArrayList<>();
        String text = "new-source".equals(kind)
                ? "又有群众反映此问题（" + changed.firstSource().channel() + "），现共" + c.citizenCount() + "位群众反映"
                + (c.hot() ? "，已列为热点问题，请优先办理。" : "。")
                : "此前合并的一条诉求经核实不属于本案，已移出；现共" + c.citizenCount() + "位群众反映。";
        for (TaskStore.TaskRecord t : tasks.ofCaseRound(caseId, c.round())) {
            if (t.status().finished()) continue;
            var root = messages.taskUpdate(kind, t, c, text);
            root.put("sourceCount", sources);
            var a = root.putObject("appeal");
            a.put("appealId", changed.appealId());
            a.put("channel", changed.firstSource().channel());
            if ("new-source".equals(kind)) {
                a.put("title", changed.title());
                a.put("content", changed.content());
                a.put("receivedAt", changed.receivedAt() == null ? null : changed.receivedAt().toString());
                Appeal.Citizen citizen = changed.citizen();
                boolean anonymous = citizen == null || citizen.anonymous();
                var contact = a.putObject("citizen");
                contact.put("anonymous", anonymous);
                if (!anonymous && t.role() == TaskRole.LEAD) { // as in the task: the lead only
                    contact.put("name", citizen.name());
                    contact.put("phone", citizen.phone());
                }
            }
            out.add(new TaskUpdate(t.queue(), t.taskId(), "update-" + kind + "-" + t.taskId() + "-" + changed.appealId(),
                    root.toString(), c.messagePriority()));
        }
        return out;
    }

    /** Distinct citizens among the case's appeals: by phone, else each appeal counts as one. */
    public int countCitizens(String caseId) {
        Set<String> people = new HashSet<>();
        for (Appeal a : cases.appealsOfCase(caseId)) {
            String phone = a.citizen() == null || a.citizen().phone() == null ? null
                    : a.citizen().phone().replaceAll("\\D", "");
            people.add(phone == null || phone.isEmpty() ? "appeal:" + a.appealId() : "phone:" + phone);
        }
        return Math.max(1, people.size());
    }

    /** The new source was acknowledged at intake; it also gets what the others already got. */
    private void oweTargetState(CaseStore.CaseRecord target, Appeal.Source source) {
        if (target.status() == CaseStatus.ACCEPTED && target.leadDept() != null) {
            String orgName = registry.orgName(target.leadDept());
            String payload = FeedbackPayload.of("progress", "您的诉求已由" + orgName + "受理，正在办理。", orgName,
                    clock.instant()).toJson(json);
            outbox.enqueue(target.caseId(), source.channel(), source.sourceItemId(), "progress", payload);
        }
    }

    private void noteRepeat(String newCaseId, String resolvedCaseId, MergeDecision d) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("score", round(d.score()));
        detail.put("reasons", d.reasons());
        detail.put("resolvedCase", resolvedCaseId);
        cases.addEvent(newCaseId, "repeat-of", "merger", detail);
        cases.addEvent(resolvedCaseId, "repeated", "merger", Map.of("newCase", newCaseId, "score", round(d.score())));
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
