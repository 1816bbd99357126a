package appealhub.ops;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Cases newest first, each with its appeals (phones masked). from/to are Beijing dates
 * (yyyy-MM-dd), both included.
 * <ul>
 *   <li>{@code POST /ops/cases/search} with a JSON body {appealId, sourceItemId, phone, org, status,
 *       from, to, limit}: the way to search by phone. A phone never travels in a URL (access logs,
 *       proxies, browser history); viewers may use it (OpsSecurity), with the CSRF token.</li>
 *   <li>{@code GET /ops/cases?appealId=&sourceItemId=&org=&status=&from=&to=&limit=}: the same
 *       without a phone; a {@code phone} parameter is refused (400) and not searched.</li>
 * </ul>
 */
@RestController
@RequestMapping("/ops")
public class CaseSearchController {
    private final CaseSearch search;

    public CaseSearchController(CaseSearch search) {
        this.search = search;
    }

    /** The search's body: every field optional. */
    public record SearchRequest(String appealId, String sourceItemId, String phone, String org, String status,
                                String from, String to, Integer limit) {
        @Override
        public String toString() {
            return "SearchRequest[phone " + (phone == null ? "absent" : "given") + "]"; // never the phone
        }
    }

    public static final String PATH = "/ops/cases/search";

    @PostMapping("/cases/search")
    public ResponseEntity<?> searchByPost(@RequestBody(required = false) SearchRequest body) {
        SearchRequest q = body == null ? new SearchRequest(null, null, null, null, null, null, null, null) : body;
        return search(q.appealId(), q.sourceItemId(), q.phone(), q.org(), q.status(), q.from(), q.to(),
                q.limit() == null ? 50 : q.limit());
    }

    @GetMapping("/cases")
    public ResponseEntity<?> searchByGet(@RequestParam(required = false) String appealId,
                                         @RequestParam(required = false) String sourceItemId,
                                         @RequestParam(required = false) String phone,
                                         @RequestParam(required = false) String org,
                                         @RequestParam(required = false) String status,
                                         @RequestParam(required = false) String from,
                                         @RequestParam(required = false) String to,
                                         @RequestParam(defaultValue = "50") int limit) {
        if (phone != null) {
            return ResponseEntity.badRequest().body(Map.of("error", "a phone is searched only by POST " + PATH
                    + " (JSON body), never in a URL"));
        }
        return search(appealId, sourceItemId, null, org, status, from, to, limit);
    }

    private ResponseEntity<?> search(String appealId, String sourceItemId, String phone, String org, String status,
                                     String from, String to, int limit) {
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
