package appealhub.grid;

import static appealhub.grid.GridApp.report;
import static appealhub.grid.GridApp.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.model.Appeal;
import appealhub.store.CaseStore;
import appealhub.store.TaskStore;
import appealhub.store.RawItemStore;
import appealhub.support.Department;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The grid channel end to end: the grid app's backend publishes reports on the hub's broker
 * over TCP, departments answer over the broker, the app reads 已受理/办理中/已办结 off its
 * feedback queue; bad reports go to hub.dead.grid and come back through the ops replay.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GridChannelTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");

    TestHub hub;
    GridApp app;
    Department department;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path data) {
        // No 12345 in these tests: its pull is off in TestHub and nothing here is fed back to it.
        hub = new TestHub(data, "http://127.0.0.1:9", Map.of()).start();
        app = new GridApp(hub.brokerUrl());
        department = new Department(hub.brokerUrl());
    }

    @AfterAll
    void stop() {
        if (department != null) department.close();
        if (app != null) app.close();
        if (hub != null) hub.close();
    }

    @Test
    void aReportBecomesATaskAndTheGridAppHearsAcceptedInProgressAndResolved() throws Exception {
        app.publish(report("EV-2025-000981", "JZ-03-017", "矛盾纠纷", "前屯村两户因宅基地边界发生争执，情绪激动", 2));

        String appealId = appealOf("EV-2025-000981");
        JsonNode task = taskFor("dept.D08.tasks", appealId).json();
        assertThat(task.path("role").asText()).isEqualTo("lead");
        assertThat(task.path("townshipCode").asText()).isEqualTo("T03");
        assertThat(task.path("category").asText()).isEqualTo("矛盾纠纷");
        assertThat(task.path("urgency").asText()).isEqualTo("normal");
        JsonNode appeal = task.path("appeal");
        assertThat(appeal.path("channel").asText()).isEqualTo("grid");
        assertThat(appeal.path("channelType").asText()).isEqualTo("矛盾纠纷");
        assertThat(appeal.path("content").asText()).isEqualTo("前屯村两户因宅基地边界发生争执，情绪激动");
        assertThat(appeal.path("location").path("townshipCode").asText()).isEqualTo("T03");
        assertThat(appeal.path("location").path("gridCode").asText()).isEqualTo("JZ-03-017");
        assertThat(appeal.path("location").path("lat").asDouble()).isEqualTo(37.52);
        assertThat(appeal.path("location").path("lon").asDouble()).isEqualTo(115.49);

        JsonNode ack = app.feedback("EV-2025-000981", WAIT.toMillis());
        assertThat(ack).as("已受理 right after intake").isNotNull();
        assertThat(ack.path("status").asText()).isEqualTo("已受理");
        assertThat(ack.path("result").asText()).contains(appealId);
        assertThat(ack.path("department").asText()).isEqualTo("冀州区综治中心");
        assertBeijingNow(ack.path("time").asText());

        department.reply(task, "accept", null);
        JsonNode progress = app.feedback("EV-2025-000981", WAIT.toMillis());
        assertThat(progress).isNotNull();
        assertThat(progress.path("status").asText()).isEqualTo("办理中");
        assertThat(progress.path("department").asText()).isEqualTo("自然资源和规划分局");
        assertBeijingNow(progress.path("time").asText());

        // A phone number in the result by mistake: the app shows it to the grid worker, so it is masked.
        department.reply(task, "resolve", "已会同村委会现场丈量并调解，双方达成协议，联系人电话13912345678。");
        String resolved = app.feedbackText("EV-2025-000981", WAIT.toMillis());
        assertThat(resolved).isNotNull();
        JsonNode result = GridApp.JSON.readTree(resolved);
        assertThat(result.path("status").asText()).isEqualTo("已办结");
        assertThat(result.path("eventId").asText()).isEqualTo("EV-2025-000981");
        assertThat(result.path("department").asText()).isEqualTo("自然资源和规划分局");
        assertThat(result.path("result").asText()).contains("双方达成协议").contains("139****5678")
                .doesNotContain("13912345678");
        assertThat(resolved).doesNotContain("13912345678");
        assertBeijingNow(result.path("time").asText());
        assertThat(result.fieldNames()).toIterable().containsExactly("eventId", "status", "result", "department", "time");

        CaseStore cases = hub.bean(CaseStore.class);
        String caseId = cases.caseIdOfAppeal(appealId);
        await().atMost(WAIT).untilAsserted(() -> assertThat(cases.events(caseId)).extracting(CaseStore.CaseEvent::type)
                .containsSubsequence("received", "classified", "dispatched", "accepted", "resolved"));
        assertThat(cases.findCase(caseId).status()).hasToString("RESOLVED");
        assertThat(hub.bean(RawItemStore.class).bySource("grid", "EV-2025-000981"))
                .extracting(RawItemStore.RawItem::status).containsExactly("ACCEPTED");
        assertThat(app.feedback("EV-2025-000981", 1500)).as("nothing more for this report").isNull();
    }

    @Test
    void theGridCodeNamesTheTownshipExactlyWhateverTheTextSays() {
        // The text names 前屯村 (a village of 南午村镇, T03); the grid code says township 07: 07 wins.
        app.publish(report("EV-GRID-0701", "JZ-07-002", "社情民意", "村民反映通往前屯村方向的村道坑洼不平，雨后积水严重。", 1));
        app.publish(report("EV-GRID-1031", "JZ-10-031", "社情民意", "村民反映村内主干道坑洼不平，希望尽快修整。", 1));

        String appeal07 = appealOf("EV-GRID-0701");
        JsonNode task07 = taskFor("township.T07.tasks", appeal07).json();
        assertThat(task07.path("orgCode").asText()).isEqualTo("T07");
        assertThat(task07.path("townshipCode").asText()).isEqualTo("T07");
        assertThat(task07.path("appeal").path("location").path("townshipCode").asText()).isEqualTo("T07");
        assertThat(task07.path("appeal").path("location").path("gridCode").asText()).isEqualTo("JZ-07-002");
        CaseStore cases = hub.bean(CaseStore.class);
        assertThat(cases.events(cases.caseIdOfAppeal(appeal07))).filteredOn(e -> e.type().equals("classified"))
                .singleElement().extracting(CaseStore.CaseEvent::detail).asString()
                .contains("\"township.evidence\":\"channel\"");

        JsonNode task10 = taskFor("township.T10.tasks", appealOf("EV-GRID-1031")).json();
        assertThat(task10.path("townshipCode").asText()).isEqualTo("T10");
        assertThat(hub.bean(CaseStore.class).appeal(appealOf("EV-GRID-1031")).location().address()).isEqualTo("冀州区小寨乡");
    }

    @Test
    void aCriticalReportIsUrgentAndItsTaskGoesOutWithPriority9() throws Exception {
        app.publish(report("EV-SEV-0003", "JZ-04-005", "矛盾纠纷", "后屯村集市两伙人员持械聚集对峙，随时可能发生打架斗殴。", 3));
        app.publish(report("EV-SEV-0001", "JZ-04-006", "矛盾纠纷", "周村集市两名摊贩因摊位界线发生口角，担心升级为打架斗殴。", 1));

        String critical = appealOf("EV-SEV-0003");
        String normal = appealOf("EV-SEV-0001");
        Received urgentTask = taskFor("dept.D02.tasks", critical);
        assertThat(urgentTask.message().getJMSPriority()).isEqualTo(9);
        assertThat(urgentTask.json().path("urgency").asText()).isEqualTo("urgent");
        assertThat(urgentTask.json().path("townshipCode").asText()).isEqualTo("T04");
        Received normalTask = taskFor("dept.D02.tasks", normal);
        assertThat(normalTask.message().getJMSPriority()).isEqualTo(4);
        assertThat(normalTask.json().path("urgency").asText()).isEqualTo("normal");

        Appeal stored = hub.bean(CaseStore.class).appeal(critical);
        assertThat(stored.urgentHint()).isTrue();
        assertThat(stored.channelFields()).containsEntry("eventType", "矛盾纠纷").containsEntry("severity", "3")
                .containsEntry("gridCode", "JZ-04-005");
        assertThat(hub.bean(CaseStore.class).appeal(normal).channelFields()).containsEntry("severity", "1");
    }

    /**
     * Severity 3 means "dispatch at once" (grid.md): a critical report the classifier cannot place
     * does not wait in manual triage; it goes out as urgent to the best place the hub has, and the
     * duty leader is alerted. The same text at severity 1 waits for an operator.
     */
    @Test
    void aCriticalReportTheClassifierCannotPlaceIsDispatchedAtOnceAndTheDutyLeaderAlerted() throws Exception {
        String vague = "【低】希望有关部门关注一下这个事情。";
        app.publish(report("EV-ATONCE-0003", "JZ-05-003", "社情民意", vague, 3));
        app.publish(report("EV-ATONCE-0001", "JZ-05-004", "社情民意", vague, 1));

        CaseStore cases = hub.bean(CaseStore.class);
        String calm = cases.caseIdOfAppeal(appealOf("EV-ATONCE-0001"));
        await().atMost(WAIT).until(() -> String.valueOf(cases.findCase(calm).status()).equals("TRIAGE"));

        String caseId = cases.caseIdOfAppeal(appealOf("EV-ATONCE-0003"));
        await().atMost(WAIT).until(() -> String.valueOf(cases.findCase(caseId).status()).equals("DISPATCHED"));
        CaseStore.CaseRecord c = cases.findCase(caseId);
        assertThat(c.urgency()).isEqualTo("urgent");
        assertThat(c.leadDept()).isNotNull();
        assertThat(cases.events(caseId)).extracting(CaseStore.CaseEvent::type)
                .contains("dispatched-at-once").doesNotContain("triage");
        TaskStore.TaskRecord lead = hub.bean(TaskStore.class).ofCase(caseId).get(0);
        Received task = taskFor(lead.queue(), appealOf("EV-ATONCE-0003"));
        assertThat(task.message().getJMSPriority()).isEqualTo(9);
        assertThat(task.json().path("urgency").asText()).isEqualTo("urgent");

        Message alert = department.awaitMessage("hub.duty.leader", m -> caseId.equals(Department.property(m, "caseId")));
        assertThat(Department.property(alert, "hubMessageType")).isEqualTo("emergency");
    }

    @Test
    void aRedeliveredEventIdMakesNoSecondTaskAndNoSecondAcknowledgement() {
        var heating = report("EV-2025-001500", "JZ-02-011", "社情民意", "霍家庄村群众反映集中供暖暖气不热，室内只有十二度。", 1);
        app.publish(heating);
        app.publish(heating);

        String appealId = appealOf("EV-2025-001500");
        await().atMost(WAIT).untilAsserted(() -> assertThat(hub.bean(RawItemStore.class).bySource("grid", "EV-2025-001500"))
                .extracting(RawItemStore.RawItem::status).containsExactlyInAnyOrder("ACCEPTED", "DUPLICATE"));
        assertThat(taskFor("dept.D44.tasks", appealId).json().path("townshipCode").asText()).isEqualTo("T02");
        assertThat(department.receive("dept.D44.tasks", 2000)).as("no second task").isNull();
        assertThat(app.feedback("EV-2025-001500", WAIT.toMillis()).path("status").asText()).isEqualTo("已受理");
        assertThat(app.feedback("EV-2025-001500", 2000)).as("one 已受理 only").isNull();
    }

    @Test
    void badReportsGoToTheDeadLetterQueueWithTheirReasonAndTheQueueKeepsFlowing() throws Exception {
        var good = report("EV-BAD-0000", "JZ-05-003", "社情民意", "西关庄村群众反映连续三天停水，影响生活。", 1);
        app.publish("{\"eventId\": \"EV-BAD-0001\", \"gridCode\": \"JZ-05");
        app.publish(json(with(with(good, "eventId", "EV-BAD-0002"), "severity", 5)));
        app.publish(json(with(with(good, "eventId", "EV-BAD-0003"), "reportedAt", "2025/04/09 10:05")));
        app.publish(json(with(with(good, "eventId", "EV-BAD-0004"), "eventType", "投诉")));
        app.publish(json(with(with(good, "eventId", "EV-BAD-0005"), "gridCode", "JZ-11-001")));
        app.publish(json(with(with(good, "eventId", "EV-BAD-0006"), "description", null)));
        app.publish(json(with(with(good, "eventId", "EV-BAD-0007"), "severity", "3")));
        app.publish("[1, 2, 3]");
        app.publish(json(with(good, "eventId", "EV-AFTER-BAD")));

        // The good report behind the bad ones goes through.
        JsonNode task = taskFor("dept.D43.tasks", appealOf("EV-AFTER-BAD")).json();
        assertThat(task.path("townshipCode").asText()).isEqualTo("T05");

        Map<String, String> expected = Map.of(
                "EV-BAD-0002", "severity must be 1, 2 or 3",
                "EV-BAD-0003", "reportedAt must be yyyy-MM-dd HH:mm:ss",
                "EV-BAD-0004", "eventType must be one of 矛盾纠纷, 安全隐患, 社情民意, 求助",
                "EV-BAD-0005", "gridCode JZ-11-001: unknown township number 11",
                "EV-BAD-0006", "description is required",
                "EV-BAD-0007", "severity must be 1, 2 or 3");
        await().atMost(WAIT).untilAsserted(() -> {
            List<JsonNode> dead = deadLetters();
            for (var e : expected.entrySet()) {
                assertThat(dead).as(e.getKey()).anySatisfy(d -> {
                    assertThat(d.path("eventId").asText()).isEqualTo(e.getKey());
                    assertThat(d.path("reason").asText()).isEqualTo(e.getValue());
                    assertThat(d.path("body").asText()).contains(e.getKey());
                    assertThat(d.path("messageId").asText()).startsWith("ID:");
                });
            }
            assertThat(dead).anySatisfy(d -> {
                assertThat(d.path("body").asText()).isEqualTo("{\"eventId\": \"EV-BAD-0001\", \"gridCode\": \"JZ-05");
                assertThat(d.path("reason").asText()).startsWith("body is not valid JSON");
                assertThat(d.path("rawItemId").asLong()).isPositive();
            });
            assertThat(dead).anySatisfy(d -> {
                assertThat(d.path("body").asText()).isEqualTo("[1, 2, 3]");
                assertThat(d.path("reason").asText()).isEqualTo("report must be a JSON object");
            });
        });
        // Kept raw, as received, with the reason.
        List<RawItemStore.RawItem> invalid = hub.bean(RawItemStore.class).byStatus("INVALID", 200);
        assertThat(invalid).filteredOn(r -> r.channel().equals("grid")).extracting(r -> new String(r.body(), StandardCharsets.UTF_8))
                .contains("{\"eventId\": \"EV-BAD-0001\", \"gridCode\": \"JZ-05", "[1, 2, 3]");
        assertThat(hub.bean(RawItemStore.class).bySource("grid", "EV-BAD-0005")).singleElement().satisfies(r -> {
            assertThat(r.status()).hasToString("INVALID");
            assertThat(r.error()).isEqualTo("gridCode JZ-11-001: unknown township number 11");
        });
        for (String id : expected.keySet()) {
            assertThat(hub.bean(CaseStore.class).appealIdBySource("grid", id)).as(id).isEmpty();
        }
        // Nothing left stuck on the inbound queue, and the broker did not have to give up on anything.
        await().atMost(WAIT).until(() -> department.count(GridApp.REPORTS) == 0);
        // A JMS client of operations sees the reason as the string property hubDeadReason.
        assertThat(app.deadReasons()).containsAllEntriesOf(expected);
    }

    @Test
    void operationsReplayAFixedDeadLetterAndItGoesIn() throws Exception {
        var bad = report("EV-REPLAY-0001", "JZ-9-004", "安全隐患", "北漳淮村变压器附近电线老化，经常停电。", 2);
        app.publish(bad);
        JsonNode dead = awaitDeadLetter("EV-REPLAY-0001");
        assertThat(dead.path("reason").asText()).isEqualTo("gridCode must be JZ-<township no.>-<grid no.>, got JZ-9-004");
        String messageId = dead.path("messageId").asText();

        assertThat(replay("ID:no-such-message", "").statusCode()).isEqualTo(404);
        var notJson = replay(messageId, "this is not json");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(deadLetters()).as("a refused replay leaves it parked")
                .anyMatch(d -> d.path("messageId").asText().equals(messageId));

        var fixed = replay(messageId, json(with(bad, "gridCode", "JZ-09-004")));
        assertThat(fixed.statusCode()).isEqualTo(202);
        assertThat(GridApp.JSON.readTree(fixed.body()).path("corrected").asBoolean()).isTrue();

        JsonNode task = taskFor("dept.D41.tasks", appealOf("EV-REPLAY-0001")).json();
        assertThat(task.path("townshipCode").asText()).isEqualTo("T09");
        assertThat(deadLetters()).noneMatch(d -> d.path("messageId").asText().equals(messageId));
        assertThat(hub.bean(RawItemStore.class).bySource("grid", "EV-REPLAY-0001")).extracting(RawItemStore.RawItem::status)
                .containsExactly("INVALID", "ACCEPTED");
        assertThat(app.feedback("EV-REPLAY-0001", WAIT.toMillis()).path("status").asText()).isEqualTo("已受理");
        assertThat(replay(messageId, "").statusCode()).as("replayed once only").isEqualTo(404);
    }

    @Test
    void aDeadLetterReplayedAsItWasIsCheckedAgainAndComesBackWithItsReason() throws Exception {
        app.publish(report("EV-REPLAY-0002", "JZ-12-001", "求助", "杨家寨村一位老人生活困难，希望申请低保。", 2));
        String first = awaitDeadLetter("EV-REPLAY-0002").path("messageId").asText();
        var asItWas = replay(first, "");
        assertThat(asItWas.statusCode()).isEqualTo(202);
        assertThat(GridApp.JSON.readTree(asItWas.body()).path("corrected").asBoolean()).isFalse();
        await().atMost(WAIT).untilAsserted(() -> assertThat(deadLetters())
                .filteredOn(d -> d.path("eventId").asText().equals("EV-REPLAY-0002"))
                .singleElement().satisfies(d -> {
                    assertThat(d.path("messageId").asText()).isNotEqualTo(first);
                    assertThat(d.path("reason").asText()).isEqualTo("gridCode JZ-12-001: unknown township number 12");
                }));
        assertThat(hub.bean(RawItemStore.class).bySource("grid", "EV-REPLAY-0002")).extracting(RawItemStore.RawItem::status)
                .containsExactly("INVALID", "INVALID");
    }

    @Test
    void aCaseReturnedUpstreamIsReportedToTheGridAppAsReturned() throws Exception {
        app.publish(report("EV-2025-002200", "JZ-06-008", "社情民意", "西王村群众反映去往市区的公交班次太少。", 1));
        String appealId = appealOf("EV-2025-002200");
        assertThat(app.feedback("EV-2025-002200", WAIT.toMillis()).path("status").asText()).isEqualTo("已受理");
        String caseId = hub.bean(CaseStore.class).caseIdOfAppeal(appealId);
        var response = http.send(hub.opsRequest("/ops/cases/" + caseId + "/return-upstream")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"属市公交公司线路规划事项，请通过市级渠道反映\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode returned = app.feedback("EV-2025-002200", WAIT.toMillis());
        assertThat(returned).isNotNull();
        assertThat(returned.path("status").asText()).isEqualTo("退回");
        assertThat(returned.path("result").asText()).isEqualTo("属市公交公司线路规划事项，请通过市级渠道反映");
    }

    @Test
    void aReportTheHubCannotStoreIsRedeliveredThenParkedAndGoesInWhenReplayedAfterTheOutage() throws Exception {
        var jdbc = hub.bean(org.springframework.jdbc.core.JdbcTemplate.class);
        JsonNode dead;
        // The store breaks under the hub (as if the database lost a table): every attempt fails.
        jdbc.execute("alter table appeal_source rename to appeal_source_offline");
        try {
            app.publish(report("EV-OUTAGE-0001", "JZ-04-021", "社情民意", "张庄村一家小卖部销售过期食品，存在食品安全隐患。", 1));
            dead = awaitDeadLetter("EV-OUTAGE-0001");
        } finally {
            jdbc.execute("alter table appeal_source_offline rename to appeal_source");
        }
        // TestHub: hub.broker.max-delivery-attempts=3; the last attempt parks it instead of the broker dropping it elsewhere.
        assertThat(dead.path("reason").asText()).startsWith("processing failed (attempt 3): ");
        List<RawItemStore.RawItem> attempts = hub.bean(RawItemStore.class).bySource("grid", "EV-OUTAGE-0001");
        assertThat(attempts).hasSize(3).allSatisfy(r -> assertThat(r.status()).hasToString("RECEIVED"));
        assertThat(attempts.get(0).error()).endsWith("will be redelivered");
        assertThat(attempts.get(2).error()).endsWith("parked on the dead-letter queue");
        assertThat(department.count(GridApp.REPORTS)).isZero();

        assertThat(replay(dead.path("messageId").asText(), "").statusCode()).isEqualTo(202);
        JsonNode task = taskFor("dept.D13.tasks", appealOf("EV-OUTAGE-0001")).json();
        assertThat(task.path("townshipCode").asText()).isEqualTo("T04");
        assertThat(app.feedback("EV-OUTAGE-0001", WAIT.toMillis()).path("status").asText()).isEqualTo("已受理");
    }

    // ------------------------------------------------------------------------------ helpers

    record Received(Message message, JsonNode json) {}

    private String appealOf(String eventId) {
        CaseStore cases = hub.bean(CaseStore.class);
        return await().atMost(WAIT).until(() -> cases.appealIdBySource("grid", eventId), Optional::isPresent).get();
    }

    /** The task of one appeal on a queue (others' tasks on it are skipped). */
    private Received taskFor(String queue, String appealId) {
        long until = System.currentTimeMillis() + WAIT.toMillis();
        while (System.currentTimeMillis() < until) {
            Message m = department.receiveMessage(queue, 1000);
            if (m == null) continue;
            try {
                JsonNode task = GridApp.JSON.readTree(((TextMessage) m).getText());
                if (task.path("appeal").path("appealId").asText().equals(appealId)) return new Received(m, task);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no task for " + appealId + " on " + queue);
    }

    private List<JsonNode> deadLetters() throws Exception {
        var response = http.send(hub.opsRequest("/ops/grid/dead-letters").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        List<JsonNode> out = new java.util.ArrayList<>();
        GridApp.JSON.readTree(response.body()).forEach(out::add);
        return out;
    }

    private JsonNode awaitDeadLetter(String eventId) {
        return await().atMost(WAIT).until(() -> deadLetters().stream()
                .filter(d -> d.path("eventId").asText().equals(eventId)).findFirst(), Optional::isPresent).get();
    }

    private HttpResponse<String> replay(String messageId, String body) throws Exception {
        String path = "/ops/grid/dead-letters/" + URLEncoder.encode(messageId, StandardCharsets.UTF_8) + "/replay";
        return http.send(hub.opsRequest(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String json(Map<String, Object> report) {
        return GridApp.json(report);
    }

    private static void assertBeijingNow(String time) {
        assertThat(time).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
        LocalDateTime at = LocalDateTime.parse(time, GridApp.TIME);
        assertThat(Duration.between(at.atZone(BEIJING), ZonedDateTime.now(BEIJING)).abs()).isLessThan(Duration.ofMinutes(2));
    }
}
