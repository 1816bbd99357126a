package appealhub.ops;

import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** GET /ops/dashboard: everything the domain dashboard page shows, in one answer (it asks every 5 s). */
@RestController
public class DashboardController {
    private final Dashboard dashboard;

    public DashboardController(Dashboard dashboard) {
        this.dashboard = dashboard;
    }

    @GetMapping("/ops/dashboard")
    public Map<String, Object> dashboard() {
        return dashboard.current();
    }
}
