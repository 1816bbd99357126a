package appealhub.dispatch;

import appealhub.classify.AppealClassifier;
import appealhub.classify.OrganizationRegistry;
import appealhub.classify.Placement;
import appealhub.model.Appeal;
import appealhub.model.Ids;
import appealhub.store.CaseStore;
import appealhub.store.TaskStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Classify and dispatch: decides where a received case goes, records the decision and its
 * tasks in one transaction, then puts the task messages on the queues. Repeating it for
 * the same case (redelivery after a crash) finds the case placed and re-sends the same
 * task messages, which the broker's duplicate detection drops if they were already sent.
 */
@Service
public class DispatchService {
    private static final Logger log = LoggerFactory.getLogger(DispatchService.class);

    private final AppealClassifier classifier;
    private final OrganizationRegistry registry;
    private final CaseStore cases;
    private final TaskStore tasks;
    private final DeadlinePolicy deadlines;
    private final TaskMessages messages;
    private final HubMessaging messaging;
    private final TransactionTemplate tx;

    public DispatchService(AppealClassifier classifier, OrganizationRegistry registry, CaseStore cases, TaskStore tasks,
                           DeadlinePolicy deadlines, TaskMessages messages, HubMessaging messaging, TransactionTemplate tx) {
        this.classifier = classifier;
        this.registry = registry;
        this.cases = cases;
        this.tasks = tasks;
        this.deadlines = deadlines;
        this.messages = messages;
        this.messaging = messaging;
        this.tx = tx;
    }

    /** Outgoing messages decided inside the transaction, sent after it commits. */
    private record Outgoing(List<TaskStore.TaskRecord> tasks, String triageJson, int round) {}

    public void place(String caseId) {
        Outgoing out = tx.execute(status -> {
            CaseStore.CaseRecord c = cases.lockCase(caseId);
            if (c == null) throw new IllegalStateException("no case " + caseId);
            List<Appeal> appeals = cases.appealsOfCase(caseId);
            if ("TRIAGE".equals(c.status())) {
                return new Outgoing(List.of(), messages.triage(c, appeals, null, "unplaced"), c.round());
            }
            if (!"RECEIVED".equals(c.status())) {
                return new Outgoing(tasks.ofCaseRound(caseId, c.round()), null, c.round());
            }
            Placement p = classifier.classify(appeals.get(0));
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("category", p.category());
            detail.put("topic", p.topic());
            detail.put("lead", p.leadOrg());
            detail.put("co", p.coOrgs());
            detail.put("township", p.townshipCode());
            detail.put("urgency", p.urgency());
            detail.put("complexity", p.complexity());
            detail.put("confidence", p.confidence());
            if (p.confidences() != null && !p.confidences().isEmpty()) detail.put("confidences", p.confidences());
            detail.put("why", p.explanation());
            cases.addEvent(caseId, "classified", "classifier", detail);
            if (!p.placed()) {
                cases.updatePlacement(caseId, "TRIAGE", p.category(), p.topic(), null, null, p.townshipCode(),
                        p.urgency(), p.complexity(), null, c.round());
                cases.addEvent(caseId, "triage", "hub", Map.of("reason",
                        p.triageReason() != null ? p.triageReason() : "no department or township matched"));
                CaseStore.CaseRecord now = cases.findCase(caseId);
                return new Outgoing(List.of(), messages.triage(now, appeals, p, "unplaced"), c.round());
            }
            Instant deadline = deadlines.deadline(p.complexity(), appeals.get(0).channelDeadline());
            List<TaskStore.TaskRecord> created = new ArrayList<>();
            created.add(newTask(caseId, p.leadOrg(), "lead", c.round(), deadline));
            for (String co : p.coOrgs()) created.add(newTask(caseId, co, "co", c.round(), deadline));
            created.forEach(tasks::insert);
            cases.updatePlacement(caseId, "DISPATCHED", p.category(), p.topic(), p.leadOrg(),
                    String.join(",", p.coOrgs()), p.townshipCode(), p.urgency(), p.complexity(), deadline, c.round());
            recordDispatched(caseId, created);
            return new Outgoing(created, null, c.round());
        });
        send(caseId, out);
    }

    /** Re-opens a case with the same departments and a new deadline (e.g. a dissatisfied evaluation). */
    public boolean reopen(String caseId, String actor, Map<String, ?> reason) {
        Outgoing out = tx.execute(status -> {
            CaseStore.CaseRecord c = cases.lockCase(caseId);
            List<TaskStore.TaskRecord> previous = tasks.ofCaseRound(caseId, c.round());
            if (previous.isEmpty()) return null;
            int round = c.round() + 1;
            Instant deadline = deadlines.deadline(c.complexity(), null);
            List<TaskStore.TaskRecord> created = new ArrayList<>();
            for (TaskStore.TaskRecord p : previous) created.add(newTask(caseId, p.orgCode(), p.role(), round, deadline));
            created.forEach(tasks::insert);
            cases.updatePlacement(caseId, "DISPATCHED", c.category(), c.topic(), c.leadDept(), c.coDepts(),
                    c.townshipCode(), c.urgency(), c.complexity(), deadline, round);
            Map<String, Object> detail = new LinkedHashMap<>(reason);
            detail.put("round", round);
            cases.addEvent(caseId, "reopened", actor, detail);
            recordDispatched(caseId, created);
            return new Outgoing(created, null, round);
        });
        if (out == null) return false;
        send(caseId, out);
        return true;
    }

    /** An operator's decision in manual triage: where the case goes, and who decided. */
    public record OperatorPlacement(String category, String topic, String leadOrg, List<String> coOrgs,
                                    String townshipCode, String operator) {}

    /** A case that is not waiting for triage (an operator cannot place it). */
    public static class NotInTriage extends RuntimeException {
        public NotInTriage(String message) {
            super(message);
        }
    }

    /**
     * Places a case waiting in manual triage as an operator decided: tasks for the lead and
     * co-organisations (a new round if the case had tasks before, e.g. returned by a department),
     * the case-file event "triaged" with the operator's name, then the task messages.
     */
    public List<TaskStore.TaskRecord> placeByOperator(String caseId, OperatorPlacement d) {
        Outgoing out = tx.execute(status -> {
            CaseStore.CaseRecord c = cases.lockCase(caseId);
            if (c == null) throw new IllegalStateException("no case " + caseId);
            if (!"TRIAGE".equals(c.status())) throw new NotInTriage("case " + caseId + " is " + c.status() + ", not waiting for triage");
            List<Appeal> appeals = cases.appealsOfCase(caseId);
            int round = tasks.ofCaseRound(caseId, c.round()).isEmpty() ? c.round() : c.round() + 1;
            String complexity = c.complexity() == null ? "general" : c.complexity();
            if (!d.coOrgs().isEmpty() && "general".equals(complexity)) complexity = "complex";
            String urgency = c.urgency() == null ? "normal" : c.urgency();
            Instant deadline = deadlines.deadline(complexity, appeals.get(0).channelDeadline());
            List<TaskStore.TaskRecord> created = new ArrayList<>();
            created.add(newTask(caseId, d.leadOrg(), "lead", round, deadline));
            for (String co : d.coOrgs()) created.add(newTask(caseId, co, "co", round, deadline));
            created.forEach(tasks::insert);
            cases.updatePlacement(caseId, "DISPATCHED", d.category(), d.topic(), d.leadOrg(), String.join(",", d.coOrgs()),
                    d.townshipCode(), urgency, complexity, deadline, round);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("operator", d.operator());
            detail.put("category", d.category());
            detail.put("topic", d.topic());
            detail.put("lead", d.leadOrg());
            detail.put("co", d.coOrgs());
            detail.put("township", d.townshipCode());
            detail.put("before", Map.of("category", String.valueOf(c.category()), "topic", String.valueOf(c.topic()),
                    "township", String.valueOf(c.townshipCode())));
            detail.put("round", round);
            cases.addEvent(caseId, "triaged", d.operator(), detail);
            recordDispatched(caseId, created);
            return new Outgoing(created, null, round);
        });
        send(caseId, out);
        return out.tasks();
    }

    /** Sends a returned case to manual triage (re-routing rules come with the deadlines issue). */
    public void toTriage(String caseId, String reason) {
        CaseStore.CaseRecord c = cases.findCase(caseId);
        messaging.sendTriage(caseId, c.round(), messages.triage(c, cases.appealsOfCase(caseId), null, reason));
    }

    private void send(String caseId, Outgoing out) {
        if (out.triageJson() != null) {
            messaging.sendTriage(caseId, out.round(), out.triageJson());
            log.info("case {} unplaced: sent to triage", caseId);
            return;
        }
        if (out.tasks().isEmpty()) return;
        CaseStore.CaseRecord c = cases.findCase(caseId);
        List<Appeal> appeals = cases.appealsOfCase(caseId);
        for (TaskStore.TaskRecord t : out.tasks()) {
            messaging.sendTask(t.queue(), t.taskId(), messages.task(t, c, appeals), "urgent".equals(c.urgency()));
            log.info("case {} task {} ({}) sent to {}", caseId, t.taskId(), t.role(), t.queue());
        }
    }

    private void recordDispatched(String caseId, List<TaskStore.TaskRecord> created) {
        for (TaskStore.TaskRecord t : created) {
            cases.addEvent(caseId, "dispatched", "hub", Map.of("taskId", t.taskId(), "org", t.orgCode(),
                    "role", t.role(), "queue", t.queue(), "deadline", t.deadline().toString()));
        }
    }

    private TaskStore.TaskRecord newTask(String caseId, String org, String role, int round, Instant deadline) {
        return new TaskStore.TaskRecord(Ids.task(), caseId, org, registry.taskQueue(org), role, round, "SENT",
                deadline, null);
    }
}
