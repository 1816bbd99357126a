package appealhub.reply;

import appealhub.classify.OrganizationRegistry;
import appealhub.dispatch.DispatchService;
import appealhub.feedback.FeedbackPayload;
import appealhub.store.CaseStore;
import appealhub.store.FeedbackOutbox;
import appealhub.store.TaskStore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    private final ObjectMapper json;
    private final TaskStore tasks;
    private final CaseStore cases;
    private final FeedbackOutbox outbox;
    private final OrganizationRegistry registry;
    private final DispatchService dispatch;
    private final TransactionTemplate tx;
    private final Clock clock;

    public TaskReplyService(ObjectMapper json, TaskStore tasks, CaseStore cases, FeedbackOutbox outbox,
                            OrganizationRegistry registry, DispatchService dispatch, TransactionTemplate tx, Clock clock) {
        this.json = json;
        this.tasks = tasks;
        this.cases = cases;
        this.outbox = outbox;
        this.registry = registry;
        this.dispatch = dispatch;
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * @param body   the message as received
     * @param sender the authenticated broker user, when the broker says who sent it (else null)
     * @throws ReplyRejected with the reason, for the dead-letter queue
     */
    public void apply(String body, String sender) {
        TaskReply reply = parse(body);
        String caseToTriage = tx.execute(status -> {
            TaskStore.TaskRecord task = tasks.find(reply.taskId());
            if (task == null) throw new ReplyRejected("unknown task id " + reply.taskId());
            if (!task.orgCode().equals(reply.orgCode())) {
                throw new ReplyRejected("task " + task.taskId() + " belongs to " + task.orgCode() + ", not " + reply.orgCode());
            }
            if (sender != null && !sender.equals(task.orgCode())) {
                throw new ReplyRejected("sender " + sender + " may not answer task " + task.taskId());
            }
            if (!tasks.markReplyApplied(reply.replyId(), task.taskId())) {
                log.info("reply {} for task {} applied before: ignored", reply.replyId(), task.taskId());
                return null;
            }
            CaseStore.CaseRecord c = cases.lockCase(task.caseId());
            if (task.round() != c.round()) throw new ReplyRejected("task " + task.taskId() + " is from an earlier round of case " + c.caseId());
            if ("RESOLVED".equals(task.status()) || "RETURNED".equals(task.status())) {
                throw new ReplyRejected("task " + task.taskId() + " is already " + task.status().toLowerCase());
            }
            boolean lead = "lead".equals(task.role());
            String orgName = registry.orgName(task.orgCode());
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("taskId", task.taskId());
            detail.put("replyId", reply.replyId());
            if (reply.handler() != null) detail.put("handler", reply.handler());
            String triage = null;
            switch (reply.type()) {
                case "accept" -> {
                    if ("ACCEPTED".equals(task.status())) {
                        log.info("task {} accepted again by {}: nothing to do", task.taskId(), task.orgCode());
                        return null;
                    }
                    tasks.updateStatus(task.taskId(), "ACCEPTED");
                    if (lead) {
                        cases.updateStatus(c.caseId(), "ACCEPTED");
                        owe(c.caseId(), "progress", "您的诉求已由" + orgName + "受理，正在办理。", orgName);
                    }
                    cases.addEvent(c.caseId(), "accepted", task.orgCode(), detail);
                }
                case "progress" -> {
                    detail.put("text", reply.text());
                    cases.addEvent(c.caseId(), "progress", task.orgCode(), detail);
                    if (lead) owe(c.caseId(), "progress", reply.text(), orgName);
                }
                case "resolve" -> {
                    tasks.updateStatus(task.taskId(), "RESOLVED");
                    detail.put("text", reply.text());
                    cases.addEvent(c.caseId(), "resolved", task.orgCode(), detail);
                    if (lead) {
                        cases.updateStatus(c.caseId(), "RESOLVED");
                        owe(c.caseId(), "result", reply.text(), orgName);
                    }
                }
                case "return" -> {
                    tasks.updateStatus(task.taskId(), "RETURNED");
                    detail.put("reason", reply.reason());
                    cases.addEvent(c.caseId(), "returned", task.orgCode(), detail);
                    if (lead) {
                        cases.updateStatus(c.caseId(), "TRIAGE");
                        cases.addEvent(c.caseId(), "triage", "hub", Map.of("reason", "returned by " + task.orgCode()));
                        triage = c.caseId();
                    }
                }
                default -> throw new ReplyRejected("unknown reply type " + reply.type());
            }
            log.info("task {} of case {}: {} by {}", task.taskId(), c.caseId(), reply.type(), task.orgCode());
            return triage;
        });
        if (caseToTriage != null) dispatch.toTriage(caseToTriage, "returned by department");
    }

    /** Feedback owed to every source of the case, each through its own channel. */
    private void owe(String caseId, String kind, String text, String orgName) {
        String payload = FeedbackPayload.of(kind, text, orgName, clock.instant()).toJson(json);
        for (CaseStore.SourceRecord s : cases.sourcesOfCase(caseId)) {
            outbox.enqueue(caseId, s.channel(), s.sourceItemId(), kind, payload);
        }
    }

    private TaskReply parse(String body) {
        TaskReply reply;
        try {
            reply = json.readValue(body, TaskReply.class);
        } catch (JsonProcessingException e) {
            throw new ReplyRejected("malformed reply: not JSON of the reply schema (" + e.getOriginalMessage() + ")");
        }
        if (reply == null) throw new ReplyRejected("malformed reply: empty");
        if (blank(reply.replyId())) throw new ReplyRejected("malformed reply: replyId missing");
        if (reply.replyId().length() > 128) throw new ReplyRejected("malformed reply: replyId longer than 128 characters");
        if (blank(reply.taskId())) throw new ReplyRejected("malformed reply: taskId missing");
        if (blank(reply.orgCode())) throw new ReplyRejected("malformed reply: orgCode missing");
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

}
