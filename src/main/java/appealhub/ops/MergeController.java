package appealhub.ops;

import appealhub.merge.CaseMerger;
import appealhub.merge.DuplicateDetector;
import appealhub.merge.MergeDecision;
import appealhub.merge.MergeUndoService;
import appealhub.model.Appeal;
import appealhub.store.CaseStore;
import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Merges for operations: hot issues, possible duplicates of a case, and undo of a wrong merge. */
@RestController
@RequestMapping("/ops")
public class MergeController {
    private final CaseStore cases;
    private final DuplicateDetector detector;
    private final MergeUndoService undo;
    private final Clock clock;

    public MergeController(CaseStore cases, DuplicateDetector detector, MergeUndoService undo, Clock clock) {
        this.clock = clock;
        this.cases = cases;
        this.detector = detector;
        this.undo = undo;
    }

    /**
     * 热点: open cases reported by several different citizens, hottest first by the heat index the
     * dashboard's panel shows (HeatIndex: citizens, repeated reports, recency of the last report),
     * ranked among the most reported ones (at least 50, as the dashboard does).
     */
    @GetMapping("/hot-issues")
    public List<Map<String, Object>> hotIssues(@RequestParam(defaultValue = "50") int limit) {
        int wanted = Math.max(1, Math.min(limit, 500));
        Instant now = clock.instant();
        List<Map<String, Object>> ranked = new ArrayList<>(cases.hotCases(Math.max(wanted, 50)).stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("caseId", c.caseId());
            m.put("status", c.status());
            m.put("citizens", c.citizenCount());
            List<CaseStore.SourceRecord> sources = cases.sourcesOfCase(c.caseId());
            Dashboard.putHeat(m, c.citizenCount(), sources, now);
            m.put("sources", sources.size());
            m.put("priority", c.priority());
            m.put("category", c.category());
            m.put("lead", c.leadDept());
            m.put("township", c.townshipCode());
            List<Appeal> appeals = cases.appealsOfCase(c.caseId());
            m.put("title", appeals.isEmpty() ? null : appealhub.model.Pii.maskInText(appeals.get(0).title()));
            return m;
        }).toList());
        ranked.sort(Comparator.comparingDouble((Map<String, Object> m) -> -(Double) m.get("heat")));
        return ranked.size() > wanted ? new ArrayList<>(ranked.subList(0, wanted)) : ranked;
    }

    /** Scored near-duplicates of a case's first appeal (no threshold applied), for a person to judge. */
    @GetMapping("/cases/{caseId}/similar")
    public ResponseEntity<List<MergeDecision>> similar(@PathVariable String caseId) {
        List<Appeal> appeals = cases.appealsOfCase(caseId);
        if (appeals.isEmpty()) return ResponseEntity.notFound().build();
        CaseStore.CaseRecord c = cases.findCase(caseId);
        List<MergeDecision> found = detector.candidates(CaseMerger.candidateOf(appeals.get(0), c.townshipCode()))
                .stream().filter(d -> !d.caseId().equals(caseId)).toList();
        return ResponseEntity.ok(found);
    }

    /** Undo a wrong merge: the appeal goes back to its own case, which is then dispatched normally. */
    @PostMapping("/appeals/{appealId}/split")
    public ResponseEntity<Map<String, Object>> split(@PathVariable String appealId, Principal principal) {
        String operator = principal != null ? principal.getName() : "ops";
        try {
            String caseId = undo.split(appealId, operator);
            return ResponseEntity.accepted().body(Map.of("appealId", appealId, "caseId", caseId, "status", "RECEIVED"));
        } catch (MergeUndoService.NotMerged e) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", e.getMessage()));
        }
    }
}
