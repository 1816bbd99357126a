package appealhub.ops;

import appealhub.classify.CategoryRules;
import appealhub.organization.OrganizationRegistry;
import appealhub.classify.Placement;
import appealhub.classify.PlacementClassifier;
import appealhub.model.Appeal;
import appealhub.model.Pii;
import appealhub.store.CaseStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the triage page needs: the cases waiting for an operator (GET /ops/triage), each with the
 * hub's best suggestions, and the choices of the placement form (GET /ops/triage/options). The
 * decision itself is POST /ops/triage/{caseId} ({@link TriageController}).
 */
@RestController
@RequestMapping("/ops/triage")
public class TriageQueueController {
    private static final Logger log = LoggerFactory.getLogger(TriageQueueController.class);
    private static final int CONTENT_CHARS = 400;

    private final JdbcTemplate jdbc;
    private final CaseStore cases;
    private final PlacementClassifier classifier;
    private final OrganizationRegistry registry;

    public TriageQueueController(JdbcTemplate jdbc, CaseStore cases, PlacementClassifier classifier,
                                 OrganizationRegistry registry) {
        this.jdbc = jdbc;
        this.cases = cases;
        this.classifier = classifier;
        this.registry = registry;
    }

    /** Cases waiting in manual triage, oldest first. */
    @GetMapping
    public List<Map<String, Object>> waiting(@RequestParam(defaultValue = "100") int limit) {
        List<String> ids = jdbc.queryForList("select case_id from hub_case where status = 'TRIAGE' order by updated_at, case_id limit ?",
                String.class, Math.max(1, Math.min(limit, 500)));
        List<Map<String, Object>> out = new ArrayList<>();
        for (String caseId : ids) {
            CaseStore.CaseRecord c = cases.findCase(caseId);
            List<Appeal> appeals = cases.appealsOfCase(caseId);
            if (c == null || appeals.isEmpty()) continue;
            Appeal first = appeals.get(0);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("caseId", caseId);
            m.put("appealIds", appeals.stream().map(Appeal::appealId).toList());
            m.put("waitingSince", c.updatedAt());
            m.put("title", Pii.maskInText(first.title()));
            m.put("content", shorten(Pii.maskInText(first.content())));
            Appeal.Source s = first.firstSource();
            m.put("channelName", s == null ? null : Labels.channel(s.channel()));
            m.put("address", first.location() == null ? null : Pii.maskInText(first.location().address()));
            m.put("category", c.category());
            m.put("topic", c.topic());
            m.put("township", c.townshipCode());
            m.put("urgency", c.urgency());
            m.put("reason", lastTriageReason(caseId));
            m.put("suggestions", suggestions(first));
            out.add(m);
        }
        return out;
    }

    @GetMapping("/options")
    public Map<String, Object> options() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("categories", CategoryRules.CATEGORIES);
        m.put("topics", classifier.classes());
        m.put("departments", registry.departments().stream().map(d -> Map.of("code", d.code(), "name", d.name())).toList());
        m.put("townships", registry.townships().stream().map(t -> Map.of("code", t.code(), "name", t.name())).toList());
        return m;
    }

    private String lastTriageReason(String caseId) {
        List<String> reasons = jdbc.queryForList("select detail from case_event where case_id = ? and type = 'triage' "
                + "order by id desc limit 1", String.class, caseId);
        return reasons.isEmpty() ? null : reasons.get(0);
    }

    /** The hub's best places for the appeal as the rules and model stand now. */
    private List<Map<String, Object>> suggestions(Appeal appeal) {
        try {
            Placement p = classifier.classify(appeal);
            List<Map<String, Object>> out = new ArrayList<>();
            for (Placement.Suggestion s : p.suggestions() == null ? List.<Placement.Suggestion>of() : p.suggestions()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("category", p.category());
                m.put("topic", s.topic());
                m.put("probability", s.probability());
                m.put("leadOrg", s.leadOrg());
                m.put("leadName", s.leadOrg() == null ? null : registry.orgName(s.leadOrg()));
                m.put("coOrgs", s.coOrgs());
                m.put("township", p.townshipCode());
                out.add(m);
            }
            return out;
        } catch (RuntimeException e) {
            log.warn("no triage suggestions for appeal {}: {}", appeal.appealId(), e.getMessage());
            return List.of();
        }
    }

    private static String shorten(String s) {
        if (s == null || s.codePointCount(0, s.length()) <= CONTENT_CHARS) return s;
        return s.substring(0, s.offsetByCodePoints(0, CONTENT_CHARS)) + "…";
    }
}
