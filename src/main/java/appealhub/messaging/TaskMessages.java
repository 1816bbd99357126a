package appealhub.messaging;

import appealhub.model.TaskRole;
import appealhub.organization.OrganizationRegistry;
import appealhub.contract.Queues;
import appealhub.model.Appeal;
import appealhub.model.Pii;
import appealhub.store.CaseStore;
import appealhub.store.TaskStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Builds the JSON of the department queue contract (docs/queue-contract): one task as the
 * department needs it. The citizen's contact goes to the lead only, and never for an
 * anonymous appeal; co-departments do not need it. For the same reason the phone and ID
 * numbers inside title and content ({@link Pii#maskInText}) reach only the lead of a named
 * appeal: co-departments and every department of an anonymous appeal get them masked.
 */
@Component
public class TaskMessages {
    public static final String SCHEMA = "appealhub.task/1";
    public static final String UPDATE_SCHEMA = "appealhub.task-update/1";

    private final ObjectMapper json;
    private final OrganizationRegistry registry;

    public TaskMessages(ObjectMapper json, OrganizationRegistry registry) {
        this.json = json;
        this.registry = registry;
    }

    public String task(TaskStore.TaskRecord task, CaseStore.CaseRecord c, List<Appeal> appeals) {
        Appeal first = appeals.get(0);
        ObjectNode root = json.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("taskId", task.taskId());
        root.put("caseId", task.caseId());
        root.put("orgCode", task.orgCode());
        root.put("orgName", registry.orgName(task.orgCode()));
        root.put("role", task.role().wire());
        root.put("round", task.round());
        root.put("deadline", task.deadline() == null ? null : task.deadline().toString());
        root.put("category", c.category());
        root.put("topic", c.topic());
        root.put("urgency", c.urgency());
        root.put("complexity", c.complexity());
        root.put("townshipCode", c.townshipCode());
        root.put("replyTo", Queues.REPLIES);
        root.put("sourceCount", appeals.stream().mapToInt(a -> a.sources() == null ? 0 : a.sources().size()).sum());
        root.put("citizenCount", c.citizenCount());
        root.put("hot", c.hot());
        root.put("priority", c.messagePriority());
        Appeal.Citizen citizen = first.citizen();
        boolean anonymous = citizen == null || citizen.anonymous();
        // Only the lead of a named appeal may call the citizen back: everyone else gets the
        // numbers in title and content masked (a co-department does not need them, and an
        // anonymous citizen did not give them to be passed on).
        boolean contact = !anonymous && task.role() == TaskRole.LEAD;
        ObjectNode appeal = root.putObject("appeal");
        appeal.put("appealId", first.appealId());
        appeal.put("title", contact ? first.title() : Pii.maskInText(first.title()));
        appeal.put("content", contact ? first.content() : Pii.maskInText(first.content()));
        appeal.put("occurredAt", first.occurredAt() == null ? null : first.occurredAt().toString());
        appeal.put("receivedAt", first.receivedAt() == null ? null : first.receivedAt().toString());
        appeal.put("channel", first.firstSource().channel());
        appeal.put("channelType", first.channelType());
        if (first.location() != null) appeal.set("location", json.valueToTree(first.location()));
        if (first.attachments() != null && !first.attachments().isEmpty()) {
            appeal.set("attachments", json.valueToTree(first.attachments()));
        }
        ObjectNode person = appeal.putObject("citizen");
        person.put("anonymous", anonymous);
        if (contact) {
            person.put("name", citizen.name());
            person.put("phone", citizen.phone());
        }
        return json.valueToTree(root).toString();
    }

    /**
     * A co-organisation's contribution (progress or result of its part) for the lead's task,
     * as an appealhub.task-update/1 of kind "contribution": joint handling (中心吹哨、部门报到)
     * gathers the co-organisations' work where the lead answers the citizen.
     */
    public TaskUpdate contribution(TaskStore.TaskRecord leadTask, CaseStore.CaseRecord c, String coOrg, String type,
                                   String text, String replyId) {
        ObjectNode root = taskUpdate("contribution", leadTask, c,
                registry.orgName(coOrg) + ("resolve".equals(type) ? "已完成协办：" : "协办进展：") + text);
        ObjectNode from = root.putObject("contribution");
        from.put("orgCode", coOrg);
        from.put("orgName", registry.orgName(coOrg));
        from.put("type", type);
        from.put("text", text);
        return new TaskUpdate(leadTask.queue(), leadTask.taskId(), "contribution-" + replyId, root.toString(),
                c.messagePriority());
    }

    /**
     * Operations sent a held 办结 back (the reply check, docs/reply-quality.md): a task update of kind
     * "sent-back" to the lead's task, which stays open. {@code review}: the review's id, the reply sent
     * back, the operator's reason and the check's findings (ReplyQuality.Reason names).
     */
    public TaskUpdate sentBack(TaskStore.TaskRecord task, CaseStore.CaseRecord c, long reviewId, String replyId, String reason,
                               List<String> findings) {
        ObjectNode root = taskUpdate("sent-back", task, c, "您单位的办结答复经运营中心审核未通过，已退回，请补充后重新办结：" + reason);
        ObjectNode review = root.putObject("review");
        review.put("reviewId", reviewId);
        review.put("replyId", replyId);
        review.put("reason", reason);
        ArrayNode found = review.putArray("findings");
        findings.forEach(found::add);
        return new TaskUpdate(task.queue(), task.taskId(), "sent-back-" + reviewId, root.toString(), c.messagePriority());
    }

    /**
     * The part every appealhub.task-update/1 shares: which task it changes, the case's citizen
     * count, hot flag and priority (the task's own), and a line for the department's staff.
     */
    public ObjectNode taskUpdate(String kind, TaskStore.TaskRecord task, CaseStore.CaseRecord c, String text) {
        ObjectNode root = json.createObjectNode();
        root.put("schema", UPDATE_SCHEMA);
        root.put("kind", kind);
        root.put("taskId", task.taskId());
        root.put("caseId", c.caseId());
        root.put("orgCode", task.orgCode());
        root.put("citizenCount", c.citizenCount());
        root.put("hot", c.hot());
        root.put("priority", c.messagePriority());
        root.put("text", text);
        return root;
    }

    public String triage(CaseStore.CaseRecord c, List<Appeal> appeals, Object placement, String reason) {
        ObjectNode root = json.createObjectNode();
        root.put("schema", "appealhub.triage/1");
        root.put("caseId", c.caseId());
        root.put("round", c.round());
        root.put("reason", reason);
        ArrayNode ids = root.putArray("appealIds");
        appeals.forEach(a -> ids.add(a.appealId()));
        root.put("title", Pii.maskInText(appeals.get(0).title())); // read on the operations pages (viewers too)
        root.set("suggestion", json.valueToTree(placement));
        return root.toString();
    }
}
