package appealhub.reply;

import appealhub.model.CaseStatus;
import appealhub.model.TaskStatus;
import appealhub.model.TaskRole;
import appealhub.organization.OrganizationRegistry;
import appealhub.dispatch.DispatchService;
import appealhub.messaging.HubMessaging;
import appealhub.messaging.QueueMessage;
import appealhub.messaging.TaskMessages;
import appealhub.messaging.TaskUpdate;
import appealhub.feedback.FeedbackPayload;
import appealhub.store.CaseStore;
import appealhub.store.FeedbackOutbox;
import appealhub.store.ReplyReviewStore;
import appealhub.model.Appeal;
import appealhub.model.Pii;
import appealhub.store.TaskStore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies department replies to tasks and cases: the reply checked against the task it
 * names and the sender, the state change, the case-file entry and the feedback owed to
 * every source of the case, all in one transaction.
 */
@Service
public class TaskReplyService {
    private static final Logger log = LoggerFactory.getLogger(TaskReplyService.class);
    private static final Set<String> TYPES = Set.of("accept", "return", "progress", "resolve");
    /** The longest ids a reply may carry (the contract's reply.schema.json says the same; task.task_id and task.org_code columns). */
    public static final int REPLY_ID_MAX = 128;
    public static final int TASK_ID_MAX = 40;
    public static final int ORG_CODE_MAX = 16;

    private final ObjectMapper json;
    private final TaskStore tasks;
    private final CaseStore cases;
    private final FeedbackOutbox outbox;
    private final OrganizationRegistry registry;
    private final DispatchService dispatch;
    private final TaskMessages messages;
    private final HubMessaging messaging;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final boolean trustUnvalidatedReplies;
    private final ReplyQualityScorer quality;
    private final ReplyQualityProperties qualityProps;
    private final ReplyReviewStore reviews;

    public TaskReplyService(ObjectMapper json, TaskStore tasks, CaseStore cases, FeedbackOutbox outbox,
                            OrganizationRegistry registry, DispatchService dispatch, TaskMessages messages,
                            HubMessaging messaging, TransactionTemplate tx, Clock clock,
                            @Value("${hub.broker.trust-unvalidated-replies:false}") boolean trustUnvalidatedReplies,
                            ReplyQualityScorer quality, ReplyQualityProperties qualityProps, ReplyReviewStore reviews) {
        this.quality = quality;
        this.qualityProps = qualityProps;
        this.reviews = reviews;
        this.json = json;
        this.tasks = tasks;
        this.cases = cases;
        this.outbox = outbox;
        this.registry = registry;
        this.dispatch = dispatch;
        this.messages = messages;
        this.messaging = messaging;
        this.tx = tx;
        this.clock = clock;
        this.trustUnvalidatedReplies = trustUnvalidatedReplies;
        if (trustUnvalidatedReplies) {
            log.warn("hub.broker.trust-unvalidated-replies=true: a reply the broker stamped no user on is applied"
                    + " without checking who sent it");
        }
    }

    /** What a reply leads to once its transaction has committed. */
    private record Effects(List<TaskUpdate> updates, QueueMessage handOver) {
        static final Effects NONE = new Effects(List.of(), null);
    }

    /** The reason a reply without a validated user is dead-lettered with. */
    public static final String NO_VALIDATED_SENDER = "no validated sender: the broker did not say who sent this reply"
            + " (JMSXUserID missing; hub.broker.trust-unvalidated-replies=false)";

    /**
     * A department's reply as the broker delivered it.
     *
     * @param body          the message as received
     * @param validatedUser the user the broker validated and stamped on the message (JMSXUserID), or null when
     *                      it stamped none; it must be the task's organisation
     * @throws ReplyRejected with the reason, for the dead-letter queue
     */
    public void apply(String body, String validatedUser) {
        TaskReply reply = parse(body);
        if (validatedUser == null && !trustUnvalidatedReplies) {
            // Fail closed: without the broker's word on who sent it, anyone who can reach the reply
            // queue could answer any task by naming its orgCode.
            throw new ReplyRejected(NO_VALIDATED_SENDER);
        }
        apply(reply, validatedUser);
    }

    /**
     * A refused reply an operator looked at and replayed (DeadLetters, sent by the hub's own broker user):
     * the operator vouches for the sender; the task's own rules still apply.
     */
    public void applyReplayed(String body) {
        apply(parse(body), null);
    }

    /** @param sender the organisation that must own the task, or null when the sender is not checked */
    private void apply(TaskReply reply, String sender) {
        Effects effects = tx.execute(status -> {
            TaskStore.TaskRecord task = tasks.find(reply.taskId());
            if (task == null) throw new ReplyRejected("unknown task id " + reply.taskId());
            if (!task.orgCode().equals(reply.orgCode())) {
                throw new ReplyRejected("task " + task.taskId() + " belongs to " + task.orgCode() + ", not " + reply.orgCode());
            }
            if (sender != null && !sender.equals(task.orgCode())) {
                throw new ReplyRejected("sender " + sender + " may not answer task " + task.taskId());
            }
            if (!tasks.markReplyApplied(reply.replyId(), task.taskId())) {
                // Applied before, but what it leads to may not have been sent (a crash after the
                // commit): send it again; the broker drops what did go out.
                log.info("reply {} for task {} applied before: its messages are sent again", reply.replyId(), task.taskId());
                return effectsAgain(reply, task);
            }
            CaseStore.CaseRecord c = cases.lockCase(task.caseId());
            // Replies are applied in parallel: read the task again now that the case is ours, or
            // an accept overtaken by its resolve would see the task as it was before.
            task = tasks.find(task.taskId());
            if (task.round() != c.round()) throw new ReplyRejected("task " + task.taskId() + " is from an earlier round of case " + c.caseId());
            if (task.status() == TaskStatus.CLOSED) {
                // A co-organisation answering after the lead closed the case: kept for the record,
                // not an error (nothing to change any more).
                Map<String, Object> late = new LinkedHashMap<>();
                late.put("taskId", task.taskId());
                late.put("replyId", reply.replyId());
                late.put("type", reply.type());
                if (reply.text() != null) late.put("text", reply.text());
                if (reply.reason() != null) late.put("reason", reply.reason());
                cases.addEvent(c.caseId(), "late-reply", task.orgCode(), late);
                log.info("task {} of case {}: {} by {} after the case was closed, recorded", task.taskId(), c.caseId(),
                        reply.type(), task.orgCode());
                return Effects.NONE;
            }
            if (task.status() == TaskStatus.RESOLVED && "accept".equals(reply.type())) {
                // The accept arrived after the resolve (replies may overtake each other): nothing left to do.
                log.info("task {} accepted by {} after it was resolved: nothing to do", task.taskId(), task.orgCode());
                return Effects.NONE;
            }
            if (task.status().finished()) {
                throw new ReplyRejected("task " + task.taskId() + " is already " + task.status().name().toLowerCase());
            }
            boolean lead = task.role() == TaskRole.LEAD;
            String orgName = registry.orgName(task.orgCode());
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("taskId", task.taskId());
            detail.put("replyId", reply.replyId());
            detail.put("role", task.role());
            if (reply.handler() != null) detail.put("handler", reply.handler());
            Effects out = Effects.NONE;
            switch (reply.type()) {
                case "accept" -> {
                    if (task.status() == TaskStatus.ACCEPTED) {
                        log.info("task {} accepted again by {}: nothing to do", task.taskId(), task.orgCode());
                        return Effects.NONE;
                    }
                    tasks.updateStatus(task.taskId(), TaskStatus.ACCEPTED);
                    if (lead) {
                        cases.updateStatus(c.caseId(), CaseStatus.ACCEPTED);
                        owe(c.caseId(), "progress", "您的诉求已由" + orgName + "受理，正在办理。", orgName);
                    }
                    cases.addEvent(c.caseId(), "accepted", task.orgCode(), detail);
                }
                case "progress" -> {
                    detail.put("text", reply.text());
                    cases.addEvent(c.caseId(), "progress", task.orgCode(), detail);
                    if (lead) owe(c.caseId(), "progress", reply.text(), orgName);
                    else out = contributionToLead(c, task, reply);
                }
                case "resolve" -> {
                    // Any answer of the task's makes a reply held before moot (the department answered again).
                    reviews.supersede(task.taskId(), reply.replyId());
                    if (lead && qualityProps.enabled()) {
                        ReplyQuality q = quality.score(appealTexts(c.caseId()), reply.text());
                        if (q.weak()) {
                            hold(c, task, reply, q, orgName);
                            return Effects.NONE;
                        }
                        detail.put("quality", q.score());
                    }
                    if (lead && task.status() == TaskStatus.SENT) impliedAccept(c, task, reply.replyId(), orgName);
                    detail.put("text", reply.text());
                    if (lead) resolveCase(c, task, reply.text(), orgName, detail);
                    else {
                        tasks.updateStatus(task.taskId(), TaskStatus.RESOLVED);
                        cases.addEvent(c.caseId(), "contributed", task.orgCode(), detail);
                        out = contributionToLead(c, task, reply);
                    }
                }
                case "return" -> {
                    reviews.supersede(task.taskId(), reply.replyId());
                    tasks.updateStatus(task.taskId(), TaskStatus.RETURNED);
                    detail.put("reason", reply.reason());
                    cases.addEvent(c.caseId(), "returned", task.orgCode(), detail);
                    if (lead) {
                        dispatch.rerouteAfterReturn(c.caseId(), task, reply.reason());
                        // the new lead's task or the triage item goes out by placement, as every case's
                        out = new Effects(List.of(), handOverAfterReturn(task));
                    }
                }
                default -> throw new ReplyRejected("unknown reply type " + reply.type());
            }
            log.info("task {} of case {}: {} by {}", task.taskId(), c.caseId(), reply.type(), task.orgCode());
            return out;
        });
        for (TaskUpdate u : effects.updates()) messaging.sendTaskUpdate(u);
        // A lead's return: handed over to placement, which sends the new lead's task or the triage item.
        if (effects.handOver() != null) messaging.send(effects.handOver());
    }

    /**
     * Resolving implies accepting: a lead's resolve (or held 办结) applied before its accept (the accept is
     * late, e.g. redelivered after a crash, or never sent) tells every source 办理中 first, as its
     * channel expects; the late accept is then a no-op.
     */
    private void impliedAccept(CaseStore.CaseRecord c, TaskStore.TaskRecord task, String replyId, String orgName) {
        cases.addEvent(c.caseId(), "accepted", task.orgCode(), Map.of("taskId", task.taskId(),
                "role", task.role(), "implied", "by the resolve " + replyId));
        owe(c.caseId(), "progress", "您的诉求已由" + orgName + "受理，正在办理。", orgName);
    }

    /**
     * The lead's 办结: the case resolves and the result is owed to every source; co-organisations'
     * tasks still open are closed with it (their timers stop).
     */
    private void resolveCase(CaseStore.CaseRecord c, TaskStore.TaskRecord task, String text, String orgName,
                             Map<String, Object> detail) {
        tasks.updateStatus(task.taskId(), TaskStatus.RESOLVED);
        List<String> closed = new ArrayList<>();
        for (TaskStore.TaskRecord t : tasks.ofCaseRound(c.caseId(), c.round())) {
            if (!t.taskId().equals(task.taskId()) && !t.status().finished()) {
                tasks.updateStatus(t.taskId(), TaskStatus.CLOSED);
                closed.add(t.orgCode());
            }
        }
        if (!closed.isEmpty()) detail.put("closedCoTasks", closed);
        cases.addEvent(c.caseId(), "resolved", task.orgCode(), detail);
        cases.updateStatus(c.caseId(), CaseStatus.RESOLVED);
        owe(c.caseId(), "result", text, orgName);
    }

    /**
     * A weak 办结 (the reply check, docs/reply-quality.md) is held for operations instead of going
     * upstream: the task counts as accepted (the department is on it), the case stays open, the
     * citizen hears 办理中 only. Operations release it or send it back ({@link #releaseHeld},
     * {@link #sendBack}). A re-sent resolve never gets here twice (applied_reply), and the review's
     * reply_id is unique besides.
     */
    private void hold(CaseStore.CaseRecord c, TaskStore.TaskRecord task, TaskReply reply, ReplyQuality q, String orgName) {
        if (task.status() == TaskStatus.SENT) {
            impliedAccept(c, task, reply.replyId(), orgName);
            tasks.updateStatus(task.taskId(), TaskStatus.ACCEPTED);
            if (c.status() == CaseStatus.DISPATCHED) cases.updateStatus(c.caseId(), CaseStatus.ACCEPTED);
        }
        List<String> reasons = q.reasons().stream().map(Enum::name).toList();
        reviews.hold(c.caseId(), task.taskId(), task.round(), reply.replyId(), task.orgCode(), reply.handler(), reply.text(),
                q.score(), reasons);
        ReplyReviewStore.Review review = reviews.byReply(reply.replyId());
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("taskId", task.taskId());
        detail.put("replyId", reply.replyId());
        detail.put("reviewId", review.id());
        detail.put("score", q.score());
        detail.put("reasons", reasons);
        detail.put("text", Pii.maskInText(reply.text()));
        cases.addEvent(c.caseId(), "reply-held", task.orgCode(), detail);
        log.warn("case {}: the 办结 {} of {} is held for operations (review {}, score {}, {}): GET /ops/reply-reviews",
                c.caseId(), reply.replyId(), task.orgCode(), review.id(), q.score(), reasons);
    }

    /** What an operator's decision on a held reply came to. */
    public enum Decision {
        /** Done now. */
        DONE,
        /** No such review. */
        NOT_FOUND,
        /** Decided before (released, sent back, superseded): nothing done. */
        DECIDED_BEFORE,
        /** The task is no longer the lead's open task of the case's round (returned, re-opened...): superseded now. */
        TASK_MOVED_ON
    }

    /**
     * An operator releases a held 办结: applied as it was (the case resolves, the result is owed
     * upstream) in one transaction with the review's decision, so two clicks send it once.
     */
    public Decision releaseHeld(long reviewId, String operator, String note) {
        Decision d = tx.execute(status -> decideHeld(reviewId, ReplyReviewStore.Status.RELEASED, operator, note, "released",
                (r, c, task) -> {
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("taskId", task.taskId());
                detail.put("replyId", r.replyId());
                detail.put("role", task.role());
                if (r.handler() != null) detail.put("handler", r.handler());
                detail.put("text", r.text());
                detail.put("reviewId", reviewId);
                detail.put("releasedBy", operator);
                if (note != null) detail.put("note", note);
                resolveCase(c, task, r.text(), registry.orgName(task.orgCode()), detail);
                }));
        if (d == Decision.DONE) log.info("held 办结 of review {} released by operator {}", reviewId, operator);
        return d;
    }

    /**
     * An operator sends a held 办结 back to the department: a task update (kind sent-back) with the
     * reason on the task's queue; the task stays open (its deadline and timers run on) and the
     * department answers it again as before.
     */
    public Decision sendBack(long reviewId, String operator, String reason) {
        TaskUpdate[] update = new TaskUpdate[1];
        Decision d = tx.execute(status -> decideHeld(reviewId, ReplyReviewStore.Status.SENT_BACK, operator, reason, "sent back",
                (r, c, task) -> {
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("taskId", task.taskId());
                detail.put("replyId", r.replyId());
                detail.put("reviewId", reviewId);
                detail.put("reason", reason);
                cases.addEvent(c.caseId(), "reply-sent-back", operator, detail);
                update[0] = messages.sentBack(task, c, reviewId, r.replyId(), reason, r.reasons());
                }));
        if (d == Decision.DONE) {
            // after the commit, as every task update; the duplicate id makes a re-send harmless
            messaging.sendTaskUpdate(update[0]);
            log.info("held 办结 of review {} sent back to {} by operator {}", reviewId, update[0].queue(), operator);
        }
        return d;
    }

    /** What a decision on a held reply does once it is taken (in its transaction). */
    private interface HeldDecision {
        void apply(ReplyReviewStore.Review review, CaseStore.CaseRecord c, TaskStore.TaskRecord task);
    }

    /**
     * The guard both decisions on a held reply share, under the case's lock: the review must still
     * be HELD (else decided before), its task open in the case's round (else the review is
     * superseded), and the conditional update to {@code decided} must win; only then {@code then}.
     */
    private Decision decideHeld(long reviewId, ReplyReviewStore.Status decided, String operator, String note, String what,
                                HeldDecision then) {
        ReplyReviewStore.Review r = reviews.find(reviewId);
        if (r == null) return Decision.NOT_FOUND;
        CaseStore.CaseRecord c = cases.lockCase(r.caseId());
        TaskStore.TaskRecord task = tasks.find(r.taskId());
        if (r.status() != ReplyReviewStore.Status.HELD) return Decision.DECIDED_BEFORE;
        if (task.status().finished() || task.round() != c.round()) {
            reviews.decide(reviewId, ReplyReviewStore.Status.SUPERSEDED, operator, "task " + task.status() + " when " + what);
            return Decision.TASK_MOVED_ON;
        }
        if (!reviews.decide(reviewId, decided, operator, note)) return Decision.DECIDED_BEFORE;
        then.apply(r, c, task);
        return Decision.DONE;
    }

    /** Title, content and the citizen's phone of every appeal of the case: what a reply is checked against. */
    private List<ReplyQualityScorer.AppealText> appealTexts(String caseId) {
        List<ReplyQualityScorer.AppealText> out = new ArrayList<>();
        for (Appeal a : cases.appealsOfCase(caseId)) {
            out.add(new ReplyQualityScorer.AppealText(a.title(), a.content(), a.citizen() == null ? null : a.citizen().phone()));
        }
        return out;
    }

    /** The same id for a return applied again (a redelivery): the broker drops a second hand-over. */
    private static QueueMessage handOverAfterReturn(TaskStore.TaskRecord returned) {
        return HubMessaging.handOver(returned.caseId(), returned.round(), "return-" + returned.taskId());
    }

    /** A co-organisation's progress or result goes to the lead's open task of the round. */
    private Effects contributionToLead(CaseStore.CaseRecord c, TaskStore.TaskRecord coTask, TaskReply reply) {
        for (TaskStore.TaskRecord t : tasks.ofCaseRound(c.caseId(), c.round())) {
            if (t.role() == TaskRole.LEAD && !t.status().finished()) {
                return new Effects(List.of(messages.contribution(t, c, coTask.orgCode(), reply.type(), reply.text(),
                        reply.replyId())), null);
            }
        }
        return Effects.NONE;
    }

    private Effects effectsAgain(TaskReply reply, TaskStore.TaskRecord task) {
        if ("return".equals(reply.type()) && task.role() == TaskRole.LEAD) return new Effects(List.of(), handOverAfterReturn(task));
        if (task.role() != TaskRole.LEAD && ("progress".equals(reply.type()) || "resolve".equals(reply.type()))) {
            CaseStore.CaseRecord c = cases.findCase(task.caseId());
            if (task.round() == c.round()) return contributionToLead(c, task, reply);
        }
        return Effects.NONE;
    }

    /** Feedback owed to every source of the case, each through its own channel. */
    private void owe(String caseId, String kind, String text, String orgName) {
        String payload = FeedbackPayload.of(kind, text, orgName, clock.instant()).toJson(json);
        for (CaseStore.SourceRecord s : cases.sourcesOfCase(caseId)) {
            outbox.enqueue(caseId, s.channel(), s.sourceItemId(), kind, payload);
        }
    }

    private TaskReply parse(String body) {
        if (body == null || body.isBlank()) throw new ReplyRejected("malformed reply: empty");
        TaskReply reply;
        try {
            reply = json.readValue(body, TaskReply.class);
        } catch (JsonProcessingException e) {
            throw new ReplyRejected("malformed reply: not JSON of the reply schema (" + loggable(e.getOriginalMessage(), 200) + ")");
        }
        if (reply == null) throw new ReplyRejected("malformed reply: empty");
        if (blank(reply.replyId())) throw new ReplyRejected("malformed reply: replyId missing");
        if (reply.replyId().length() > REPLY_ID_MAX) {
            throw new ReplyRejected("malformed reply: replyId longer than " + REPLY_ID_MAX + " characters");
        }
        if (blank(reply.taskId())) throw new ReplyRejected("malformed reply: taskId missing");
        if (blank(reply.orgCode())) throw new ReplyRejected("malformed reply: orgCode missing");
        // The department's ids go into log lines, the case file and dead-letter reasons: refused (and
        // never echoed) when they hold control or format characters (forged log lines, bidi tricks) or
        // are longer than their columns (task.task_id 40, task.org_code 16).
        checkId("replyId", reply.replyId(), REPLY_ID_MAX);
        checkId("taskId", reply.taskId(), TASK_ID_MAX);
        checkId("orgCode", reply.orgCode(), ORG_CODE_MAX);
        if (blank(reply.type()) || !TYPES.contains(reply.type())) {
            throw new ReplyRejected("malformed reply: type must be one of accept, return, progress, resolve");
        }
        if (("progress".equals(reply.type()) || "resolve".equals(reply.type())) && blank(reply.text())) {
            throw new ReplyRejected("malformed reply: text missing for " + reply.type());
        }
        if ("return".equals(reply.type()) && blank(reply.reason())) {
            throw new ReplyRejected("malformed reply: reason missing for return");
        }
        return reply;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static void checkId(String name, String value, int max) {
        if (value.length() > max) throw new ReplyRejected("malformed reply: " + name + " longer than " + max + " characters");
        if (value.codePoints().anyMatch(TaskReplyService::unsafe)) {
            throw new ReplyRejected("malformed reply: " + name + " holds control or format characters");
        }
    }

    private static boolean unsafe(int cp) {
        int type = Character.getType(cp);
        return Character.isISOControl(cp) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    /** Text a sender chose, fit for a log line: control and format characters as '?', at most max characters. */
    static String loggable(String s, int max) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(max).forEach(cp -> b.appendCodePoint(unsafe(cp) ? '?' : cp));
        return s.codePointCount(0, s.length()) > max ? b.append('…').toString() : b.toString();
    }

}
