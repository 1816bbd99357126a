package appealhub.ops;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Dead letters for operations (see {@link DeadLetters}):
 * <ul>
 *   <li>GET /ops/dead-letters/queues: every parking queue, where its messages go back to, how many it holds;</li>
 *   <li>GET /ops/dead-letters/items?queue=: the messages on one, oldest first (numbers masked);</li>
 *   <li>POST /ops/dead-letters/replay {queue, messageId, body?}: puts one back on its queue, as it was or
 *       as corrected; noted in its case file with the operator's name.</li>
 * </ul>
 */
@RestController
@RequestMapping("/ops/dead-letters")
public class DeadLetterController {
    private final DeadLetters deadLetters;

    public DeadLetterController(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GetMapping("/queues")
    public List<Map<String, Object>> queues() {
        Map<String, Integer> counts = deadLetters.counts();
        return deadLetters.queues().stream().map(q -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("queue", q.name());
            m.put("target", q.target());
            m.put("label", q.label());
            m.put("count", counts.getOrDefault(q.name(), 0));
            return m;
        }).toList();
    }

    @GetMapping("/items")
    public ResponseEntity<?> items(@RequestParam String queue) {
        Optional<appealhub.contract.ParkingQueue> q = deadLetters.queue(queue);
        if (q.isEmpty()) return unknownQueue(queue);
        return ResponseEntity.ok(deadLetters.list(q.get()));
    }

    public record Replay(String queue, String messageId, String body) {}

    @PostMapping("/replay")
    public ResponseEntity<?> replay(@RequestBody Replay r, Principal operator) {
        Optional<appealhub.contract.ParkingQueue> q = r.queue() == null ? Optional.empty() : deadLetters.queue(r.queue());
        if (q.isEmpty()) return unknownQueue(r.queue());
        String body = r.body() == null || r.body().isBlank() ? null : r.body();
        try {
            return deadLetters.replay(q.get(), r.messageId(), body, operator.getName())
                    .<ResponseEntity<?>>map(done -> ResponseEntity.accepted().body(done))
                    .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND)
                            .body(Map.of("error", "no message " + r.messageId() + " on " + r.queue() + " (replayed already?)")));
        } catch (DeadLetters.BadBody e) {
            return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
        }
    }

    private static ResponseEntity<?> unknownQueue(String queue) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "not a dead-letter queue: " + queue));
    }
}
