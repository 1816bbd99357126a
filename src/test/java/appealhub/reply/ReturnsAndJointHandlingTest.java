package appealhub.reply;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.store.CaseStore;
import appealhub.store.FeedbackOutbox;
import appealhub.store.RawItemStore;
import appealhub.store.TaskStore;
import appealhub.support.Department;
import appealhub.support.Platform12345;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Following a case after dispatch (issue 6): a department's return re-routes the case to the
 * next organisation or, after two returns, to manual triage, without telling 12345; joint
 * handling collects the co-organisations' work for the lead and resolves only with the lead;
 * 12345 sending a closed item again is a duplicate; only a 不满意 evaluation re-opens it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReturnsAndJointHandlingTest {

    Platform12345 platform;
    TestHub hub;
    Department department;
    CaseStore cases;
    TaskStore tasks;

    @BeforeAll
    void start(@TempDir Path data) {
        platform = new Platform12345();
        // Any suggestion is good enough to re-route to, so the test does not hang on model scores.
        hub = new TestHub(data, platform.baseUrl(), Map.of("hub.returns.reroute-min-probability", 0.0,
                "hub.returns.max-before-triage", 2)).start();
        department = new Department(hub.brokerUrl());
        cases = hub.bean(CaseStore.class);
        tasks = hub.bean(TaskStore.class);
    }

    @AfterAll
    void stop() {
        if (department != null) department.close();
        if (hub != null) hub.close();
        if (platform != null) platform.close();
    }

    @Test
    void aReturnReroutesToAnotherOrganisationAndTwoReturnsGoToTriageWithoutTelling12345() {
        String appealId = platform.push(hub.url(""), Platform12345.streetLight("GD20250409300001")).appealId();
        String caseId = awaitCase(appealId, "DISPATCHED");
        TaskStore.TaskRecord first = lead(caseId);
        JsonNode task = Department.json(department.awaitMessage(first.queue(), m -> first.taskId().equals(Department.property(m, "taskId"))));
        department.reply(task, "return", "路灯归属供电公司，不属我局职责");

        // Re-routed in the same round to another organisation; the returning one is never asked again.
        await().atMost(Duration.ofSeconds(15)).until(() -> !first.orgCode().equals(cases.findCase(caseId).leadDept()));
        TaskStore.TaskRecord second = lead(caseId);
        assertThat(second.orgCode()).isNotEqualTo(first.orgCode());
        assertThat(second.round()).isEqualTo(first.round());
        assertThat(tasks.find(first.taskId()).status()).hasToString("RETURNED");
        assertThat(cases.findCase(caseId).status()).hasToString("DISPATCHED");
        JsonNode rerouted = Department.json(department.awaitMessage(second.queue(), m -> second.taskId().equals(Department.property(m, "taskId"))));
        assertThat(rerouted.path("role").asText()).isEqualTo("lead");
        assertThat(rerouted.path("appeal").path("appealId").asText()).isEqualTo(appealId);
        CaseStore.CaseEvent event = cases.events(caseId).stream().filter(e -> "rerouted".equals(e.type())).findFirst().orElseThrow();
        assertThat(event.detail()).contains("\"returnedBy\":\"" + first.orgCode() + "\"").contains("\"to\":\"" + second.orgCode() + "\"")
                .contains("路灯归属供电公司");

        // The second return: manual triage, with the reason and both organisations.
        department.reply(rerouted, "return", "也不属我单位");
        JsonNode triage = Department.json(department.awaitMessage("hub.triage", m -> caseId.equals(Department.json(m).path("caseId").asText())));
        assertThat(triage.path("reason").asText()).contains("returned 2 times").contains(first.orgCode()).contains(second.orgCode());
        assertThat(cases.findCase(caseId).status()).hasToString("TRIAGE");
        assertThat(cases.events(caseId)).extracting(CaseStore.CaseEvent::type)
                .containsSubsequence("dispatched", "returned", "rerouted", "dispatched", "returned", "triage");
        // A department's return is not the district's refusal: 12345 hears no 退回.
        platform.wireMock().verify(0, postRequestedFor(urlMatching("/api/v1/workorders/GD20250409300001/return")));
    }

    @Test
    void coOrganisationsContributeToTheLeadAndTheCaseResolvesOnlyWithTheLead() {
        String appealId = platform.push(hub.url(""), Platform12345.order("GD20250409300101", "南湖公园东门路面塌陷",
                "南湖公园东门外人行道路面塌陷出一个大坑，周围没有任何警示标志，晚上路过的人很容易摔倒，请尽快修补。",
                "冀州区冀州镇南湖公园东门")).appealId();
        String caseId = awaitCase(appealId, "DISPATCHED");
        List<TaskStore.TaskRecord> round = tasks.ofCaseRound(caseId, 0);
        TaskStore.TaskRecord lead = lead(caseId);
        List<TaskStore.TaskRecord> co = round.stream().filter(t -> "co".equals(String.valueOf(t.role()))).toList();
        assertThat(co).as("a joint case (a lead and two co-organisations)").hasSize(2);
        JsonNode leadTask = Department.json(department.awaitMessage(lead.queue(), m -> lead.taskId().equals(Department.property(m, "taskId"))));
        JsonNode coTask = Department.json(department.awaitMessage(co.get(0).queue(), m -> co.get(0).taskId().equals(Department.property(m, "taskId"))));

        department.reply(coTask, "accept", null);
        department.reply(coTask, "resolve", "已在塌陷处设置围挡和警示标志。");
        // The co-organisation's work reaches the lead; the citizen hears nothing of it yet.
        JsonNode contribution = Department.json(department.awaitMessage(lead.queue(), m -> "task-update".equals(Department.property(m, "hubMessageType"))
                && "contribution".equals(Department.json(m).path("kind").asText())));
        assertThat(contribution.path("taskId").asText()).isEqualTo(lead.taskId());
        assertThat(contribution.path("contribution").path("orgCode").asText()).isEqualTo(co.get(0).orgCode());
        assertThat(contribution.path("contribution").path("text").asText()).isEqualTo("已在塌陷处设置围挡和警示标志。");
        assertThat(cases.findCase(caseId).status()).hasToString("DISPATCHED");
        assertThat(cases.events(caseId)).extracting(CaseStore.CaseEvent::type).contains("contributed");

        department.reply(leadTask, "accept", null);
        department.reply(leadTask, "resolve", "塌陷路面已回填硬化，恢复通行。");
        await().atMost(Duration.ofSeconds(15)).until(() -> "RESOLVED".equals(String.valueOf(cases.findCase(caseId).status())));
        // The answer upstream is the lead's; co-organisations' tasks still open are closed with the case.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> platform.wireMock().verify(1,
                postRequestedFor(urlEqualTo("/api/v1/workorders/GD20250409300101/reply"))
                        .withRequestBody(matchingJsonPath("$.blzt", equalTo("办结")))
                        .withRequestBody(matchingJsonPath("$.bljg", equalTo("塌陷路面已回填硬化，恢复通行。")))));
        assertThat(tasks.find(co.get(1).taskId()).status()).hasToString("CLOSED");
        assertThat(tasks.find(co.get(0).taskId()).status()).hasToString("RESOLVED");

        // A co-organisation answering after that is recorded, not dead-lettered.
        JsonNode late = Department.json(department.awaitMessage(co.get(1).queue(), m -> co.get(1).taskId().equals(Department.property(m, "taskId"))));
        department.reply(late, "resolve", "已配合完成。");
        await().atMost(Duration.ofSeconds(15)).until(() -> cases.events(caseId).stream()
                .anyMatch(e -> "late-reply".equals(e.type()) && co.get(1).orgCode().equals(e.actor())));
        assertThat(department.receiveMessage("hub.dead.replies", 500)).isNull();
    }

    @Test
    void twelve345SendingAClosedItemAgainIsADuplicateAndOnlyADissatisfiedEvaluationReopens() {
        Map<String, Object> order = Platform12345.order("GD20250409300201", "食品安全问题",
                "码头李村某超市销售过期食品，存在食品安全隐患。", "冀州区码头李镇码头李村");
        String appealId = platform.push(hub.url(""), order).appealId();
        String caseId = awaitCase(appealId, "DISPATCHED");
        TaskStore.TaskRecord lead = lead(caseId);
        JsonNode task = Department.json(department.awaitMessage(lead.queue(), m -> lead.taskId().equals(Department.property(m, "taskId"))));

        // Sent again while open: a copy, nothing happens.
        var copy = platform.push(hub.url(""), order);
        assertThat(copy.status()).isEqualTo(200);
        assertThat(copy.appealId()).isEqualTo(appealId);
        assertThat(cases.findCase(caseId).round()).isZero();

        department.reply(task, "resolve", "已责令下架过期食品并立案调查。");
        await().atMost(Duration.ofSeconds(20)).until(() -> hub.bean(FeedbackOutbox.class).ofCase(caseId).stream()
                .anyMatch(f -> "result".equals(f.kind()) && "DONE".equals(String.valueOf(f.status()))));

        // Sent again after 12345 had the result: still the same order, a duplicate (the spec's re-send).
        var again = platform.push(hub.url(""), order);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().path("code").asInt()).isZero();
        assertThat(again.appealId()).isEqualTo(appealId);
        assertThat(hub.bean(RawItemStore.class).bySource("hotline12345", "GD20250409300201"))
                .extracting(RawItemStore.RawItem::status).containsExactly("ACCEPTED", "DUPLICATE", "DUPLICATE");
        // Nothing else: not re-opened, no new task (the hand-over would be immediate; give it time to go wrong).
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(cases.findCase(caseId).status()).hasToString("RESOLVED");
            assertThat(cases.findCase(caseId).round()).isZero();
        });
        assertThat(tasks.ofCaseRound(caseId, 1)).isEmpty();
        assertThat(cases.events(caseId)).extracting(CaseStore.CaseEvent::type).doesNotContain("reopened");

        // The channel's explicit re-open: a 不满意 evaluation re-opens it with the same department.
        assertThat(platform.evaluate(hub.url(""), Map.of("gdbh", "GD20250409300201", "myd", "不满意",
                "hfsj", "2025-04-12 10:00:00", "hfnr", "超市仍在销售")).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> cases.findCase(caseId).round() == 1);
        CaseStore.CaseRecord reopened = cases.findCase(caseId);
        assertThat(reopened.status()).hasToString("DISPATCHED");
        TaskStore.TaskRecord newLead = lead(caseId);
        assertThat(newLead.orgCode()).isEqualTo(lead.orgCode());
        assertThat(newLead.round()).isEqualTo(1);
        JsonNode newTask = Department.json(department.awaitMessage(newLead.queue(), m -> newLead.taskId().equals(Department.property(m, "taskId"))));
        assertThat(newTask.path("round").asInt()).isEqualTo(1);
        CaseStore.CaseEvent event = cases.events(caseId).stream().filter(e -> "reopened".equals(e.type())).findFirst().orElseThrow();
        assertThat(event.actor()).isEqualTo("hotline12345");
        assertThat(event.detail()).contains("citizen dissatisfied");
    }

    @Test
    void anAcceptOvertakenByItsResolveLeavesTheCaseResolvedAndIsNoError() {
        String appealId = platform.push(hub.url(""), Platform12345.streetLight("GD20250409300301")).appealId();
        String caseId = awaitCase(appealId, "DISPATCHED");
        TaskStore.TaskRecord lead = lead(caseId);
        JsonNode task = Department.json(department.awaitMessage(lead.queue(), m -> lead.taskId().equals(Department.property(m, "taskId"))));
        department.reply(task, "resolve", "路灯已修复。");
        department.reply(task, "accept", null);
        await().atMost(Duration.ofSeconds(15)).until(() -> cases.events(caseId).stream().anyMatch(e -> "resolved".equals(e.type())));
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(cases.findCase(caseId).status()).hasToString("RESOLVED"));
        assertThat(department.receiveMessage("hub.dead.replies", 500)).isNull();
        // The citizen hears 办理中 (implied by the resolve) and then the result, not "accepted" after it.
        List<FeedbackOutbox.Item> feedback = hub.bean(FeedbackOutbox.class).ofCase(caseId);
        assertThat(feedback).extracting(FeedbackOutbox.Item::kind).containsExactly("progress", "result");
        assertThat(cases.events(caseId)).filteredOn(e -> "accepted".equals(e.type())).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("implied"));
    }

    // ---- helpers ----

    private TaskStore.TaskRecord lead(String caseId) {
        CaseStore.CaseRecord c = cases.findCase(caseId);
        return tasks.ofCaseRound(caseId, c.round()).stream()
                .filter(t -> "lead".equals(String.valueOf(t.role())) && !"RETURNED".equals(String.valueOf(t.status()))).findFirst().orElseThrow();
    }

    private String awaitCase(String appealId, String status) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            String caseId = cases.caseIdOfAppeal(appealId);
            return caseId != null && status.equals(cases.findCase(caseId).status().name());
        });
        return cases.caseIdOfAppeal(appealId);
    }



}
