package appealhub.ops;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * 日汇总 for a Beijing day (default today): GET /ops/reports/daily?date=yyyy-MM-dd as JSON for the
 * page, GET /ops/reports/daily.csv?date= as a file for Excel/WPS (UTF-8 with BOM).
 */
@RestController
@RequestMapping("/ops/reports")
public class DailyReportController {
    private final DailyReport reports;
    private final Clock clock;

    public DailyReportController(DailyReport reports, Clock clock) {
        this.reports = reports;
        this.clock = clock;
    }

    @GetMapping("/daily")
    public ResponseEntity<?> daily(@RequestParam(required = false) String date) {
        LocalDate day = day(date);
        if (day == null) return badDate();
        return ResponseEntity.ok(reports.of(day));
    }

    @GetMapping("/daily.csv")
    public ResponseEntity<?> dailyCsv(@RequestParam(required = false) String date) {
        LocalDate day = day(date);
        if (day == null) return badDate();
        byte[] file = DailyReportCsv.write(reports.of(day));
        String name = "日汇总-" + day + ".csv";
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"daily-report-" + day + ".csv\"; filename*=UTF-8''"
                        + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"))
                .body(file);
    }

    /** The asked day, today (Beijing) when none was asked, null when it is not a date or is in the future. */
    private LocalDate day(String date) {
        LocalDate today = LocalDate.now(clock.withZone(Labels.BEIJING));
        if (date == null || date.isBlank()) return today;
        try {
            LocalDate d = LocalDate.parse(date.strip());
            return d.isAfter(today) ? null : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static ResponseEntity<Map<String, String>> badDate() {
        return ResponseEntity.badRequest().body(Map.of("error", "date must be a past or today's date yyyy-MM-dd (Beijing)"));
    }
}
