package appealhub.deadline;

import appealhub.organization.OrganizationRegistry;
import appealhub.model.Appeal;
import appealhub.model.Pii;
import appealhub.store.CaseStore;
import appealhub.store.DeadlineTimerStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** What operations see of deadlines: overdue open tasks with their escalation level, and emergency alerts. */
@RestController
@RequestMapping("/ops")
public class DeadlineOpsController {
    private final DeadlineTimerStore timers;
    private final CaseStore cases;
    private final OrganizationRegistry registry;
    private final DeadlineProperties properties;
    private final Clock clock;

    public DeadlineOpsController(DeadlineTimerStore timers, CaseStore cases, OrganizationRegistry registry,
                                 DeadlineProperties properties, Clock clock) {
        this.timers = timers;
        this.cases = cases;
        this.registry = registry;
        this.properties = properties;
        this.clock = clock;
    }

    /** Open tasks past their deadline, most overdue first. level is null until the first escalation went out. */
    @GetMapping("/overdue")
    public List<Map<String, Object>> overdue(@RequestParam(defaultValue = "200") int limit) {
        Instant now = clock.instant();
        return timers.overdue(now, Math.min(Math.max(limit, 1), 1000)).stream().map(o -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("caseId", o.caseId());
            m.put("taskId", o.taskId());
            m.put("org", o.orgCode());
            m.put("orgName", registry.orgName(o.orgCode()));
            m.put("role", o.role());
            m.put("taskStatus", o.taskStatus());
            m.put("title", title(o.caseId()));
            m.put("category", o.category());
            m.put("urgency", o.urgency());
            m.put("deadline", o.deadline());
            m.put("overdueHours", Duration.between(o.deadline(), now).toHours());
            m.put("level", o.level());
            m.put("levelName", o.level() == null ? null : properties.levelName(o.level()));
            m.put("escalations", o.escalations());
            m.put("lastEscalatedAt", o.lastEscalatedAt());
            m.put("nextEscalationAt", o.nextEscalationAt());
            return m;
        }).toList();
    }

    /** Emergency alerts sent to the duty leader, newest first. */
    @GetMapping("/emergencies")
    public List<Map<String, Object>> emergencies(@RequestParam(defaultValue = "100") int limit) {
        return timers.alerts(Math.min(Math.max(limit, 1), 1000)).stream().map(a -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("caseId", a.caseId());
            m.put("taskId", a.taskId());
            m.put("leadOrg", a.orgCode());
            m.put("leadOrgName", registry.orgName(a.orgCode()));
            m.put("title", title(a.caseId()));
            m.put("category", a.category());
            m.put("topic", a.topic());
            m.put("townshipCode", a.townshipCode());
            m.put("caseStatus", a.caseStatus());
            m.put("deadline", a.deadline());
            m.put("alertedAt", a.alertedAt());
            return m;
        }).toList();
    }

    private String title(String caseId) {
        List<Appeal> appeals = cases.appealsOfCase(caseId);
        return appeals.isEmpty() ? null : Pii.maskInText(appeals.get(0).title());
    }
}
