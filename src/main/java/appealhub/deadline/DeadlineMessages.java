package appealhub.deadline;

import appealhub.organization.OrganizationRegistry;
import appealhub.model.Ids;
import appealhub.model.Pii;
import appealhub.store.CaseStore;
import appealhub.store.TaskStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import org.springframework.stereotype.Component;

/**
 * JSON of the deadline messages (docs/queue-contract): a reminder on the department's own
 * queue, an escalation on hub.supervision, an emergency alert on hub.duty.leader. Titles
 * going beyond the department are masked (phones, ID numbers); no citizen's name or phone.
 */
@Component
public class DeadlineMessages {
    public static final String REMINDER = "appealhub.reminder/1";
    public static final String ESCALATION = "appealhub.escalation/1";
    public static final String EMERGENCY = "appealhub.emergency/1";
    private static final DateTimeFormatter BEIJING_TIME = DateTimeFormatter.ofPattern("yyyy年M月d日 HH:mm").withZone(Ids.BEIJING);

    private final ObjectMapper json;
    private final OrganizationRegistry registry;

    public DeadlineMessages(ObjectMapper json, OrganizationRegistry registry) {
        this.json = json;
        this.registry = registry;
    }

    public String reminder(TaskStore.TaskRecord task, String title, Instant now) {
        ObjectNode root = json.createObjectNode();
        root.put("schema", REMINDER);
        root.put("taskId", task.taskId());
        root.put("caseId", task.caseId());
        root.put("orgCode", task.orgCode());
        root.put("deadline", task.deadline().toString());
        root.put("remindedAt", now.toString());
        root.put("text", "【催办提醒】您单位承办的诉求“" + shown(title) + "”（任务编号 " + task.taskId() + "）将于"
                + BEIJING_TIME.format(task.deadline()) + "到期，请抓紧办理并按时答复。");
        return root.toString();
    }

    public String escalation(TaskStore.TaskRecord task, CaseStore.CaseRecord c, String title, int number, int level,
                             String levelName, long overdueHours, Instant now) {
        String orgName = registry.orgName(task.orgCode());
        ObjectNode root = json.createObjectNode();
        root.put("schema", ESCALATION);
        root.put("caseId", task.caseId());
        root.put("taskId", task.taskId());
        root.put("org", task.orgCode());
        root.put("orgName", orgName);
        root.put("role", task.role().wire());
        root.put("deadline", task.deadline().toString());
        root.put("overdueHours", overdueHours);
        root.put("escalation", number);
        root.put("level", level);
        root.put("levelName", levelName);
        root.put("escalatedAt", now.toString());
        root.put("category", c.category());
        root.put("topic", c.topic());
        root.put("urgency", c.urgency());
        root.put("title", Pii.maskInText(title));
        root.put("text", "【超期督办】" + orgName + "承办的诉求“" + shown(Pii.maskInText(title)) + "”（案件编号 " + task.caseId()
                + "）办理时限为" + BEIJING_TIME.format(task.deadline()) + "，已超期" + overdueHours + "小时，提请"
                + levelName + "督办。");
        return root.toString();
    }

    public String emergency(TaskStore.TaskRecord lead, CaseStore.CaseRecord c, String title, Instant now) {
        String orgName = registry.orgName(lead.orgCode());
        ObjectNode root = json.createObjectNode();
        root.put("schema", EMERGENCY);
        root.put("caseId", c.caseId());
        root.put("taskId", lead.taskId());
        root.put("leadOrg", lead.orgCode());
        root.put("leadOrgName", orgName);
        root.put("coOrgs", c.coDepts().isEmpty() ? null : String.join(",", c.coDepts()));
        root.put("category", c.category());
        root.put("topic", c.topic());
        root.put("townshipCode", c.townshipCode());
        root.put("title", Pii.maskInText(title));
        root.put("dispatchedAt", lead.createdAt() == null ? null : lead.createdAt().toString());
        root.put("deadline", lead.deadline() == null ? null : lead.deadline().toString());
        root.put("alertedAt", now.toString());
        root.put("text", "【紧急诉求】“" + shown(Pii.maskInText(title)) + "”（案件编号 " + c.caseId() + "）已派" + orgName
                + "牵头处置，请值班领导关注。");
        return root.toString();
    }

    private static String shown(String title) {
        return title == null || title.isBlank() ? "（无标题）" : title;
    }
}
