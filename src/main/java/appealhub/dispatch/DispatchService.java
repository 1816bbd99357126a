package appealhub.dispatch;

import appealhub.model.TaskStatus;
import appealhub.model.TaskRole;
import appealhub.model.CaseStatus;
import appealhub.messaging.HubMessaging;
import appealhub.messaging.QueueMessage;
import appealhub.messaging.TaskMessages;
import appealhub.messaging.TaskUpdate;
import appealhub.deadline.DeadlinePolicy;

import appealhub.classify.AppealClassifier;
import appealhub.organization.OrganizationRegistry;
import appealhub.classify.Placement;
import appealhub.merge.CaseMerger;
import appealhub.model.Appeal;
import appealhub.model.Ids;
import appealhub.store.CaseStore;
import appealhub.store.CaseStore.CasePlacement;
import appealhub.model.TaskRole;
import appealhub.store.TaskStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
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
    private static final com.fasterxml.jackson.databind.ObjectMapper READER = new com.fasterxml.jackson.databind.ObjectMapper();

    private final AppealClassifier classifier;
    private final OrganizationRegistry registry;
    private final CaseStore cases;
    private final TaskStore tasks;
    private final DeadlinePolicy deadlines;
    private final TaskMessages messages;
    private final HubMessaging messaging;
    private final CaseMerger merger;
    private final TransactionTemplate tx;
    private final int returnsBeforeTriage;
    private final double rerouteMinProbability;
    /** Channels whose urgent items (the grid's severity 3: "dispatch at once") never wait in triage. */
    private final java.util.Set<String> atOnceChannels;
    /** How long a task's send claim holds before another sender may take it (its holder died). */
    private final java.time.Duration sendClaim;

    public DispatchService(AppealClassifier classifier, OrganizationRegistry registry, CaseStore cases, TaskStore tasks,
                           DeadlinePolicy deadlines, TaskMessages messages, HubMessaging messaging, CaseMerger merger,
                           TransactionTemplate tx,
                           @Value("${hub.returns.max-before-triage:2}") int returnsBeforeTriage,
                           @Value("${hub.returns.reroute-min-probability:0.15}") double rerouteMinProbability,
                           @Value("${hub.dispatch.at-once-channels:grid}") java.util.Set<String> atOnceChannels,
                           @Value("${hub.dispatch.send-claim-seconds:${hub.intake.recovery-after-seconds:30}}") long sendClaimSeconds) {
        this.atOnceChannels = atOnceChannels;
        this.sendClaim = java.time.Duration.ofSeconds(sendClaimSeconds);
        this.classifier = classifier;
        this.registry = registry;
        this.cases = cases;
        this.tasks = tasks;
        this.deadlines = deadlines;
        this.messages = messages;
        this.messaging = messaging;
        this.merger = merger;
        this.tx = tx;
        this.returnsBeforeTriage = returnsBeforeTriage;
        this.rerouteMinProbability = rerouteMinProbability;
    }

    /** Outgoing messages decided inside the transaction, sent after it commits. */
    private record Outgoing(List<TaskStore.TaskRecord> tasks, String triageJson, int round,
                            List<TaskUpdate> updates) {
        Outgoing(List<TaskStore.TaskRecord> tasks, String triageJson, int round) {
            this(tasks, triageJson, round, List.of());
        }

        static Outgoing updates(List<TaskUpdate> updates) {
            return new Outgoing(List.of(), null, 0, updates);
        }
    }

    /**
     * Flow step 4, called by route "dispatch" for each hand-over on hub.intake: merges the case into
     * an open one, or classifies and places it (tasks, or manual triage), in one transaction.
     * @param handOverId the hand-over's message id: the sender's name on the send claims of the tasks it
     *                   returns, so that its own redelivery may send them again and nobody else meanwhile
     * @return the messages decided, for the route to put on their queues after the commit
     */
    public List<QueueMessage> place(String caseId, String handOverId) {
        Outgoing out = tx.execute(status -> {
            CaseStore.CaseRecord c = cases.lockCase(caseId);
            // Every case is committed before its hand-over is sent, so this message names no case of
            // this hub: retrying cannot help. The route parks it for operations at once.
            if (c == null) throw new UnknownCase(caseId);
            List<Appeal> appeals = cases.appealsOfCase(caseId);
            if (c.status() == CaseStatus.TRIAGE) {
                return new Outgoing(List.of(), messages.triage(c, appeals, null, triageReason(caseId)), c.round());
            }
            if (c.status() == CaseStatus.MERGED) { // placed before as a merge: re-send its updates (duplicates are dropped)
                List<TaskUpdate> again = new ArrayList<>();
                for (Appeal a : cases.appealsReceivedAs(caseId)) again.addAll(merger.updatesFor(c.mergedInto(), a, "new-source"));
                return Outgoing.updates(again);
            }
            if (c.status() != CaseStatus.RECEIVED) {
                // Placed before (redelivery, a second hand-over, a re-route, a re-open, an operator's
                // triage): send what still waits for its department and nobody else is sending. A
                // task whose claim another hand-over or the recovery holds is theirs to send: both
                // sending at once would pass the broker's duplicate check (docs/reliability.md).
                List<TaskStore.TaskRecord> waiting = tasks.ofCaseRound(caseId, c.round()).stream()
                        .filter(t -> t.status() == TaskStatus.SENT)
                        .filter(t -> tasks.claimSend(t.taskId(), handOverId, sendClaim)).toList();
                return new Outgoing(waiting, null, c.round());
            }
            // The case row is locked above, so no other placement can be in here; the conditional
            // update states it in the database too: a second placement of one case never makes a
            // second lead, whatever happened to the lock (it rolls back and is redelivered).
            if (!cases.leaveReceived(caseId, CaseStatus.PLACING)) {
                throw new org.springframework.dao.ConcurrencyFailureException("case " + caseId + " placed meanwhile");
            }
            Placement p = atOnceIfCritical(appeals.get(0), classifier.classify(appeals.get(0)));
            if (c.round() == 0 && appeals.size() == 1) {
                // One problem, one case: a repeat of an open case joins it instead of becoming a second task.
                CaseMerger.Outcome merge = merger.mergeOrIndex(c, appeals.get(0), p.townshipCode());
                if (merge.merged()) return Outgoing.updates(merge.updates());
            }
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
            if (p.explanation() != null && p.explanation().get("dispatchedAtOnce") != null) {
                cases.addEvent(caseId, "dispatched-at-once", "hub", Map.of("reason", p.explanation().get("dispatchedAtOnce")));
            }
            if (!p.placed()) {
                cases.updatePlacement(caseId, new CasePlacement(CaseStatus.TRIAGE, p.category(), p.topic(), null, List.of(),
                        p.townshipCode(), p.urgency(), p.complexity(), null, c.round()));
                cases.addEvent(caseId, "triage", "hub", Map.of("reason",
                        p.triageReason() != null ? p.triageReason() : "no department or township matched"));
                CaseStore.CaseRecord now = cases.findCase(caseId);
                return new Outgoing(List.of(), messages.triage(now, appeals, p, "unplaced"), c.round());
            }
            Instant deadline = deadlines.deadline(p.complexity(), p.category(), appeals.get(0).channelDeadline());
            List<TaskStore.TaskRecord> created = new ArrayList<>();
            created.add(newTask(caseId, p.leadOrg(), TaskRole.LEAD, c.round(), deadline));
            for (String co : p.coOrgs()) created.add(newTask(caseId, co, TaskRole.CO, c.round(), deadline));
            created.forEach(t -> tasks.insertClaimed(t, handOverId, sendClaim)); // this hand-over sends them
            cases.updatePlacement(caseId, new CasePlacement(CaseStatus.DISPATCHED, p.category(), p.topic(), p.leadOrg(),
                    p.coOrgs(), p.townshipCode(), p.urgency(), p.complexity(), deadline, c.round()));
            recordDispatched(caseId, created);
            return new Outgoing(created, null, c.round());
        });
        return messagesFor(caseId, out);
    }

    /**
     * A critical item of a channel that means "dispatch at once" (the grid's severity 3) never waits
     * in manual triage: unplaced, it goes to the best suggestion the classifier has, else to the
     * township it happened in, as urgent (the lead's emergency check then alerts the duty leader, and
     * its tasks carry priority 9). Anything else is returned as it is.
     */
    Placement atOnceIfCritical(Appeal appeal, Placement p) {
        if (p.placed() || !appeal.urgentHint() || appeal.firstSource() == null
                || !atOnceChannels.contains(appeal.firstSource().channel())) return p;
        String lead = null;
        String topic = p.topic();
        List<String> co = List.of();
        String why;
        Placement.Suggestion best = p.suggestions().stream().filter(s -> s.leadOrg() != null).findFirst().orElse(null);
        if (best != null) {
            lead = best.leadOrg();
            topic = best.topic() != null ? best.topic() : topic;
            co = best.coOrgs() == null ? List.of() : best.coOrgs();
            why = "best suggestion " + best.leadOrg() + " (" + best.probability() + ")";
        } else if (p.townshipCode() != null) {
            lead = p.townshipCode();
            why = "the township it happened in";
        } else {
            return p; // nothing at all to send it to: triage (the alert below still goes out)
        }
        Map<String, Object> explanation = new LinkedHashMap<>(p.explanation() == null ? Map.of() : p.explanation());
        explanation.put("dispatchedAtOnce", why + "; unplaced: " + p.triageReason());
        return new Placement(p.category(), topic, lead, co, p.townshipCode(), "urgent", p.complexity(), p.confidence(),
                explanation, p.confidences(), p.suggestions(), null);
    }

    /** Re-opens a case with the same departments and a new deadline (e.g. a dissatisfied evaluation). */
    public boolean reopen(String caseId, String actor, Map<String, ?> reason) {
        Outgoing out = tx.execute(status -> {
            CaseStore.CaseRecord c = cases.lockCase(caseId);
            if (c == null || c.status() != CaseStatus.RESOLVED) return null; // only a closed case re-opens (once)
            List<TaskStore.TaskRecord> previous = tasks.ofCaseRound(caseId, c.round()).stream()
                    .filter(t -> t.status() != TaskStatus.RETURNED).toList();
            if (previous.isEmpty()) return null;
            int round = c.round() + 1;
            Instant deadline = deadlines.deadline(c.complexity(), c.category(), null);
            List<TaskStore.TaskRecord> created = new ArrayList<>();
            for (TaskStore.TaskRecord p : previous) created.add(newTask(caseId, p.orgCode(), p.role(), round, deadline));
            created.forEach(tasks::insert);
            cases.updatePlacement(caseId, new CasePlacement(CaseStatus.DISPATCHED, c.category(), c.topic(), c.leadDept(),
                    c.coDepts(), c.townshipCode(), c.urgency(), c.complexity(), deadline, round));
            Map<String, Object> detail = new LinkedHashMap<>(reason);
            detail.put("round", round);
            cases.addEvent(caseId, "reopened", actor, detail);
            recordDispatched(caseId, created);
            return new Outgoing(created, null, round);
        });
        if (out == null) return false;
        messaging.enqueueForPlacement(caseId, out.round(), "reopen"); // the tasks go out by route "dispatch"
        return true;
    }

    /** A hand-over naming a case this hub's database does not have. */
    public static class UnknownCase extends appealhub.contract.Unprocessable {
        public UnknownCase(String caseId) {
            super("no case " + caseId + " in this hub's database");
        }

        @Override
        public String deadLetterQueue() {
            return appealhub.contract.Queues.DEAD_INTAKE;
        }
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
            if (c.status() != CaseStatus.TRIAGE) throw new NotInTriage("case " + caseId + " is " + c.status() + ", not waiting for triage");
            List<Appeal> appeals = cases.appealsOfCase(caseId);
            int round = tasks.ofCaseRound(caseId, c.round()).isEmpty() ? c.round() : c.round() + 1;
            String complexity = c.complexity() == null ? "general" : c.complexity();
            if (!d.coOrgs().isEmpty() && "general".equals(complexity)) complexity = "complex";
            String urgency = c.urgency() == null ? "normal" : c.urgency();
            Instant deadline = deadlines.deadline(complexity, d.category(), appeals.get(0).channelDeadline());
            List<TaskStore.TaskRecord> created = new ArrayList<>();
            created.add(newTask(caseId, d.leadOrg(), TaskRole.LEAD, round, deadline));
            for (String co : d.coOrgs()) created.add(newTask(caseId, co, TaskRole.CO, round, deadline));
            created.forEach(tasks::insert);
            cases.updatePlacement(caseId, new CasePlacement(CaseStatus.DISPATCHED, d.category(), d.topic(), d.leadOrg(),
                    d.coOrgs(), d.townshipCode(), urgency, complexity, deadline, round));
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
        // the tasks go out by route "dispatch", as every placement's
        messaging.enqueueForPlacement(caseId, out.round(), "triaged-" + out.tasks().get(0).taskId());
        return out.tasks();
    }

    /**
     * After the lead organisation returned its task (退单: not ours), inside the reply's
     * transaction: the case goes to the next-best organisation the classifier suggests that
     * has not returned it yet (a new lead task in the same round; co-organisations keep
     * theirs), or to manual triage after hub.returns.max-before-triage returns or when no
     * suggestion is left. The caller hands the case over to placement after commit (route
     * "dispatch" then sends the new task or the triage item).
     */
    public void rerouteAfterReturn(String caseId, TaskStore.TaskRecord returned, String reason) {
        CaseStore.CaseRecord c = cases.lockCase(caseId);
        List<TaskStore.TaskRecord> all = tasks.ofCase(caseId);
        java.util.Set<String> excluded = new java.util.LinkedHashSet<>();
        for (TaskStore.TaskRecord t : all) if (t.role() == TaskRole.LEAD && t.status() == TaskStatus.RETURNED) excluded.add(t.orgCode());
        excluded.add(returned.orgCode());
        java.util.Set<String> inRound = new java.util.HashSet<>();
        for (TaskStore.TaskRecord t : all) if (t.round() == c.round()) inRound.add(t.orgCode());
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("returnedBy", returned.orgCode());
        detail.put("returns", excluded.size());
        detail.put("excluded", List.copyOf(excluded));
        if (excluded.size() >= returnsBeforeTriage) {
            toTriageLocked(c, "returned " + excluded.size() + " times (" + String.join(", ", excluded) + ")", detail);
            return;
        }
        List<Appeal> appeals = cases.appealsOfCase(caseId);
        Placement p = classifier.classify(appeals.get(0));
        Placement.Suggestion next = null;
        List<Placement.Suggestion> options = new ArrayList<>();
        if (p.placed()) options.add(new Placement.Suggestion(p.topic(), p.confidence(), p.leadOrg(), p.coOrgs(), "placement"));
        options.addAll(p.suggestions());
        for (Placement.Suggestion s : options) {
            if (s.leadOrg() == null || excluded.contains(s.leadOrg()) || inRound.contains(s.leadOrg())) continue;
            if (s.probability() < rerouteMinProbability) continue;
            next = s;
            break;
        }
        if (next == null) {
            toTriageLocked(c, "returned by " + returned.orgCode() + ", no other organisation suggested", detail);
            return;
        }
        Instant deadline = deadlines.deadline(c.complexity(), c.category(), appeals.get(0).channelDeadline());
        TaskStore.TaskRecord lead = newTask(caseId, next.leadOrg(), TaskRole.LEAD, c.round(), deadline);
        tasks.insert(lead);
        cases.updatePlacement(caseId, new CasePlacement(CaseStatus.DISPATCHED, c.category(),
                next.topic() != null ? next.topic() : c.topic(), next.leadOrg(), c.coDepts(), c.townshipCode(),
                c.urgency(), c.complexity(), deadline, c.round()));
        detail.put("to", next.leadOrg());
        detail.put("topic", next.topic());
        detail.put("probability", next.probability());
        detail.put("reason", reason);
        cases.addEvent(caseId, "rerouted", "hub", detail);
        recordDispatched(caseId, List.of(lead));
    }

    private void toTriageLocked(CaseStore.CaseRecord c, String why, Map<String, Object> detail) {
        cases.updateStatus(c.caseId(), CaseStatus.TRIAGE);
        Map<String, Object> d = new LinkedHashMap<>(detail);
        d.put("reason", why);
        cases.addEvent(c.caseId(), "triage", "hub", d);
    }

    /** Why the case waits for triage, as the case file says (for the triage item). */
    private String triageReason(String caseId) {
        List<CaseStore.CaseEvent> events = cases.events(caseId);
        for (int i = events.size() - 1; i >= 0; i--) {
            if ("triage".equals(events.get(i).type()) && events.get(i).detail() != null) {
                try {
                    String reason = READER.readTree(events.get(i).detail())
                            .path("reason").asText("");
                    if (!reason.isEmpty()) return reason;
                } catch (Exception ignored) {
                    break;
                }
            }
        }
        return "unplaced";
    }

    /**
     * Recovery of a task whose message may not have reached its queue (the hub stopped between
     * the commit and the send): sent again under the task id as duplicate id, so the broker drops
     * it if the first one did arrive, but only once its send claim is free or lapsed (a placement
     * sending it right now is left to do so). A task already answered had its message: only marked.
     * @return whether anything was done (sent, or marked)
     */
    public boolean requeue(TaskStore.TaskRecord t) {
        if (t.status() == TaskStatus.SENT) {
            String sender = "recovery-" + java.util.UUID.randomUUID();
            if (!tasks.claimSend(t.taskId(), sender, sendClaim)) return false; // being sent, or queued meanwhile
            CaseStore.CaseRecord c = cases.findCase(t.caseId());
            try {
                messaging.sendTask(t.queue(), t.taskId(), messages.task(t, c, cases.appealsOfCase(t.caseId())),
                        c.messagePriority());
            } catch (RuntimeException e) {
                tasks.releaseSend(t.taskId(), sender);
                throw e;
            }
            log.info("case {} task {} ({}) sent again to {}: its first send was not confirmed", t.caseId(), t.taskId(),
                    t.role(), t.queue());
        }
        tasks.markQueued(t.taskId());
        return true;
    }

    /** After route "dispatch" sent a placement's messages: their tasks are on their queues (one statement). */
    public void markQueued(List<QueueMessage> sent) {
        List<String> ids = new ArrayList<>();
        for (QueueMessage m : sent) if (m.queuedTaskId() != null) ids.add(m.queuedTaskId());
        tasks.markAllQueued(ids);
    }

    private List<QueueMessage> messagesFor(String caseId, Outgoing out) {
        List<QueueMessage> messages = new ArrayList<>();
        for (TaskUpdate u : out.updates()) messages.add(HubMessaging.taskUpdate(u));
        if (out.triageJson() != null) {
            messages.add(HubMessaging.triage(caseId, out.round(), out.triageJson()));
            log.info("case {} unplaced: to triage", caseId);
            return messages;
        }
        if (out.tasks().isEmpty()) return messages;
        CaseStore.CaseRecord c = cases.findCase(caseId);
        List<Appeal> appeals = cases.appealsOfCase(caseId);
        for (TaskStore.TaskRecord t : out.tasks()) {
            messages.add(HubMessaging.task(t.queue(), t.taskId(), this.messages.task(t, c, appeals), c.messagePriority()));
            log.info("case {} task {} ({}) to {}", caseId, t.taskId(), t.role(), t.queue());
        }
        return messages;
    }

    private void recordDispatched(String caseId, List<TaskStore.TaskRecord> created) {
        for (TaskStore.TaskRecord t : created) {
            cases.addEvent(caseId, "dispatched", "hub", Map.of("taskId", t.taskId(), "org", t.orgCode(),
                    "role", t.role(), "queue", t.queue(), "deadline", t.deadline().toString()));
        }
    }

    private TaskStore.TaskRecord newTask(String caseId, String org, TaskRole role, int round, Instant deadline) {
        return new TaskStore.TaskRecord(Ids.task(), caseId, org, registry.taskQueue(org), role, round, TaskStatus.SENT,
                deadline, null);
    }
}
