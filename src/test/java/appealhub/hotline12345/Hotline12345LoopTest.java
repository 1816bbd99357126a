package appealhub.hotline12345;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.store.CaseStore;
import appealhub.store.RawItemStore;
import appealhub.store.TaskStore;
import appealhub.support.Department;
import appealhub.support.Platform12345;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.Message;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The spine, end to end: 12345 pushes, a department answers over the broker, 12345 hears back. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Hotline12345LoopTest {
    Platform12345 platform;
    TestHub hub;
    Department department;

    @BeforeAll
    void start(@TempDir Path data) {
        platform = new Platform12345();
        hub = new TestHub(data, platform.baseUrl(), Map.of()).start();
        department = new Department(hub.brokerUrl());
    }

    @AfterAll
    void stop() {
        department.close();
        hub.close();
        platform.close();
    }

    @Test
    void pushedOrderBecomesATaskAndTheDepartmentsAnswersReach12345() {
        var answer = platform.push(hub.url(""), Platform12345.streetLight("GD20250409000101"));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("code").asInt()).isZero();
        String appealId = answer.appealId();
        assertThat(appealId).startsWith("AP");

        JsonNode task = department.receive("dept.D16.tasks", 15_000);
        assertThat(task).as("task on the street-light department's queue").isNotNull();
        assertThat(task.path("schema").asText()).isEqualTo("appealhub.task/1");
        assertThat(task.path("role").asText()).isEqualTo("lead");
        assertThat(task.path("appeal").path("appealId").asText()).isEqualTo(appealId);
        assertThat(task.path("appeal").path("title").asText()).isEqualTo("小区路灯不亮");
        assertThat(task.path("townshipCode").asText()).isEqualTo("T01");
        assertThat(task.path("appeal").path("citizen").path("phone").asText()).isEqualTo("13800000000");
        assertThat(Instant.parse(task.path("deadline").asText())).isAfter(Instant.now());

        department.reply(task, "accept", null);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> platform.wireMock().verify(1,
                postRequestedFor(urlEqualTo("/api/v1/workorders/GD20250409000101/reply"))
                        .withHeader("X-Auth-Token", equalTo("mock-token-1"))
                        .withRequestBody(matchingJsonPath("$.blzt", equalTo("办理中")))
                        .withRequestBody(matchingJsonPath("$.blbm", equalTo("综合行政执法局")))));

        // The result text carries a phone number by mistake: it must not reach the citizen-facing platform.
        department.reply(task, "resolve", "路灯已于今日修复，如有问题请联系13912345678。");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> platform.wireMock().verify(1,
                postRequestedFor(urlEqualTo("/api/v1/workorders/GD20250409000101/reply"))
                        .withRequestBody(matchingJsonPath("$.blzt", equalTo("办结")))
                        .withRequestBody(matchingJsonPath("$.bljg", containing("路灯已于今日修复")))
                        .withRequestBody(matchingJsonPath("$.bljg", containing("139****5678")))));
        platform.wireMock().verify(0, postRequestedFor(urlEqualTo("/api/v1/workorders/GD20250409000101/reply"))
                .withRequestBody(containing("13912345678")));

        CaseStore cases = hub.bean(CaseStore.class);
        String caseId = cases.caseIdOfAppeal(appealId);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(cases.events(caseId))
                .extracting(CaseStore.CaseEvent::type)
                .containsSubsequence("received", "classified", "dispatched", "accepted", "fed-back", "resolved", "fed-back"));
        assertThat(cases.findCase(caseId).status()).hasToString("RESOLVED");
    }

    @Test
    void theSameOrderPushedFiveTimesIsOneAppealAndOneTask() {
        Map<String, Object> order = Platform12345.order("GD20250409000202", "暖气不热",
                "官道李镇霍家庄村集中供暖暖气不热，室内只有十二度。", "冀州区官道李镇霍家庄村");
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            var answer = platform.push(hub.url(""), order);
            assertThat(answer.status()).isEqualTo(200);
            ids.add(answer.appealId());
        }
        assertThat(ids).hasSize(1);

        JsonNode task = department.receive("dept.D44.tasks", 15_000);
        assertThat(task).isNotNull();
        assertThat(task.path("appeal").path("appealId").asText()).isEqualTo(ids.iterator().next());
        assertThat(department.receive("dept.D44.tasks", 1500)).as("no second task").isNull();

        List<RawItemStore.RawItem> raws = hub.bean(RawItemStore.class).bySource("hotline12345", "GD20250409000202");
        assertThat(raws).hasSize(5);
        assertThat(raws).extracting(RawItemStore.RawItem::status)
                .containsExactly("ACCEPTED", "DUPLICATE", "DUPLICATE", "DUPLICATE", "DUPLICATE");
    }

    @Test
    void aBadSignatureOrAStaleTimestampIs401AndTheRawItemIsKept() {
        byte[] body = Platform12345.bytes(Platform12345.streetLight("GD20250409000303"));
        long now = Instant.now().getEpochSecond();
        var wrongKey = platform.push(hub.url("/api/hotline12345/workorders"), body, now, "not-the-secret");
        assertThat(wrongKey.status()).isEqualTo(401);
        assertThat(wrongKey.body().path("msg").asText()).contains("signature");

        var stale = platform.push(hub.url("/api/hotline12345/workorders"), body, now - 301, Platform12345.SECRET);
        assertThat(stale.status()).isEqualTo(401);
        assertThat(stale.body().path("msg").asText()).contains("window");

        List<RawItemStore.RawItem> rejected = hub.bean(RawItemStore.class).byStatus("REJECTED", 10);
        assertThat(rejected).filteredOn(r -> new String(r.body()).contains("GD20250409000303")).hasSize(2);
        assertThat(hub.bean(CaseStore.class).appealIdBySource("hotline12345", "GD20250409000303")).isEmpty();
    }

    @Test
    void aMalformedOrderIs400With40001AndTheRawItemIsKept() {
        Map<String, Object> noContent = new java.util.HashMap<>(Platform12345.streetLight("GD20250409000404"));
        noContent.remove("sqnr");
        var missing = platform.push(hub.url(""), noContent);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body().path("code").asInt()).isEqualTo(40001);
        assertThat(missing.body().path("msg").asText()).isEqualTo("sqnr is required");

        var badTime = platform.push(hub.url(""), Map.of("gdbh", "GD20250409000405", "ldsj", "09/04/2025", "sqnr", "x"));
        assertThat(badTime.status()).isEqualTo(400);
        assertThat(badTime.body().path("msg").asText()).isEqualTo("ldsj must be yyyy-MM-dd HH:mm:ss");

        var notJson = platform.push(hub.url(""), "{\"gdbh\": \"GD2025");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.body().path("code").asInt()).isEqualTo(40001);

        List<RawItemStore.RawItem> invalid = hub.bean(RawItemStore.class).byStatus("INVALID", 20);
        assertThat(invalid).extracting(r -> new String(r.body(), java.nio.charset.StandardCharsets.UTF_8))
                .anyMatch(b -> b.contains("GD20250409000404"))
                .anyMatch(b -> b.contains("09/04/2025"))
                .contains("{\"gdbh\": \"GD2025");
        assertThat(invalid).extracting(RawItemStore.RawItem::error).contains("sqnr is required");
    }

    @Test
    void repliesNamingNoTaskOrMalformedOrForeignGoToTheDeadLetterQueueWithTheReason() throws Exception {
        department.send("hub.task.replies", "{\"replyId\":\"r-1\",\"taskId\":\"TK-NOPE\",\"orgCode\":\"D16\",\"type\":\"accept\"}");
        // Operations see it, with the reason, before anyone takes it off the queue.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get("/ops/dead-letters"))
                .contains("unknown task id TK-NOPE"));
        Message unknown = department.receiveMessage("hub.dead.replies", 10_000);
        assertThat(unknown).isNotNull();
        assertThat(unknown.getStringProperty("hubDeadReason")).isEqualTo("unknown task id TK-NOPE");

        department.send("hub.task.replies", "this is not json");
        Message malformed = department.receiveMessage("hub.dead.replies", 10_000);
        assertThat(malformed.getStringProperty("hubDeadReason")).startsWith("malformed reply");
        assertThat(((jakarta.jms.TextMessage) malformed).getText()).isEqualTo("this is not json");

        // A real task, answered in the name of another department.
        var answer = platform.push(hub.url(""), Platform12345.order("GD20250409000505", "停电", "魏家庄村频繁停电。", "冀州区小寨乡魏家庄村"));
        JsonNode task = department.receive("dept.D41.tasks", 15_000);
        assertThat(task.path("appeal").path("appealId").asText()).isEqualTo(answer.appealId());
        department.send("hub.task.replies", "{\"replyId\":\"r-2\",\"taskId\":\"" + task.path("taskId").asText()
                + "\",\"orgCode\":\"D16\",\"type\":\"resolve\",\"text\":\"已处理\"}");
        Message foreign = department.receiveMessage("hub.dead.replies", 10_000);
        assertThat(foreign.getStringProperty("hubDeadReason")).contains("belongs to D41, not D16");
        assertThat(hub.bean(TaskStore.class).find(task.path("taskId").asText()).status()).hasToString("SENT");
    }

    @Test
    void aHandOverThatCannotBePlacedIsParkedAtOnceAndShownToOperations() throws Exception {
        assertThat(get("/ops/dead-letters")).doesNotContain("hub.dead.intake"); // looking must not break parking
        department.send("hub.intake", "{\"caseId\":\"CS-NOPE\",\"round\":0}", Map.of("caseId", "CS-NOPE"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(get("/ops/dead-letters"))
                .contains("hub.dead.intake").contains("CS-NOPE").contains("no case CS-NOPE"));
        assertThat(get("/ops/dead-letters")).as("parked at once, not after the broker's redeliveries")
                .doesNotContain("DLA::DLQ.hub.intake");
    }

    @Test
    void operationsCanReturnAnOrderThatIsNotTheDistrictsBusiness() throws Exception {
        var answer = platform.push(hub.url(""), Platform12345.order("GD20250409000808", "外区道路破损",
                "桃城区某路段道路破损。", "衡水市桃城区"));
        String caseId = hub.bean(CaseStore.class).caseIdOfAppeal(answer.appealId());
        var response = java.net.http.HttpClient.newHttpClient().send(hub.opsRequest("/ops/cases/" + caseId + "/return-upstream")
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"reason\":\"非本区事项，属桃城区管辖\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> platform.wireMock().verify(1,
                postRequestedFor(urlEqualTo("/api/v1/workorders/GD20250409000808/return"))
                        .withRequestBody(matchingJsonPath("$.thyy", equalTo("非本区事项，属桃城区管辖")))));
        assertThat(hub.bean(CaseStore.class).findCase(caseId).status()).hasToString("RETURNED_UPSTREAM");
    }

    private String get(String path) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(hub.opsRequest(path).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void anOrderNoRuleCanPlaceGoesToManualTriage() {
        var answer = platform.push(hub.url(""), Platform12345.order("GD20250409000606", "反映一个问题",
                "希望有关部门关注一下这个事情。", "冀州区"));
        // Other tests' unplaced orders may be waiting on the triage queue too: find this one.
        JsonNode triage;
        do {
            triage = department.receive("hub.triage", 15_000);
            assertThat(triage).isNotNull();
        } while (!triage.path("appealIds").get(0).asText().equals(answer.appealId()));
        assertThat(triage.path("reason").asText()).isEqualTo("unplaced");
        String caseId = hub.bean(CaseStore.class).caseIdOfAppeal(answer.appealId());
        assertThat(hub.bean(CaseStore.class).findCase(caseId).status()).hasToString("TRIAGE");
    }

    @Test
    void aDissatisfiedEvaluationReopensTheCaseWithTheSameDepartment() {
        var answer = platform.push(hub.url(""), Platform12345.order("GD20250409000707", "食品安全问题",
                "码头李村某超市销售过期食品，存在食品安全隐患。", "冀州区码头李镇码头李村"));
        JsonNode task = department.receive("dept.D13.tasks", 15_000);
        assertThat(task).isNotNull();
        department.reply(task, "accept", null);
        department.reply(task, "resolve", "已责令下架过期食品并立案调查。");
        String caseId = hub.bean(CaseStore.class).caseIdOfAppeal(answer.appealId());
        await().atMost(Duration.ofSeconds(10)).until(() -> "RESOLVED".equals(String.valueOf(hub.bean(CaseStore.class).findCase(caseId).status())));

        Map<String, Object> evaluation = Map.of("gdbh", "GD20250409000707", "myd", "不满意",
                "hfsj", "2025-04-12 10:00:00", "hfnr", "超市仍在销售");
        assertThat(platform.evaluate(hub.url(""), evaluation).status()).isEqualTo(200);
        assertThat(platform.evaluate(hub.url(""), evaluation).status()).as("re-sent evaluation").isEqualTo(200);

        JsonNode again = department.receive("dept.D13.tasks", 15_000);
        assertThat(again).as("a new task for the same department").isNotNull();
        assertThat(again.path("round").asInt()).isEqualTo(1);
        assertThat(again.path("taskId").asText()).isNotEqualTo(task.path("taskId").asText());
        assertThat(department.receive("dept.D13.tasks", 1500)).as("re-sent evaluation re-opens once").isNull();
        assertThat(hub.bean(CaseStore.class).events(caseId)).extracting(CaseStore.CaseEvent::type)
                .containsSubsequence("resolved", "evaluated", "reopened", "dispatched");

        var unknown = platform.evaluate(hub.url(""), Map.of("gdbh", "GD-NOT-OURS", "myd", "满意", "hfsj", "2025-04-12 10:00:00"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body().path("code").asInt()).isEqualTo(40001);
    }
}
