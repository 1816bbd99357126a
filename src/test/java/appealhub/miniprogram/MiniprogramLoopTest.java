package appealhub.miniprogram;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.model.Appeal;
import appealhub.store.CaseStore;
import appealhub.store.FeedbackOutbox;
import appealhub.store.RawItemStore;
import appealhub.support.Department;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The mini-program channel end to end: the backend pushes reports with its bearer key, a
 * department answers over the broker, the backend hears ACCEPTED / PROCESSING / RESOLVED on
 * its status callback (WireMock from mocks/miniprogram, with its 409 and 503 answers).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MiniprogramLoopTest {
    static final long MAINTENANCE_RETRY_SECONDS = 3;

    MiniprogramBackend backend;
    TestHub hub;
    Department department;

    @BeforeAll
    void start(@TempDir Path data) {
        backend = new MiniprogramBackend();
        Map<String, Object> overrides = new LinkedHashMap<>();
        overrides.put("hub.channels.miniprogram.enabled", true);
        overrides.put("hub.channels.miniprogram.base-url", backend.baseUrl());
        overrides.put("hub.channels.miniprogram.http.response-timeout-ms", 2000);
        overrides.put("hub.channels.miniprogram.maintenance-retry-seconds", MAINTENANCE_RETRY_SECONDS);
        // Only this channel: the others' timers and feeders have no business in these tests.
        for (String other : List.of("hotline12345", "leaderboard", "wechat", "supervision", "grid")) {
            overrides.put("hub.channels." + other + ".enabled", false);
        }
        hub = new TestHub(data, backend.baseUrl(), overrides).start();
        department = new Department(hub.brokerUrl());
    }

    @AfterAll
    void stop() {
        if (department != null) department.close();
        if (hub != null) hub.close();
        if (backend != null) backend.close();
    }

    @Test
    void aPushedReportBecomesATaskAndTheBackendHearsAcceptedProcessingResolved() {
        Map<String, Object> report = MiniprogramBackend.report("mp-happy-0001",
                "小区门口垃圾清运不及时，垃圾堆放三天无人管，气味很大", 37.5512, 115.5790, "冀州区冀州镇滏阳花园东门");
        report.put("category", "water"); // the citizen's pick, wrong: must not send it to 水务局
        var answer = backend.push(hub.url(""), report);
        assertThat(answer.status()).isEqualTo(200);
        String appealId = answer.appealId();
        assertThat(appealId).startsWith("AP");
        assertThat(answer.response().headers().firstValue("Authorization")).as("key not echoed").isEmpty();

        JsonNode task = taskFor("dept.D16.tasks", appealId);
        assertThat(task.path("role").asText()).isEqualTo("lead");
        assertThat(task.path("townshipCode").asText()).isEqualTo("T01");
        JsonNode appeal = task.path("appeal");
        assertThat(appeal.path("channel").asText()).isEqualTo("miniprogram");
        assertThat(appeal.path("content").asText()).isEqualTo("小区门口垃圾清运不及时，垃圾堆放三天无人管，气味很大");
        assertThat(appeal.path("occurredAt").asText()).isEqualTo("2025-04-09T01:12:33Z");
        assertThat(appeal.path("location").path("lat").asDouble()).isEqualTo(37.5512);
        assertThat(appeal.path("location").path("lon").asDouble()).isEqualTo(115.5790);
        assertThat(appeal.path("location").path("townshipCode").asText()).isEqualTo("T01");
        assertThat(appeal.path("location").path("address").asText()).isEqualTo("冀州区冀州镇滏阳花园东门");
        assertThat(appeal.path("attachments").get(0).path("url").asText()).isEqualTo("https://cdn.example/r/mp-happy-0001/1.jpg");
        assertThat(appeal.path("citizen").path("phone").asText()).isEqualTo("13900000000");
        Appeal stored = hub.bean(CaseStore.class).appeal(appealId);
        assertThat(stored.channelFields()).containsEntry("category", "water").containsEntry("openId", "oXyZ123");
        assertThat(stored.channelType()).isNull();

        // 已受理 right after intake, before any department has done anything.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> backend.wireMock().verify(1,
                postRequestedFor(urlEqualTo(MiniprogramBackend.CALLBACK_PATH))
                        .withHeader("Authorization", equalTo("Bearer " + MiniprogramBackend.CALLBACK_KEY))
                        .withRequestBody(matchingJsonPath("$.reportId", equalTo("mp-happy-0001")))
                        .withRequestBody(matchingJsonPath("$.status", equalTo("ACCEPTED")))));
        assertThat(backend.callbacks("mp-happy-0001").get(0).path("message").asText()).contains(appealId);

        department.reply(task, "accept", null);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(statuses("mp-happy-0001"))
                .containsExactly("ACCEPTED", "PROCESSING"));
        assertThat(backend.callbacks("mp-happy-0001").get(1).path("message").asText()).contains("综合行政执法局");

        // A phone number in the result text must not reach the citizen's screen.
        department.reply(task, "resolve", "垃圾已清运完毕，如有问题请联系13912345678。");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(statuses("mp-happy-0001"))
                .containsExactly("ACCEPTED", "PROCESSING", "RESOLVED"));
        JsonNode resolved = backend.callbacks("mp-happy-0001").get(2);
        assertThat(resolved.path("message").asText()).isEqualTo("垃圾已清运完毕，如有问题请联系139****5678。");
        assertThat(backend.received("mp-happy-0001")).extracting(MiniprogramBackend.Callback::authorization)
                .containsOnly("Bearer " + MiniprogramBackend.CALLBACK_KEY);
        assertThat(resolved.path("updatedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?\\+08:00");

        CaseStore cases = hub.bean(CaseStore.class);
        String caseId = cases.caseIdOfAppeal(appealId);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(cases.events(caseId))
                .extracting(CaseStore.CaseEvent::type)
                .containsSubsequence("received", "dispatched", "accepted", "resolved", "fed-back"));
        assertThat(cases.findCase(caseId).status()).hasToString("RESOLVED");
        assertThat(hub.bean(FeedbackOutbox.class).ofCase(caseId)).extracting(FeedbackOutbox.Item::status)
                .containsOnly(FeedbackOutbox.Status.DONE);
    }

    @Test
    void aWrongOrMissingKeyIs401AndTheRawItemIsKeptAsRejected() {
        byte[] body = MiniprogramBackend.bytes(MiniprogramBackend.garbage("mp-badkey-0001"));
        var wrong = backend.push(hub.url(""), body, "Bearer not-the-key");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.error()).isEqualTo("invalid api key");
        var missing = backend.push(hub.url(""), body, null);
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.error()).isEqualTo("missing bearer key");
        var basic = backend.push(hub.url(""), body, "Basic " + MiniprogramBackend.API_KEY);
        assertThat(basic.status()).isEqualTo(401);
        var longer = backend.push(hub.url(""), body, "Bearer " + MiniprogramBackend.API_KEY + "x");
        assertThat(longer.status()).isEqualTo(401);

        List<RawItemStore.RawItem> rejected = hub.bean(RawItemStore.class).byStatus("REJECTED", 50);
        assertThat(rejected).filteredOn(r -> "miniprogram".equals(r.channel()) && text(r).contains("mp-badkey-0001"))
                .hasSize(4)
                .extracting(RawItemStore.RawItem::error)
                .containsOnly("invalid api key", "missing bearer key");
        assertThat(hub.bean(CaseStore.class).appealIdBySource("miniprogram", "mp-badkey-0001")).isEmpty();

        // The right key, scheme in any case: taken.
        assertThat(backend.push(hub.url(""), body, "bearer " + MiniprogramBackend.API_KEY).status()).isEqualTo(200);
    }

    Stream<Arguments> badReports() {
        return Stream.of(
                bad("not-json", null, "body is not valid JSON"),
                bad("array", r -> {}, "report must be a JSON object"),
                bad("no-report-id", r -> r.remove("reportId"), "reportId is required"),
                bad("bad-report-id", r -> r.put("reportId", "mp invalid/07"),
                        "reportId has an invalid format (1 to 128 letters, digits, '.', '_', ':' or '-')"),
                bad("no-description", r -> r.put("description", "  "), "description is required"),
                bad("no-submitted-at", r -> r.remove("submittedAt"), "submittedAt is required"),
                bad("no-offset", r -> r.put("submittedAt", "2025-04-09T09:12:33"),
                        "submittedAt must be ISO 8601 with an offset, e.g. 2025-04-09T09:12:33+08:00"),
                bad("not-iso", r -> r.put("submittedAt", "2025-04-09 09:12:33"),
                        "submittedAt must be ISO 8601 with an offset, e.g. 2025-04-09T09:12:33+08:00"),
                bad("no-location", r -> r.remove("location"), "location is required: lat and lng, or address"),
                bad("empty-location", r -> r.put("location", Map.of("address", " ")),
                        "location needs lat and lng, or an address"),
                bad("lat-only", r -> r.put("location", Map.of("lat", 37.55, "address", "冀州区冀州镇")),
                        "location.lat and location.lng must be given together"),
                bad("lat-range", r -> r.put("location", Map.of("lat", 137.55, "lng", 115.58)),
                        "location.lat must be between -90 and 90"),
                bad("lng-range", r -> r.put("location", Map.of("lat", 37.55, "lng", -215.58)),
                        "location.lng must be between -180 and 180"),
                bad("lat-text", r -> r.put("location", Map.of("lat", "37.55", "lng", 115.58)),
                        "location.lat must be a number"),
                bad("images", r -> r.put("images", "https://cdn.example/r/1.jpg"), "images must be an array of URLs"));
    }

    private static Arguments bad(String name, Consumer<Map<String, Object>> change, String error) {
        return Arguments.of(name, change, error);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badReports")
    void aBadReportIs400WithWhatIsWrongAndTheRawItemIsKeptAsInvalid(String name, Consumer<Map<String, Object>> change,
                                                                   String error) {
        String id = "mp-invalid-" + name;
        byte[] body;
        if (change == null) {
            body = ("{\"reportId\": \"" + id + "\", \"description\": \"垃圾").getBytes(StandardCharsets.UTF_8);
        } else if (name.equals("array")) {
            body = MiniprogramBackend.bytes(List.of(MiniprogramBackend.garbage(id)));
        } else {
            Map<String, Object> report = new HashMap<>(MiniprogramBackend.garbage(id));
            report.put("openId", id); // a marker that survives every change
            change.accept(report);
            body = MiniprogramBackend.bytes(report);
        }
        var answer = backend.push(hub.url(""), body, "Bearer " + MiniprogramBackend.API_KEY);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.error()).isEqualTo(error);

        List<RawItemStore.RawItem> invalid = hub.bean(RawItemStore.class).byStatus("INVALID", 200);
        assertThat(invalid).filteredOn(r -> "miniprogram".equals(r.channel()) && text(r).contains(id))
                .hasSize(1)
                .first().satisfies(r -> {
                    assertThat(r.error()).isEqualTo(error);
                    assertThat(r.body()).isEqualTo(body);
                });
    }

    @Test
    void aReSentReportAnswersTheSameAppealIdAndIsOneAppeal() {
        Map<String, Object> report = MiniprogramBackend.report("mp-resent-0001",
                "信都社区门口路灯坏了好几天，晚上很黑", 37.5560, 115.5850, "冀州区冀州镇信都社区");
        String first = backend.push(hub.url(""), report).appealId();
        String second = backend.push(hub.url(""), report).appealId();
        String third = backend.push(hub.url(""), report).appealId();
        assertThat(first).startsWith("AP");
        assertThat(second).isEqualTo(first);
        assertThat(third).isEqualTo(first);
        assertThat(hub.bean(RawItemStore.class).bySource("miniprogram", "mp-resent-0001"))
                .extracting(RawItemStore.RawItem::status).containsExactly("ACCEPTED", "DUPLICATE", "DUPLICATE");
        String caseId = hub.bean(CaseStore.class).caseIdOfAppeal(first);
        assertThat(hub.bean(CaseStore.class).appealsOfCase(caseId)).hasSize(1);
        assertThat(hub.bean(FeedbackOutbox.class).ofCase(caseId)).as("one 已受理, not three").hasSize(1);
    }

    @Test
    void aPinNearATownshipCentroidGivesTheTaskThatTownship() {
        // 门庄乡's centroid is 37.470 N, 115.650 E; this pin is some 300 m from it. No address.
        var answer = backend.push(hub.url(""), MiniprogramBackend.report("mp-pin-0001",
                "村里的老戏台年久失修，屋檐掉瓦，希望有人来看看。", 37.4720, 115.6520, null));
        assertThat(answer.status()).isEqualTo(200);
        JsonNode task = taskFor("township.T07.tasks", answer.appealId());
        assertThat(task.path("townshipCode").asText()).isEqualTo("T07");
        assertThat(task.path("appeal").path("location").path("townshipCode").asText()).isEqualTo("T07");
        assertThat(task.path("appeal").path("location").has("address")).isFalse();

        // With a department's topic the department leads, and the task still names the pin's township.
        var streetLight = backend.push(hub.url(""), MiniprogramBackend.report("mp-pin-0002",
                "路口的路灯坏了半个月，晚上出行不安全。", 37.4690, 115.6480, null));
        JsonNode lightTask = taskFor("dept.D16.tasks", streetLight.appealId());
        assertThat(lightTask.path("townshipCode").asText()).isEqualTo("T07");
        assertThat(hub.bean(CaseStore.class).appeal(streetLight.appealId()).channelFields().get("pin"))
                .startsWith("T07 门庄乡");
    }

    @Test
    void aPinFarOutsideTheDistrictLeavesTheTownshipUnknown() {
        // Tian'anmen, Beijing: 250 km from every township of 冀州区.
        var answer = backend.push(hub.url(""), MiniprogramBackend.report("mp-pin-far-0001",
                "路口的路灯坏了半个月，晚上出行不安全。", 39.9042, 116.3974, null));
        assertThat(answer.status()).isEqualTo(200);
        JsonNode task = taskFor("dept.D16.tasks", answer.appealId());
        assertThat(task.path("townshipCode").isNull() || task.path("townshipCode").isMissingNode()).isTrue();
        JsonNode location = task.path("appeal").path("location");
        assertThat(location.has("townshipCode")).isFalse();
        assertThat(location.path("lat").asDouble()).isEqualTo(39.9042);
        assertThat(hub.bean(CaseStore.class).appeal(answer.appealId()).channelFields().get("pin"))
                .startsWith("outside the district");
    }

    @Test
    void anAlready409RecordedStatusCountsAsDelivered() {
        // The mock backend answers 409 (status already recorded) for reportIds ending in -409.
        var answer = backend.push(hub.url(""), MiniprogramBackend.garbage("mp-dup-0001-409"));
        String caseId = hub.bean(CaseStore.class).caseIdOfAppeal(answer.appealId());
        FeedbackOutbox outbox = hub.bean(FeedbackOutbox.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> !outbox.ofCase(caseId).isEmpty()
                && "DONE".equals(String.valueOf(outbox.ofCase(caseId).get(0).status())));
        assertThat(outbox.ofCase(caseId).get(0).attempts()).as("done at the first attempt").isEqualTo(1);
        assertThat(hub.bean(CaseStore.class).events(caseId)).anyMatch(e -> "fed-back".equals(e.type())
                && e.detail().contains("already recorded (409)"));
        backend.wireMock().verify(1, postRequestedFor(urlEqualTo(MiniprogramBackend.CALLBACK_PATH))
                .withRequestBody(matchingJsonPath("$.reportId", equalTo("mp-dup-0001-409"))));
    }

    @Test
    void a503DuringMaintenanceIsRetriedLaterAndThenDelivered() {
        backend.wireMock().resetScenarios();
        // The mock backend's first callback for a reportId ending in -503 meets its nightly
        // maintenance: 503 without Retry-After, so the hub waits maintenance-retry-seconds (3 s
        // here), not its usual back-off (1-2 s in tests).
        Instant pushed = Instant.now();
        var answer = backend.push(hub.url(""), MiniprogramBackend.garbage("mp-night-0001-503"));
        String caseId = hub.bean(CaseStore.class).caseIdOfAppeal(answer.appealId());
        FeedbackOutbox outbox = hub.bean(FeedbackOutbox.class);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> !outbox.ofCase(caseId).isEmpty() && outbox.ofCase(caseId).get(0).attempts() == 1);
        FeedbackOutbox.Item waiting = outbox.ofCase(caseId).get(0);
        if ("PENDING".equals(String.valueOf(waiting.status()))) {
            assertThat(waiting.lastError()).contains("503");
            assertThat(waiting.nextAttemptAt()).isAfter(pushed.plusMillis(MAINTENANCE_RETRY_SECONDS * 1000 - 100));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> "DONE".equals(String.valueOf(outbox.ofCase(caseId).get(0).status())));
        var calls = backend.received("mp-night-0001-503");
        assertThat(calls).extracting(c -> c.body().path("status").asText()).containsExactly("ACCEPTED", "ACCEPTED");
        assertThat(Duration.between(calls.get(0).at(), calls.get(1).at()))
                .as("the retry waited for the maintenance, not the usual back-off")
                .isGreaterThanOrEqualTo(Duration.ofMillis(MAINTENANCE_RETRY_SECONDS * 1000 - 300));
        assertThat(outbox.ofCase(caseId).get(0).attempts()).as("503, then delivered").isEqualTo(2);
    }

    @Test
    void operationsReturningTheCaseUpstreamTellsTheBackendRejected() throws Exception {
        var answer = backend.push(hub.url(""), MiniprogramBackend.report("mp-return-0001",
                "桃城区人民路路灯不亮。", null, null, "衡水市桃城区人民路"));
        String caseId = hub.bean(CaseStore.class).caseIdOfAppeal(answer.appealId());
        HttpResponse<String> r = HttpClient.newHttpClient().send(hub.opsRequest("/ops/cases/" + caseId + "/return-upstream")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"非本区事项，请向桃城区反映（电话13812345678）\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(statuses("mp-return-0001"))
                .containsExactly("ACCEPTED", "REJECTED"));
        assertThat(backend.callbacks("mp-return-0001").get(1).path("message").asText())
                .isEqualTo("非本区事项，请向桃城区反映（电话138****5678）");
    }

    private List<String> statuses(String reportId) {
        return backend.callbacks(reportId).stream().map(n -> n.path("status").asText()).toList();
    }

    /** The task for an appeal on a queue (other tests' tasks may be waiting there too). */
    private JsonNode taskFor(String queue, String appealId) {
        long until = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < until) {
            JsonNode task = department.receive(queue, 1_000);
            if (task != null && appealId.equals(task.path("appeal").path("appealId").asText())) return task;
        }
        throw new AssertionError("no task for " + appealId + " on " + queue);
    }

    private static String text(RawItemStore.RawItem r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }
}
