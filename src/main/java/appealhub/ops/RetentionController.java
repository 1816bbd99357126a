package appealhub.ops;

import appealhub.retention.RetentionService;
import appealhub.store.RetentionStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** GET /ops/retention: what retention keeps and what it purged (counts and when), for viewers too. */
@RestController
@RequestMapping("/ops")
public class RetentionController {
    private final RetentionService retention;
    private final RetentionStore store;

    public RetentionController(RetentionService retention, RetentionStore store) {
        this.retention = retention;
        this.store = store;
    }

    @GetMapping("/retention")
    public Map<String, Object> retention(@RequestParam(defaultValue = "20") int limit) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("enabled", retention.properties().enabled());
        view.put("closedDays", retention.properties().closedDays());
        view.put("rawDays", retention.properties().rawDays());
        view.put("totals", store.totals());
        view.put("runs", store.runs(Math.min(Math.max(limit, 1), 200)));
        return view;
    }
}
