package appealhub.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.retention.RetentionService;
import appealhub.store.CaseStore;
import appealhub.store.FeedbackOutbox;
import appealhub.store.RawItemStore;
import appealhub.store.RetentionStore;
import appealhub.store.TaskStore;
import appealhub.support.Department;
import appealhub.support.Platform12345;
import appealhub.support.TestHub;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Message;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 14, items 13 and 16: retention of personal data, return-upstream once and only while
 * open (departments told), login throttling, department ids sanitised before they are logged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetentionAndReturnTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(20);

    Platform12345 platform;
    TestHub hub;
    Department department;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path data) {
        platform = new Platform12345();
        hub = new TestHub(data, platform.baseUrl(), Map.of("hub.retention.initial-delay-ms", 3_600_000,
                "hub.ops.login-throttle.lock-seconds", 4)).start();
        department = new Department(hub.brokerUrl());
    }

    @AfterAll
    void stop() {
        if (department != null) department.close();
        if (hub != null) hub.close();
        if (platform != null) platform.close();
    }

    /** A case closed 181 days ago loses its citizens' names, phones and raw bodies; a younger one keeps them. */
    @Test
    void personalDataIsPurgedAfterTheRetentionPeriod() throws Exception {
        var old = Platform12345.streetLight("GDRETAIN01");
        old.put("lxdh", "13912345678");
        old.put("ldrxm", "王某某");
        old.put("sqnr", "路灯坏了，请回电13912345678。");
        String oldAppeal = platform.push(hub.url(""), old).appealId();
        var young = Platform12345.streetLight("GDRETAIN02");
        young.put("lxdh", "13987654321");
        String youngAppeal = platform.push(hub.url(""), young).appealId();
        CaseStore cases = hub.bean(CaseStore.class);
        String oldCase = cases.caseIdOfAppeal(oldAppeal);
        String youngCase = cases.caseIdOfAppeal(youngAppeal);
        // both closed; one 181 days ago, one 179 (placement may still be at work: wait until it is done)
        await().atMost(WAIT).until(() -> cases.findCase(oldCase).status().name().equals("DISPATCHED")
                && cases.findCase(youngCase).status().name().equals("DISPATCHED"));
        close(oldCase, 181);
        close(youngCase, 179);
        // a refused push from long ago: no appeal, emptied after raw-days
        long refused = hub.bean(RawItemStore.class).storeRefused("hotline12345", "workorder", "text/plain",
                "lxdh=13900001111".getBytes(StandardCharsets.UTF_8), 16L, null, "test");
        jdbc().update("update raw_item set received_at = ? where id = ?", daysAgo(200), refused);

        // what the channels keep of their own: a WeChat follower's messages and state, a 督查 result's text
        var now = daysAgo(181);
        jdbc().update("insert into wechat_message (msg_id, openid, msg_type, created_at, raw_item_id, detail, appeal_id) "
                + "values ('RETAIN-MSG-1', 'oRetainOld', 'location', ?, ?, '{\"label\":\"冀州镇\"}', ?)", now, refused, oldAppeal);
        jdbc().update("insert into wechat_message (msg_id, openid, msg_type, created_at, raw_item_id, detail, appeal_id) "
                + "values ('RETAIN-MSG-2', 'oRetainYoung', 'location', ?, ?, '{}', ?)", now, refused, youngAppeal);
        jdbc().update("insert into wechat_follower (openid, last_msg_id, last_appeal_id, last_text_at, updated_at) "
                + "values ('oRetainOld', 'RETAIN-MSG-0', ?, ?, ?)", oldAppeal, now, now);
        jdbc().update("insert into appeal_source (appeal_id, channel, source_item_id, raw_item_id, received_at) "
                + "values (?, 'supervision', 'DC-RETAIN-1', ?, ?)", oldAppeal, refused, now);
        jdbc().update("insert into supervision_result (clue_id, kind, status_text, result_text, org_name, result_at, created_at) "
                + "values ('DC-RETAIN-1', 'result', '已办结', '已电话联系反映人13912345678，路灯已修复。', '城管局', ?, ?)", now, now);

        CaseSearch search = hub.bean(CaseSearch.class);
        assertThat(search.find(new CaseSearch.Query(null, null, "13912345678", null, null, null, null, 50)))
                .as("found by phone before the purge").extracting(m -> m.get("caseId")).containsExactly(oldCase);

        RetentionService.Result first = hub.bean(RetentionService.class).purge();
        assertThat(first.cases()).isEqualTo(1);
        assertThat(first.appeals()).isEqualTo(1);
        assertThat(first.raw()).isGreaterThanOrEqualTo(2);

        String model = jdbc().queryForObject("select model_json from appeal where appeal_id = ?", String.class, oldAppeal);
        assertThat(model).doesNotContain("13912345678").doesNotContain("王某某").contains("路灯坏了");
        JsonNode citizen = JSON.readTree(model).path("citizen");
        assertThat(citizen.has("phone")).isFalse();
        assertThat(citizen.has("name")).isFalse();
        assertThat(cases.appealsOfCase(oldCase)).singleElement().satisfies(a -> assertThat(a.citizen().phone()).isNull());
        for (Map<String, Object> row : jdbc().queryForList("select body, purged_at, body_bytes from raw_item where appeal_id = ?",
                oldAppeal)) {
            assertThat((byte[]) row.get("body")).isEmpty();
            assertThat(row.get("purged_at")).isNotNull();
            assertThat(((Number) row.get("body_bytes")).longValue()).isPositive();
        }
        assertThat(hub.bean(RawItemStore.class).find(refused).body()).isEmpty();
        assertThat(jdbc().queryForMap("select openid, detail from wechat_message where msg_id = 'RETAIN-MSG-1'"))
                .containsEntry("openid", "purged").containsEntry("detail", null);
        assertThat(jdbc().queryForObject("select count(*) from wechat_follower where openid = 'oRetainOld'", Long.class)).isZero();
        assertThat(jdbc().queryForObject("select openid from wechat_message where msg_id = 'RETAIN-MSG-2'", String.class))
                .as("the younger case's message is kept").isEqualTo("oRetainYoung");
        assertThat(jdbc().queryForObject("select result_text from supervision_result where clue_id = 'DC-RETAIN-1'", String.class))
                .doesNotContain("13912345678").contains("路灯已修复");
        // its phone key went with the phone: a search by the number no longer finds the case; the younger one still is
        assertThat(search.find(new CaseSearch.Query(null, null, "13912345678", null, null, null, null, 50))).isEmpty();
        assertThat(search.find(new CaseSearch.Query(null, null, "13987654321", null, null, null, null, 50)))
                .extracting(m -> m.get("caseId")).containsExactly(youngCase);
        // the younger case is kept whole
        assertThat(jdbc().queryForObject("select model_json from appeal where appeal_id = ?", String.class, youngAppeal))
                .contains("13987654321");
        assertThat(jdbc().queryForObject("select count(*) from raw_item where appeal_id = ? and purged_at is null",
                Long.class, youngAppeal)).isPositive();

        // a second run (or another instance) finds nothing to do: each case is claimed once
        RetentionService.Result again = hub.bean(RetentionService.class).purge();
        assertThat(again.cases()).isZero();
        assertThat(hub.bean(RetentionStore.class).claim(oldCase, Instant.now(), Instant.now())).isFalse();

        // operations see what was purged and when
        HttpResponse<String> view = http.send(hub.viewerRequest("/ops/retention").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(view.statusCode()).isEqualTo(200);
        JsonNode retention = JSON.readTree(view.body());
        assertThat(retention.path("closedDays").asInt()).isEqualTo(180);
        assertThat(retention.path("totals").path("casesPurged").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(retention.path("runs").get(0).path("casesPurged").asInt()).isEqualTo(1);
        assertThat(retention.path("runs").get(0).path("appealsPurged").asInt()).isEqualTo(1);
        assertThat(view.body()).doesNotContain("13912345678");
    }

    /**
     * 退回 once and only while open: a double click is 409 and sends one 退回; the department holding
     * the task is told it was withdrawn; its later resolve is only recorded, no 办结 after the 退回.
     */
    @Test
    void aCaseIsReturnedUpstreamOnceAndItsDepartmentIsTold() throws Exception {
        String appealId = platform.push(hub.url(""), Platform12345.streetLight("GDRETURN01")).appealId();
        JsonNode task = awaitTask("dept.D16.tasks", appealId);
        String caseId = hub.bean(CaseStore.class).caseIdOfAppeal(appealId);

        HttpResponse<String> first = returnUpstream(caseId);
        HttpResponse<String> second = returnUpstream(caseId);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(second.body()).contains("RETURNED_UPSTREAM");
        assertThat(hub.bean(FeedbackOutbox.class).ofCase(caseId)).filteredOn(f -> f.kind().equals("return")).hasSize(1);

        Message update = department.awaitMessage("dept.D16.tasks",
                m -> "task-update".equals(Department.property(m, "hubMessageType"))
                        && task.path("taskId").asText().equals(Department.property(m, "taskId")));
        JsonNode withdrawn = Department.json(update);
        assertThat(withdrawn.path("kind").asText()).isEqualTo("withdrawn");
        assertThat(withdrawn.path("text").asText()).contains("退回");
        assertThat(hub.bean(TaskStore.class).find(task.path("taskId").asText()).status()).hasToString("CLOSED");

        department.reply(task, "resolve", "已修复");
        await().atMost(WAIT).until(() -> hub.bean(CaseStore.class).events(caseId).stream()
                .anyMatch(e -> e.type().equals("late-reply")));
        assertThat(hub.bean(CaseStore.class).findCase(caseId).status()).hasToString("RETURNED_UPSTREAM");
        assertThat(hub.bean(FeedbackOutbox.class).ofCase(caseId)).filteredOn(f -> f.kind().equals("result")).isEmpty();
    }

    /**
     * After 5 wrong passwords a user name is locked for lock-seconds: the right password is refused
     * too, other users still log in; afterwards the right password works again.
     */
    @Test
    void loginsAreThrottled() throws Exception {
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(hub.url("/ops/me")))
                    .header("Authorization", TestHub.basicAuth("viewer", "guess-" + i)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(wrong.statusCode()).isEqualTo(401);
        }
        HttpResponse<String> right = http.send(hub.viewerRequest("/ops/me").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(right.statusCode()).as("locked for a while").isEqualTo(401);
        HttpResponse<String> other = http.send(hub.opsRequest("/ops/me").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).isEqualTo(200);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> http.send(hub.viewerRequest("/ops/me").build(),
                HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    }

    /** A reply whose ids hold control characters is parked with a reason that does not echo them. */
    @Test
    void departmentIdsWithControlCharactersAreRefusedUnechoed() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
        try {
            department.send("hub.task.replies", "{\"replyId\":\"r-1\\n2026-01-01 INFO forged line\",\"taskId\":\"T-1\","
                    + "\"orgCode\":\"D16\",\"type\":\"accept\"}");
            department.send("hub.task.replies", "{\"replyId\":\"r-2\",\"taskId\":\"T-2\\u202e\\r\\nWARN forged task\","
                    + "\"orgCode\":\"D16\",\"type\":\"accept\"}");
            List<String> reasons = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Message parked = department.receiveMessage("hub.dead.replies", 15_000);
                assertThat(parked).as("dead reply " + (i + 1)).isNotNull();
                reasons.add(parked.getStringProperty("hubDeadReason"));
            }
            assertThat(reasons).anyMatch(r -> r.contains("replyId holds control or format characters"))
                    .anyMatch(r -> r.contains("taskId holds control or format characters"))
                    .noneMatch(r -> r.contains("forged line") || r.contains("forged task"));
            // Nor does any log line of the hub carry them (a forged line would look like the hub's own).
            assertThat(List.copyOf(logs.list)).extracting(ILoggingEvent::getFormattedMessage)
                    .noneMatch(m -> m.contains("forged line") || m.contains("forged task") || m.contains("\u202e"));
        } finally {
            root.detachAppender(logs);
        }
    }

    private JsonNode awaitTask(String queue, String appealId) {
        Message m = department.awaitMessage(queue, x -> "task".equals(Department.property(x, "hubMessageType"))
                && Department.json(x).toString().contains(appealId));
        return Department.json(m);
    }

    private HttpResponse<String> returnUpstream(String caseId) throws Exception {
        return http.send(hub.opsRequest("/ops/cases/" + caseId + "/return-upstream").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"非本区事项\"}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void close(String caseId, int daysAgo) {
        jdbc().update("update hub_case set status = 'RESOLVED', updated_at = ? where case_id = ?", daysAgo(daysAgo), caseId);
    }

    private static java.time.OffsetDateTime daysAgo(int days) {
        return Instant.now().minus(Duration.ofDays(days)).atOffset(ZoneOffset.UTC);
    }

    private JdbcTemplate jdbc() {
        return hub.bean(JdbcTemplate.class);
    }
}
