package appealhub.ops;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * GET /ops/cases?appealId=&sourceItemId=&phone=&org=&status=&from=&to=&limit=: cases newest first,
 * each with its appeals (phones masked). from/to are Beijing dates (yyyy-MM-dd), both included.
 */
@RestController
@RequestMapping("/ops")
public class CaseSearchController {
    private final CaseSearch search;

    public CaseSearchController(CaseSearch search) {
        this.search = search;
    }

    @GetMapping("/cases")
    public ResponseEntity<?> search(@RequestParam(required = false) String appealId,
                                    @RequestParam(required = false) String sourceItemId,
                                    @RequestParam(required = false) String phone,
                                    @RequestParam(required = false) String org,
                                    @RequestParam(required = false) String status,
                                    @RequestParam(required = false) String from,
                                    @RequestParam(required = false) String to,
                                    @RequestParam(defaultValue = "50") int limit) {
        try {
            return ResponseEntity.ok(search.find(new CaseSearch.Query(appealId, sourceItemId, phone, org, status,
                    date(from, "from"), date(to, "to"), limit)));
        } catch (IllegalArgumentException e) {
            return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
        }
    }

    private static LocalDate date(String s, String name) {
        if (s == null || s.isBlank()) return null;
        try {
            return LocalDate.parse(s.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be a date yyyy-MM-dd");
        }
    }
}
