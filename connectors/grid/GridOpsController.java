package appealhub.connectors.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operations on the grid channel's dead letters: list them with their reasons, and replay
 * one (as it was, or corrected) onto the inbound queue, where it is checked again.
 */
@RestController
@RequestMapping("/ops/grid")
@ConditionalOnProperty(prefix = "hub.channels.grid", name = "enabled", havingValue = "true")
public class GridOpsController {
    private static final Logger log = LoggerFactory.getLogger(GridOpsController.class);

    private final GridDeadLetters deadLetters;
    private final GridProperties props;
    private final ObjectMapper json;

    public GridOpsController(GridDeadLetters deadLetters, GridProperties props, ObjectMapper json) {
        this.deadLetters = deadLetters;
        this.props = props;
        this.json = json;
    }

    /** Dead letters, oldest first: messageId, timestamp, reason, eventId, rawItemId, body (phones masked). */
    @GetMapping("/dead-letters")
    public List<Map<String, Object>> list() {
        return deadLetters.list().stream().map(GridDeadLetters::view).toList();
    }

    /**
     * Takes the dead letter off hub.dead.grid and puts it back on the inbound queue: the body
     * of this request (a corrected report, JSON) if there is one, else the message as it was.
     */
    @PostMapping("/dead-letters/{messageId}/replay")
    public ResponseEntity<Map<String, Object>> replay(@PathVariable String messageId,
                                                      @RequestBody(required = false) String corrected) {
        String body = corrected == null || corrected.isBlank() ? null : corrected;
        if (body != null) {
            try {
                JsonNode node = json.readTree(body);
                if (node == null || !node.isObject()) throw new IllegalArgumentException();
            } catch (Exception e) {
                return ResponseEntity.badRequest().body(Map.of("error", "the corrected report must be a JSON object"));
            }
        }
        Optional<String> sent = deadLetters.replay(messageId, body);
        if (sent.isEmpty()) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "no dead letter " + messageId));
        }
        log.info("grid dead letter {} replayed{} onto {}", messageId, body == null ? "" : " (corrected)", props.inboundQueue());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("replayed", messageId);
        out.put("corrected", body != null);
        out.put("queue", props.inboundQueue());
        out.put("messageId", sent.get());
        return ResponseEntity.accepted().body(out);
    }
}
