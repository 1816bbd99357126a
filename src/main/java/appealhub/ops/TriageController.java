package appealhub.ops;

import appealhub.classify.CategoryRules;
import appealhub.classify.LabelledHistory;
import appealhub.organization.OrganizationRegistry;
import appealhub.classify.PlacementClassifier;
import appealhub.classify.RoutingRules;
import appealhub.dispatch.DispatchService;
import appealhub.model.Appeal;
import appealhub.store.CaseStore;
import appealhub.store.TaskStore;
import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Manual triage and the routing rules, for operations:
 * <ul>
 *   <li>POST /ops/triage/{caseId} {category, topic, leadOrg, coOrgs, townshipCode}: places a case
 *       waiting in triage as the logged-in operator decided (tasks, case-file event "triaged" with the
 *       operator's name) and appends the appeal with the operator's class to the labelled history;</li>
 *   <li>POST /ops/routing/reload: re-reads config/routing-rules.yaml; answers what is in force, or the
 *       error (422) with the old rules kept; GET /ops/routing: what is in force.</li>
 * </ul>
 */
@RestController
@RequestMapping("/ops")
public class TriageController {
    private static final Logger log = LoggerFactory.getLogger(TriageController.class);

    /** The operator's decision as posted (who decided is the logged-in user, never a name in the body). */
    public record Decision(String category, String topic, String leadOrg, List<String> coOrgs, String townshipCode) {}

    private final DispatchService dispatch;
    private final PlacementClassifier classifier;
    private final OrganizationRegistry registry;
    private final CaseStore cases;
    private final LabelledHistory history;

    public TriageController(DispatchService dispatch, PlacementClassifier classifier, OrganizationRegistry registry,
                            CaseStore cases, LabelledHistory history) {
        this.dispatch = dispatch;
        this.classifier = classifier;
        this.registry = registry;
        this.cases = cases;
        this.history = history;
    }

    @PostMapping("/triage/{caseId}")
    public ResponseEntity<Map<String, Object>> triage(@PathVariable String caseId, @RequestBody Decision d, Principal operator) {
        List<String> errors = new ArrayList<>();
        List<String> co = d.coOrgs() == null ? List.of() : d.coOrgs().stream().filter(s -> s != null && !s.isBlank()).distinct().toList();
        if (blank(d.category()) || !CategoryRules.isCategory(d.category())) errors.add("category must be one of " + CategoryRules.CATEGORIES);
        if (blank(d.topic()) || !classifier.classes().contains(d.topic())) errors.add("topic must be one of " + classifier.classes());
        if (blank(d.leadOrg()) || !known(d.leadOrg())) errors.add("leadOrg must be a department or township code");
        for (String c : co) if (!known(c)) errors.add("unknown co organisation " + c);
        if (co.contains(d.leadOrg())) errors.add("leadOrg cannot also be a co organisation");
        String township = blank(d.townshipCode()) ? null : d.townshipCode();
        if (township != null && !registry.isTownship(township)) errors.add("unknown townshipCode " + township);
        if (township == null && d.leadOrg() != null && registry.isTownship(d.leadOrg())) township = d.leadOrg();
        if (!errors.isEmpty()) return ResponseEntity.badRequest().body(Map.of("error", String.join("; ", errors)));
        if (cases.findCase(caseId) == null) return ResponseEntity.notFound().build();

        List<TaskStore.TaskRecord> created;
        try {
            created = dispatch.placeByOperator(caseId, new DispatchService.OperatorPlacement(d.category(), d.topic(),
                    d.leadOrg(), co, township, operator.getName()));
        } catch (DispatchService.NotInTriage e) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", e.getMessage()));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("caseId", caseId);
        answer.put("status", "DISPATCHED");
        answer.put("tasks", created.stream().map(t -> Map.of("taskId", t.taskId(), "org", t.orgCode(), "role", t.role(),
                "queue", t.queue())).toList());
        List<Appeal> appeals = cases.appealsOfCase(caseId);
        try {
            for (Appeal a : appeals) history.append(a, d.topic());
            answer.put("labelled", history.file().toString());
        } catch (RuntimeException e) {
            // The case is placed; the history misses a row: say so, operations can export it later.
            log.warn("case {}: triage decision not appended to labelled history: {}", caseId, e.getMessage());
            answer.put("labelledError", e.getMessage());
        }
        return ResponseEntity.ok(answer);
    }

    @PostMapping("/routing/reload")
    public ResponseEntity<RoutingRules.ReloadResult> reload() {
        RoutingRules.ReloadResult r = classifier.rules().reload();
        return r.ok() ? ResponseEntity.ok(r) : ResponseEntity.unprocessableEntity().body(r);
    }

    @GetMapping("/routing")
    public Map<String, Object> routing() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("rules", classifier.rules().status());
        view.put("classes", classifier.table().classes());
        view.put("triageThreshold", classifier.threshold());
        view.put("modelTriageThreshold", classifier.modelThreshold());
        return view;
    }

    private boolean known(String code) {
        return registry.department(code).isPresent() || registry.isTownship(code);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
