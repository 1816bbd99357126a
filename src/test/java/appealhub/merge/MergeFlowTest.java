package appealhub.merge;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.organization.OrganizationRegistry;
import appealhub.miniprogram.MiniprogramBackend;
import appealhub.store.CaseStore;
import appealhub.store.TaskStore;
import appealhub.support.Department;
import appealhub.support.Platform12345;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Message;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * One problem, one case, end to end: appeals pushed by 12345 and the mini-program, merged by
 * the hub when they repeat an open case, each source answered through its own channel; a
 * different problem at the same place kept apart; hot issues; undo of a wrong merge.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MergeFlowTest {
    static final ObjectMapper JSON = new ObjectMapper();

    Platform12345 platform;
    MiniprogramBackend backend;
    TestHub hub;
    Department department;
    CaseStore cases;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path data) {
        platform = new Platform12345();
        backend = new MiniprogramBackend();
        Map<String, Object> overrides = new LinkedHashMap<>();
        overrides.put("hub.channels.miniprogram.base-url", backend.baseUrl());
        overrides.put("hub.merge.enabled", true);
        overrides.put("hub.merge.hot-citizens", 3);
        for (String other : List.of("leaderboard", "wechat", "supervision", "grid")) {
            overrides.put("hub.channels." + other + ".enabled", false);
        }
        hub = new TestHub(data, platform.baseUrl(), overrides).start();
        department = new Department(hub.brokerUrl());
        cases = hub.bean(CaseStore.class);
    }

    @AfterAll
    void stop() {
        if (department != null) department.close();
        if (hub != null) hub.close();
        if (backend != null) backend.close();
        if (platform != null) platform.close();
    }

    @Test
    void aRewordedAppealFromAnotherChannelJoinsTheCaseAndBothSourcesGetTheAnswer() {
        String first = push12345("GD20250409100001", "13800000001", "滏阳花园南门路灯不亮",
                "滏阳花园小区南门外的路灯坏了半个多月，一到晚上整条路漆黑一片，老人孩子出行很不安全，希望尽快维修。",
                "冀州区冀州镇滏阳花园小区南门");
        String caseId = awaitCase(first, "DISPATCHED");
        String queue = queueOfLead(caseId);
        JsonNode task = Department.json(department.awaitMessage(queue, m -> first.equals(Department.json(m).path("appeal").path("appealId").asText())));

        int tasksBefore = hub.bean(TaskStore.class).ofCase(caseId).size();
        Map<String, Object> report = MiniprogramBackend.report("mp-merge-0001",
                "滏阳花园小区南门外的路灯坏了半个多月，一到晚上整条路都是黑的，老人孩子出行很不安全，希望尽快派人维修。",
                37.5512, 115.5790, "冀州区冀州镇滏阳花园小区南门");
        report.put("mobile", "13900000002");
        String second = backend.push(hub.url(""), report).appealId();
        assertThat(second).startsWith("AP");

        // The second appeal joins the first case: no second task, the department's task is updated.
        await().atMost(Duration.ofSeconds(20)).until(() -> caseId.equals(cases.caseIdOfAppeal(second)));
        Message update = department.awaitMessage(queue, m -> "task-update".equals(Department.property(m, "hubMessageType")));
        JsonNode u = Department.json(update);
        assertThat(u.path("schema").asText()).isEqualTo("appealhub.task-update/1");
        assertThat(u.path("kind").asText()).isEqualTo("new-source");
        assertThat(u.path("taskId").asText()).isEqualTo(task.path("taskId").asText());
        assertThat(u.path("sourceCount").asInt()).isEqualTo(2);
        assertThat(u.path("citizenCount").asInt()).isEqualTo(2);
        assertThat(u.path("appeal").path("appealId").asText()).isEqualTo(second);
        assertThat(u.path("text").asText()).contains("共2位群众反映");
        assertThat(hub.bean(TaskStore.class).ofCase(caseId)).hasSize(tasksBefore);
        assertThat(hub.bean(TaskStore.class).ofCase(newCase(second))).isEmpty();

        String newCase = newCase(second);
        assertThat(cases.findCase(newCase).status()).hasToString("MERGED");
        assertThat(cases.findCase(newCase).mergedInto()).isEqualTo(caseId);
        CaseStore.CaseEvent merged = cases.events(caseId).stream().filter(e -> "merged".equals(e.type())).findFirst().orElseThrow();
        JsonNode detail = read(merged.detail());
        assertThat(detail.path("appealId").asText()).isEqualTo(second);
        assertThat(detail.path("channel").asText()).isEqualTo("miniprogram");
        assertThat(detail.path("score").asDouble()).isGreaterThanOrEqualTo(0.70);
        assertThat(detail.path("reasons").isArray()).isTrue();
        assertThat(merged.detail()).doesNotContain("13900000002").doesNotContain("13800000001");
        assertThat(cases.events(newCase)).extracting(CaseStore.CaseEvent::type).contains("merged-into");

        // Both citizens hear the department's answer, each through their own channel.
        department.reply(task, "accept", null);
        // (replies are applied in parallel: a resolve sent right away could overtake the accept)
        await().atMost(Duration.ofSeconds(15)).until(() -> "ACCEPTED".equals(String.valueOf(cases.findCase(caseId).status())));
        department.reply(task, "resolve", "南门外路灯线路已更换，现已恢复正常照明。");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> platform.wireMock().verify(1,
                postRequestedFor(urlEqualTo("/api/v1/workorders/GD20250409100001/reply"))
                        .withRequestBody(matchingJsonPath("$.blzt", equalTo("办结")))
                        .withRequestBody(matchingJsonPath("$.bljg", equalTo("南门外路灯线路已更换，现已恢复正常照明。")))));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(backend.callbacks("mp-merge-0001"))
                .extracting(n -> n.path("status").asText()).containsSubsequence("ACCEPTED", "PROCESSING", "RESOLVED"));
        assertThat(backend.callbacks("mp-merge-0001").stream().filter(n -> "RESOLVED".equals(n.path("status").asText()))
                .findFirst().orElseThrow().path("message").asText()).isEqualTo("南门外路灯线路已更换，现已恢复正常照明。");
    }

    @Test
    void aDifferentProblemAtTheSamePlaceIsItsOwnCase() {
        String light = push12345("GD20250409100101", "13800000011", "锦绣花园北门垃圾桶满了没人清",
                "锦绣花园小区北门口的垃圾桶已经满了三天没人清运，垃圾堆到路边，气味很大，请环卫尽快处理。",
                "冀州区冀州镇锦绣花园小区北门");
        String caseA = awaitCase(light, "DISPATCHED");
        String cover = push12345("GD20250409100102", "13800000012", "锦绣花园北门井盖破损",
                "锦绣花园小区北门口的一个污水井盖破了一半，晚上路过很危险，已经有人差点掉进去，请尽快更换。",
                "冀州区冀州镇锦绣花园小区北门");
        String caseB = awaitCase(cover, "DISPATCHED");

        assertThat(caseB).isNotEqualTo(caseA);
        assertThat(cases.originCaseOfAppeal(cover)).isNull();
        assertThat(cases.events(caseA)).extracting(CaseStore.CaseEvent::type).doesNotContain("merged");
        assertThat(cases.events(caseB)).extracting(CaseStore.CaseEvent::type).doesNotContain("merged-into");
        assertThat(hub.bean(TaskStore.class).ofCase(caseB)).isNotEmpty();
    }

    @Test
    void severalCitizensReportingTheSameProblemMakeItAHotIssueWithHigherPriority() throws Exception {
        String text = "信都大街与人民路交叉口的红绿灯坏了两天，路口车辆乱成一团，早晚高峰堵得厉害，也很容易出事故，请尽快修复。";
        String a = push12345("GD20250409100201", "13800000021", "信都大街人民路口红绿灯坏了", text, "冀州区冀州镇信都大街与人民路交叉口");
        String caseId = awaitCase(a, "DISPATCHED");
        assertThat(cases.findCase(caseId).priority()).isEqualTo(CaseMerger.PRIORITY_NORMAL);
        String queue = queueOfLead(caseId);
        department.awaitMessage(queue, m -> a.equals(Department.json(m).path("appeal").path("appealId").asText()));

        String b = push12345("GD20250409100202", "13800000022", "人民路信都大街路口信号灯不亮",
                "人民路和信都大街交叉口的红绿灯坏了两天了，路口车辆乱成一团，早晚高峰堵得厉害，很容易出事故，请尽快修。",
                "冀州区冀州镇信都大街与人民路交叉口");
        await().atMost(Duration.ofSeconds(20)).until(() -> caseId.equals(cases.caseIdOfAppeal(b)));
        assertThat(cases.findCase(caseId).hot()).isFalse();
        Message second = department.awaitMessage(queue, m -> "task-update".equals(Department.property(m, "hubMessageType")));
        assertThat(priority(second)).isEqualTo(CaseMerger.PRIORITY_NORMAL);

        // The same citizen again does not make it hotter; a third citizen does.
        String again = push12345("GD20250409100203", "13800000022", "红绿灯还是坏的", text, "冀州区冀州镇信都大街与人民路交叉口");
        await().atMost(Duration.ofSeconds(20)).until(() -> caseId.equals(cases.caseIdOfAppeal(again)));
        assertThat(cases.findCase(caseId).citizenCount()).isEqualTo(2);
        assertThat(cases.findCase(caseId).hot()).isFalse();

        Map<String, Object> report = MiniprogramBackend.report("mp-hot-0001",
                "信都大街人民路交叉口的红绿灯坏了两天，车辆乱成一团，早晚高峰堵得厉害，很容易出事故，请尽快修复。",
                null, null, "冀州区冀州镇信都大街与人民路交叉口");
        report.put("mobile", "13900000023");
        String c = backend.push(hub.url(""), report).appealId();
        await().atMost(Duration.ofSeconds(20)).until(() -> caseId.equals(cases.caseIdOfAppeal(c)));

        CaseStore.CaseRecord hot = cases.findCase(caseId);
        assertThat(hot.citizenCount()).isEqualTo(3);
        assertThat(hot.hot()).isTrue();
        assertThat(hot.priority()).isEqualTo(CaseMerger.PRIORITY_HOT);
        assertThat(cases.events(caseId)).extracting(CaseStore.CaseEvent::type).contains("hot-issue");
        Message hotUpdate = department.awaitMessage(queue, m -> "task-update".equals(Department.property(m, "hubMessageType"))
                && c.equals(Department.json(m).path("appeal").path("appealId").asText()));
        assertThat(priority(hotUpdate)).isEqualTo(CaseMerger.PRIORITY_HOT);
        assertThat(Department.json(hotUpdate).path("hot").asBoolean()).isTrue();
        assertThat(Department.json(hotUpdate).path("text").asText()).contains("热点");

        JsonNode hotIssues = get("/ops/hot-issues");
        JsonNode listed = null;
        for (JsonNode h : hotIssues) if (caseId.equals(h.path("caseId").asText())) listed = h;
        assertThat(listed).as("listed as a hot issue").isNotNull();
        assertThat(listed.path("citizens").asInt()).isEqualTo(3);
        assertThat(listed.path("sources").asInt()).isEqualTo(4);
    }

    @Test
    void undoingAWrongMergeSplitsTheAppealIntoItsOwnCaseWhichIsDispatched() throws Exception {
        String a = push12345("GD20250409100301", "13800000031", "南湖公园东门路面塌陷",
                "南湖公园东门外人行道路面塌陷出一个大坑，周围没有任何警示标志，晚上路过的人很容易摔倒，请尽快修补。",
                "冀州区冀州镇南湖公园东门");
        String caseId = awaitCase(a, "DISPATCHED");
        String b = push12345("GD20250409100302", "13800000032", "南湖公园东门路面塌陷了",
                "南湖公园东门外的人行道路面塌陷出一个大坑，周围没有警示标志，晚上路过的人很容易摔倒，请尽快修补。",
                "冀州区冀州镇南湖公园东门");
        await().atMost(Duration.ofSeconds(20)).until(() -> caseId.equals(cases.caseIdOfAppeal(b)));
        String origin = cases.originCaseOfAppeal(b);
        assertThat(cases.findCase(caseId).citizenCount()).isEqualTo(2);

        HttpResponse<String> split = post("/ops/appeals/" + b + "/split");
        assertThat(split.statusCode()).isEqualTo(202);
        assertThat(read(split.body()).path("caseId").asText()).isEqualTo(origin);

        // Back in its own case, dispatched normally, with its own task; never merged again.
        await().atMost(Duration.ofSeconds(20)).until(() -> "DISPATCHED".equals(String.valueOf(cases.findCase(origin).status())));
        assertThat(cases.caseIdOfAppeal(b)).isEqualTo(origin);
        TaskStore.TaskRecord own = hub.bean(TaskStore.class).ofCase(origin).stream()
                .filter(t -> "lead".equals(String.valueOf(t.role()))).findFirst().orElseThrow();
        // Its new task, and (to the department holding the first case) an update that the source
        // left: possibly on the same queue, in either order.
        Predicate<Message> ownTask = m -> "task".equals(Department.property(m, "hubMessageType"))
                && own.taskId().equals(Department.property(m, "taskId"));
        Predicate<Message> sourceRemoved = m -> "task-update".equals(Department.property(m, "hubMessageType"))
                && "source-removed".equals(Department.json(m).path("kind").asText());
        List<Message> seen = new java.util.ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (String queue : new java.util.LinkedHashSet<>(List.of(own.queue(), queueOfLead(caseId)))) {
                Message m = department.receiveMessage(queue, 300);
                if (m != null) seen.add(m);
            }
            return seen.stream().anyMatch(ownTask) && seen.stream().anyMatch(sourceRemoved);
        });
        Message task = seen.stream().filter(ownTask).findFirst().orElseThrow();
        assertThat(Department.json(task).path("appeal").path("appealId").asText()).isEqualTo(b);
        Message removed = seen.stream().filter(sourceRemoved).findFirst().orElseThrow();
        assertThat(Department.json(removed).path("appeal").path("appealId").asText()).isEqualTo(b);
        assertThat(Department.property(removed, "taskId")).isNotEqualTo(own.taskId());
        assertThat(cases.findCase(caseId).citizenCount()).isEqualTo(1);
        assertThat(cases.events(caseId)).extracting(CaseStore.CaseEvent::type).contains("merged", "split");
        assertThat(cases.events(caseId).stream().filter(e -> "split".equals(e.type())).findFirst().orElseThrow().actor())
                .isEqualTo(TestHub.OPERATOR);
        assertThat(cases.events(origin)).extracting(CaseStore.CaseEvent::type)
                .containsSubsequence("merged-into", "split-from", "classified", "dispatched");


        // A second undo has nothing to undo.
        assertThat(post("/ops/appeals/" + b + "/split").statusCode()).isEqualTo(409);
    }

    // ---- helpers ----

    private String push12345(String gdbh, String phone, String title, String content, String address) {
        Map<String, Object> order = Platform12345.order(gdbh, title, content, address);
        order.put("lxdh", phone);
        var answer = platform.push(hub.url(""), order);
        assertThat(answer.status()).isEqualTo(200);
        return answer.appealId();
    }

    private String newCase(String appealId) {
        return cases.originCaseOfAppeal(appealId);
    }

    /** The case of an appeal once it reached a status (merges move appeals, so read it afresh). */
    private String awaitCase(String appealId, String status) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            String caseId = cases.caseIdOfAppeal(appealId);
            return caseId != null && status.equals(cases.findCase(caseId).status().name());
        });
        return cases.caseIdOfAppeal(appealId);
    }

    private String queueOfLead(String caseId) {
        return hub.bean(OrganizationRegistry.class).taskQueue(cases.findCase(caseId).leadDept());
    }




    private static int priority(Message m) {
        try {
            return m.getJMSPriority();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode get(String path) throws Exception {
        return read(http.send(hub.viewerRequest(path).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private HttpResponse<String> post(String path) throws Exception {
        return http.send(hub.opsRequest(path).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
