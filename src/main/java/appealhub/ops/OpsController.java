package appealhub.ops;

import appealhub.model.CaseStatus;
import appealhub.intake.HandoverRecovery;
import appealhub.contract.Queues;
import appealhub.feedback.FeedbackPayload;
import appealhub.model.Appeal;
import appealhub.model.Pii;
import appealhub.model.TaskStatus;
import appealhub.messaging.HubMessaging;
import appealhub.messaging.TaskMessages;
import appealhub.messaging.TaskUpdate;
import appealhub.store.CaseStageCounts;
import appealhub.store.CaseStore;
import appealhub.store.FeedbackOutbox;
import appealhub.store.RawItemStore;
import appealhub.store.TaskStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What operations can see and do over REST (the pages under /ops call it): a case with its
 * case file, counts, kept bad input, dead letters. Personal data is masked here.
 */
@RestController
@RequestMapping("/ops")
public class OpsController {

    private final CaseStore cases;
    private final CaseStageCounts stages;
    private final TaskStore tasks;
    private final FeedbackOutbox outbox;
    private final RawItemStore raw;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final DeadLetters deadLetters;
    private final HandoverRecovery recovery;
    private final TaskMessages taskMessages;
    private final HubMessaging messaging;

    public OpsController(CaseStore cases, TaskStore tasks, FeedbackOutbox outbox, RawItemStore raw, JdbcTemplate jdbc,
                         ObjectMapper json, TransactionTemplate tx, Clock clock, DeadLetters deadLetters,
                         HandoverRecovery recovery, TaskMessages taskMessages, HubMessaging messaging,
                         CaseStageCounts stages) {
        this.stages = stages;
        this.recovery = recovery;
        this.taskMessages = taskMessages;
        this.messaging = messaging;
        this.deadLetters = deadLetters;
        this.cases = cases;
        this.tasks = tasks;
        this.outbox = outbox;
        this.raw = raw;
        this.jdbc = jdbc;
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
        // free text in the case file (department notes, evaluations) may hold numbers: masked like the appeals
        view.put("events", cases.events(caseId).stream().map(e -> new CaseStore.CaseEvent(e.id(), e.at(), e.type(), e.actor(),
                Pii.maskInText(e.detail()))).toList());
        view.put("feedback", outbox.ofCase(caseId).stream().map(FeedbackOpsController::view).toList());
        return ResponseEntity.ok(view);
    }

    @GetMapping("/appeals/{appealId}")
    public ResponseEntity<Map<String, Object>> byAppeal(@PathVariable String appealId) {
        String caseId = cases.caseIdOfAppeal(appealId);
        return caseId == null ? ResponseEntity.notFound().build() : caseFile(caseId);
    }

    /**
     * Counts by status. Cases come from the kept stage counts (CaseStageCounts: exact for what is
     * committed, no scan of a year of cases); raw items, tasks and feedback are counted, which at a
     * year's size takes a while, so {@code ?only=cases} answers the cases alone (what a load
     * generator polls while it waits for placement, bench/push-benchmark.sh).
     */
    @GetMapping("/stats")
    public Map<String, Object> stats(@RequestParam(required = false) String only) {
        Map<String, Object> stats = new LinkedHashMap<>();
        Map<String, Long> cases = new java.util.TreeMap<>(stages.current());
        cases.remove(CaseStageCounts.FED_BACK);          // a part of RESOLVED, not a status
        cases.values().removeIf(n -> n == 0);
        stats.put("casesByStatus", cases);
        if ("cases".equals(only)) return stats;
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
     * Messages parked for operations: replies the hub refused (with its reason), grid reports it
     * could not take in, and messages the broker gave up redelivering (DLA::DLQ.<queue>, only
     * those that hold any). Looking, fixing and replaying: {@link DeadLetterController}.
     */
    @GetMapping("/dead-letters")
    public Map<String, List<Map<String, Object>>> deadLetters() {
        Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
        Map<String, Integer> counts = deadLetters.counts();
        for (appealhub.contract.ParkingQueue q : deadLetters.queues()) {
            if (!q.name().equals(Queues.DEAD_REPLIES) && counts.getOrDefault(q.name(), 0) == 0) continue;
            out.put(q.name(), deadLetters.list(q).stream().map(p -> {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("messageId", p.messageId());
                item.put("timestamp", p.timestamp());
                item.put("reason", p.reason());
                item.put("caseId", p.caseId());
                item.put("body", p.body());
                return item;
            }).toList());
        }
        return out;
    }

    /** Cases stored but never placed after every hand-over attempt (parked by the recovery), newest first. */
    @GetMapping("/parked")
    public List<CaseStore.Parked> parked(@RequestParam(defaultValue = "200") int limit) {
        return cases.parked(Math.min(Math.max(limit, 1), 1000));
    }

    /** Hand a parked case over to placement again (after the cause, e.g. a dead letter, was looked at). */
    @PostMapping("/parked/{caseId}/retry")
    public ResponseEntity<Map<String, Object>> retryParked(@PathVariable String caseId, Principal operator) {
        if (!recovery.retryParked(caseId, operator.getName())) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", "case " + caseId + " is not parked"));
        }
        return ResponseEntity.accepted().body(Map.of("caseId", caseId, "status", "RECEIVED"));
    }

    /** The kind of task update that tells a department its task was withdrawn (queue contract). */
    public static final String WITHDRAWN = "withdrawn";

    /**
     * 退回: tell the upstream the case is not the district's business at all. Only for an open case,
     * and only once (the case is locked and its status checked in the transaction: a double click
     * gets 409 and sends nothing twice). The departments still holding a task of the case are told
     * it was withdrawn (task update {@value #WITHDRAWN}) and their tasks are closed, so a later
     * resolve is recorded as a late reply and sends no 办结 after the 退回.
     */
    @PostMapping("/cases/{caseId}/return-upstream")
    public ResponseEntity<Map<String, Object>> returnUpstream(@PathVariable String caseId, @RequestBody Map<String, String> body,
                                                              Principal operator) {
        String reason = body.get("reason");
        if (reason == null || reason.isBlank()) {
            return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(Map.of("error", "reason is required"));
        }
        if (cases.findCase(caseId) == null) return ResponseEntity.notFound().build();
        record Outcome(CaseStatus refusedStatus, List<TaskUpdate> updates) {}
        Outcome outcome = tx.execute(status -> {
            CaseStore.CaseRecord c = cases.lockCase(caseId);
            if (!c.status().open()) return new Outcome(c.status(), List.of());
            cases.updateStatus(caseId, CaseStatus.RETURNED_UPSTREAM);
            List<String> withdrawn = new ArrayList<>();
            List<TaskUpdate> updates = new ArrayList<>();
            String text = "本案已退回上级（非本区事项），任务撤回，请停止办理。原因：" + Pii.maskInText(reason.strip());
            for (TaskStore.TaskRecord t : tasks.ofCaseRound(caseId, c.round())) {
                if (t.status().finished()) continue;
                tasks.updateStatus(t.taskId(), TaskStatus.CLOSED);
                withdrawn.add(t.orgCode());
                updates.add(new TaskUpdate(t.queue(), t.taskId(), WITHDRAWN + "-" + t.taskId(),
                        taskMessages.taskUpdate(WITHDRAWN, t, c, text).toString(), c.messagePriority()));
            }
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("reason", reason);
            if (!withdrawn.isEmpty()) detail.put("withdrawnTasks", withdrawn);
            cases.addEvent(caseId, "returned-upstream", operator.getName(), detail);
            String payload = FeedbackPayload.of("return", reason, null, clock.instant()).toJson(json);
            for (CaseStore.SourceRecord s : cases.sourcesOfCase(caseId)) {
                outbox.enqueue(caseId, s.channel(), s.sourceItemId(), "return", payload);
            }
            return new Outcome(null, updates);
        });
        if (outcome.refusedStatus() != null) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", "case " + caseId + " is "
                    + outcome.refusedStatus().name() + ", not open: it can be returned upstream only while open, and once",
                    "status", outcome.refusedStatus().name()));
        }
        // after the commit, like every task update; the duplicate id makes a repeat harmless
        outcome.updates().forEach(messaging::sendTaskUpdate);
        return ResponseEntity.accepted().body(Map.of("caseId", caseId, "status", "RETURNED_UPSTREAM",
                "withdrawnTasks", outcome.updates().size()));
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
        return new Appeal(a.appealId(), a.caseId(), a.sources(), mc, Pii.maskInText(a.title()), Pii.maskInText(a.content()),
                a.occurredAt(), a.receivedAt(), a.location(), a.channelType(), a.channelDeadline(), a.urgentHint(),
                a.attachments(), a.channelFields());
    }
}
