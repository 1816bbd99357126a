package appealhub.ops;

import appealhub.classify.OrganizationRegistry;
import appealhub.config.BrokerConfig;
import appealhub.config.Queues;
import appealhub.feedback.FeedbackPayload;
import appealhub.model.Appeal;
import appealhub.model.Pii;
import appealhub.store.CaseStore;
import appealhub.store.FeedbackOutbox;
import appealhub.store.RawItemStore;
import appealhub.store.TaskStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What operations can see and do over REST until the dashboards arrive: a case with its
 * case file, counts, kept bad input, dead letters. Personal data is masked here.
 */
@RestController
@RequestMapping("/ops")
public class OpsController {

    private final CaseStore cases;
    private final TaskStore tasks;
    private final FeedbackOutbox outbox;
    private final RawItemStore raw;
    private final JdbcTemplate jdbc;
    private final JmsTemplate jms;
    private final ObjectMapper json;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final OrganizationRegistry registry;

    public OpsController(CaseStore cases, TaskStore tasks, FeedbackOutbox outbox, RawItemStore raw, JdbcTemplate jdbc,
                         JmsTemplate jms, ObjectMapper json, TransactionTemplate tx, Clock clock,
                         OrganizationRegistry registry) {
        this.registry = registry;
        this.cases = cases;
        this.tasks = tasks;
        this.outbox = outbox;
        this.raw = raw;
        this.jdbc = jdbc;
        this.jms = jms;
        this.json = json;
        this.tx = tx;
        this.clock = clock;
    }

    @GetMapping("/cases/{caseId}")
    public ResponseEntity<Map<String, Object>> caseFile(@PathVariable String caseId) {
        CaseStore.CaseRecord c = cases.findCase(caseId);
        if (c == null) return ResponseEntity.notFound().build();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("case", c);
        view.put("appeals", cases.appealsOfCase(caseId).stream().map(OpsController::masked).toList());
        view.put("sources", cases.sourcesOfCase(caseId));
        view.put("tasks", tasks.ofCase(caseId));
        view.put("events", cases.events(caseId));
        view.put("feedback", outbox.ofCase(caseId));
        return ResponseEntity.ok(view);
    }

    @GetMapping("/appeals/{appealId}")
    public ResponseEntity<Map<String, Object>> byAppeal(@PathVariable String appealId) {
        String caseId = cases.caseIdOfAppeal(appealId);
        return caseId == null ? ResponseEntity.notFound().build() : caseFile(caseId);
    }

    @GetMapping("/stats")
    public Map<String, Object> stats() {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("casesByStatus", counts("select status, count(*) from hub_case group by status"));
        stats.put("rawByStatus", counts("select parse_status, count(*) from raw_item group by parse_status"));
        stats.put("tasksByStatus", counts("select status, count(*) from task group by status"));
        stats.put("feedbackByStatus", counts("select status, count(*) from feedback_outbox group by status"));
        return stats;
    }

    /** Inbound items kept because they were bad (INVALID, REJECTED), newest first; phones masked. */
    @GetMapping("/raw")
    public List<Map<String, Object>> rawItems(@RequestParam(defaultValue = "INVALID") String status,
                                              @RequestParam(defaultValue = "50") int limit) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (RawItemStore.RawItem r : raw.byStatus(status, Math.min(limit, 500))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("channel", r.channel());
            m.put("kind", r.kind());
            m.put("sourceItemId", r.sourceItemId());
            m.put("receivedAt", r.receivedAt());
            m.put("status", r.status());
            m.put("error", r.error());
            m.put("body", Pii.maskInText(new String(r.body(), charsetOf(r.contentType()))));
            out.add(m);
        }
        return out;
    }

    /**
     * Messages parked for operations: replies the hub refused (with its reason), and messages
     * the broker gave up redelivering (DLA::DLQ.<queue>, only those that exist).
     */
    @GetMapping("/dead-letters")
    public Map<String, List<Map<String, Object>>> deadLetters() {
        Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
        out.put(Queues.DEAD_REPLIES, browse(Queues.DEAD_REPLIES));
        List<String> queues = new ArrayList<>(List.of(Queues.INTAKE, Queues.REPLIES, Queues.TRIAGE));
        queues.addAll(registry.taskQueues());
        for (String queue : queues) {
            String dlq = BrokerConfig.deadLetterQueue(queue);
            try {
                List<Map<String, Object>> items = browse(dlq);
                if (!items.isEmpty()) out.put(dlq, items);
            } catch (org.springframework.jms.JmsException noSuchQueue) {
                // no dead letter from that queue yet
            }
        }
        return out;
    }

    private List<Map<String, Object>> browse(String queue) {
        return jms.browse(queue, (session, browser) -> {
            List<Map<String, Object>> items = new ArrayList<>();
            for (Object o : Collections.list(browser.getEnumeration())) {
                Message m = (Message) o;
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("messageId", m.getJMSMessageID());
                item.put("timestamp", m.getJMSTimestamp());
                item.put("reason", m.getStringProperty(Queues.DEAD_REASON));
                item.put("body", m instanceof TextMessage t ? Pii.maskInText(t.getText()) : null);
                items.add(item);
            }
            return items;
        });
    }

    /** 退回: tell the upstream the case is not the district's business at all. */
    @PostMapping("/cases/{caseId}/return-upstream")
    public ResponseEntity<Map<String, Object>> returnUpstream(@PathVariable String caseId, @RequestBody Map<String, String> body) {
        String reason = body.get("reason");
        if (reason == null || reason.isBlank()) {
            return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(Map.of("error", "reason is required"));
        }
        if (cases.findCase(caseId) == null) return ResponseEntity.notFound().build();
        tx.executeWithoutResult(status -> {
            cases.updateStatus(caseId, "RETURNED_UPSTREAM");
            cases.addEvent(caseId, "returned-upstream", body.getOrDefault("operator", "operations"), Map.of("reason", reason));
            String payload = FeedbackPayload.of("return", reason, null, clock.instant()).toJson(json);
            for (CaseStore.SourceRecord s : cases.sourcesOfCase(caseId)) {
                outbox.enqueue(caseId, s.channel(), s.sourceItemId(), "return", payload);
            }
        });
        return ResponseEntity.accepted().body(Map.of("caseId", caseId, "status", "RETURNED_UPSTREAM"));
    }

    /** The charset the item arrived in (e.g. GBK files), UTF-8 when it did not say. */
    private static java.nio.charset.Charset charsetOf(String contentType) {
        if (contentType != null) {
            int i = contentType.toLowerCase().indexOf("charset=");
            if (i >= 0) {
                try {
                    return java.nio.charset.Charset.forName(contentType.substring(i + 8).trim().replace("\"", ""));
                } catch (RuntimeException unknownCharset) {
                    // fall through to UTF-8
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    private Map<String, Long> counts(String sql) {
        Map<String, Long> m = new LinkedHashMap<>();
        jdbc.query(sql, rs -> { m.put(rs.getString(1), rs.getLong(2)); });
        return m;
    }

    private static Appeal masked(Appeal a) {
        Appeal.Citizen c = a.citizen();
        Appeal.Citizen mc = c == null ? null : new Appeal.Citizen(c.name() == null ? null : c.name().charAt(0) + "**",
                Pii.maskPhone(c.phone()), c.anonymous());
        return new Appeal(a.appealId(), a.caseId(), a.sources(), mc, a.title(), Pii.maskInText(a.content()),
                a.occurredAt(), a.receivedAt(), a.location(), a.channelType(), a.channelDeadline(), a.urgentHint(),
                a.attachments(), a.channelFields());
    }
}
