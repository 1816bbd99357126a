package appealhub.hotline12345;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.connectors.hotline12345.Hotline12345Signature;
import appealhub.store.CaseStore;
import appealhub.store.FeedbackOutbox;
import appealhub.store.NonceStore;
import appealhub.store.RawItemStore;
import appealhub.store.TaskStore;
import appealhub.support.Department;
import appealhub.support.Platform12345;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 (items 1, 2, 11): a re-sent 12345 order is a duplicate whatever its case's state (by
 * push, by pull, or as a captured signed request played again), and never re-opens the case; a
 * nonce is used once (another body with it is refused with 401); a 不满意 evaluation of a case
 * still open is a complaint for operations.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Hotline12345ResendAndReplayTest {
    static final String PULLED = "GDRESEND0300";
    static final String WORKORDERS = "/api/hotline12345/workorders";

    Platform12345 platform;
    TestHub hub;
    Department department;
    CaseStore cases;
    TaskStore tasks;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path data) throws Exception {
        platform = new Platform12345();
        // The platform lists one order as pending on every poll: as if it never saw the 签收, or listed it again.
        platform.wireMock().stubFor(get(urlEqualTo("/api/v1/workorders/pending?page=1&size=50"))
                .withHeader("X-Auth-Token", equalTo("mock-token-1")).atPriority(1)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json;charset=UTF-8")
                        .withBody("{\"code\":0,\"msg\":\"ok\",\"data\":{\"total\":1,\"page\":1,\"size\":50,\"records\":["
                                + Platform12345.JSON.writeValueAsString(Platform12345.order(PULLED, "小区路灯不亮",
                                "南关村村委会门前的路灯坏了一个多月，晚上出行不安全。", "冀州区冀州镇南关村")) + "]}}")));
        hub = new TestHub(data, platform.baseUrl(), Map.of(
                "hub.channels.hotline12345.pull.enabled", true,
                "hub.channels.hotline12345.pull.initial-delay-ms", 1000,
                "hub.channels.hotline12345.pull.interval-ms", 1000)).start();
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
    void aUsedNonceWithAnotherBodyIsRefusedAndWithTheSameBodyIsARepeatOfTheSameOrder() throws Exception {
        String nonce = UUID.randomUUID().toString();
        long now = Instant.now().getEpochSecond();
        byte[] first = Platform12345.bytes(Platform12345.streetLight("GDNONCE0001"));
        HttpResponse<String> ok = send(WORKORDERS, first, now, nonce);
        assertThat(ok.statusCode()).isEqualTo(200);
        String appealId = Platform12345.JSON.readTree(ok.body()).path("data").path("appealId").asText();

        // Another order, correctly signed with the secret, but with the nonce already used: a replay.
        byte[] other = Platform12345.bytes(Platform12345.streetLight("GDNONCE0002"));
        HttpResponse<String> replay = send(WORKORDERS, other, now, nonce);
        assertThat(replay.statusCode()).isEqualTo(401);
        JsonNode refused = Platform12345.JSON.readTree(replay.body());
        assertThat(refused.path("code").asInt()).isEqualTo(40100);
        assertThat(refused.path("msg").asText()).isEqualTo("nonce already used");
        assertThat(cases.appealIdBySource("hotline12345", "GDNONCE0002")).isEmpty();
        assertThat(hub.bean(RawItemStore.class).byStatus("REJECTED", 50))
                .filteredOn(r -> new String(r.body(), StandardCharsets.UTF_8).contains("GDNONCE0002"))
                .singleElement().satisfies(r -> assertThat(r.error()).isEqualTo("nonce already used"));

        // The very same request again (the platform re-sending, or someone playing it back): the same order.
        HttpResponse<String> again = send(WORKORDERS, first, now, nonce);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(Platform12345.JSON.readTree(again.body()).path("data").path("appealId").asText()).isEqualTo(appealId);
        assertThat(hub.bean(RawItemStore.class).bySource("hotline12345", "GDNONCE0001"))
                .extracting(RawItemStore.RawItem::status).containsExactly("ACCEPTED", "DUPLICATE");

        // A nonce is not reusable on the evaluation endpoint either (one nonce space for the channel).
        HttpResponse<String> evaluation = send("/api/hotline12345/evaluations", Platform12345.bytes(Map.of(
                "gdbh", "GDNONCE0001", "myd", "满意", "hfsj", "2025-04-12 10:00:00")), now, nonce);
        assertThat(evaluation.statusCode()).isEqualTo(401);
        assertThat(hub.bean(NonceStore.class).count("hotline12345")).isPositive();
    }

    @Test
    void aCapturedSignedPushPlayedBackAfterTheResultIsADuplicateAndReopensNothing() throws Exception {
        String nonce = UUID.randomUUID().toString();
        long ts = Instant.now().getEpochSecond();
        byte[] body = Platform12345.bytes(Platform12345.order("GDRESEND0100", "食品安全问题",
                "码头李村某超市销售过期食品，存在食品安全隐患。", "冀州区码头李镇码头李村"));
        HttpResponse<String> original = send(WORKORDERS, body, ts, nonce);
        assertThat(original.statusCode()).isEqualTo(200);
        String appealId = Platform12345.JSON.readTree(original.body()).path("data").path("appealId").asText();
        String caseId = resolve(appealId);

        // Played back, byte for byte, while its timestamp is still inside the window.
        HttpResponse<String> replay = send(WORKORDERS, body, ts, nonce);
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(Platform12345.JSON.readTree(replay.body()).path("data").path("appealId").asText()).isEqualTo(appealId);
        // Re-sent by the platform with a fresh nonce: the same.
        assertThat(platform.push(hub.url(""), Platform12345.JSON.readValue(body, Map.class)).appealId()).isEqualTo(appealId);
        assertStaysResolved(caseId);
        assertThat(hub.bean(RawItemStore.class).bySource("hotline12345", "GDRESEND0100"))
                .extracting(RawItemStore.RawItem::status).containsExactly("ACCEPTED", "DUPLICATE", "DUPLICATE");
    }

    @Test
    void anOrderPulledAgainAfterItsResultIsSignedAgainAndReopensNothing() {
        await().atMost(Duration.ofSeconds(20)).until(() -> cases.appealIdBySource("hotline12345", PULLED).isPresent());
        String caseId = resolve(cases.appealIdBySource("hotline12345", PULLED).orElseThrow());
        int signedBefore = signs(PULLED);
        // Two more polls list it again after 12345 had the result: each time a duplicate, signed, nothing else.
        await().atMost(Duration.ofSeconds(20)).until(() -> signs(PULLED) >= signedBefore + 2);
        assertStaysResolved(caseId);
        List<String> statuses = hub.bean(RawItemStore.class).bySource("hotline12345", PULLED).stream()
                .map(RawItemStore.RawItem::status).toList();
        assertThat(statuses.get(0)).isEqualTo("ACCEPTED");
        assertThat(statuses.subList(1, statuses.size())).hasSizeGreaterThanOrEqualTo(2).containsOnly("DUPLICATE");
    }

    @Test
    void aDissatisfiedEvaluationOfACaseStillOpenIsAComplaintForOperations() throws Exception {
        String appealId = platform.push(hub.url(""), Platform12345.order("GDCOMPLAIN01", "暖气不热",
                "官道李镇霍家庄村集中供暖暖气不热，室内只有十二度。", "冀州区官道李镇霍家庄村")).appealId();
        String caseId = awaitCase(appealId, "DISPATCHED");
        var answer = platform.evaluate(hub.url(""), Map.of("gdbh", "GDCOMPLAIN01", "myd", "不满意",
                "hfsj", "2025-04-12 10:00:00", "hfnr", "一周了还没人来修，请回电13912345678"));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.appealId()).isEqualTo(appealId);

        // Nothing to re-open: the case stays as it was, and operations have a complaint about progress.
        CaseStore.CaseRecord c = cases.findCase(caseId);
        assertThat(c.status()).hasToString("DISPATCHED");
        assertThat(c.round()).isZero();
        assertThat(cases.events(caseId)).extracting(CaseStore.CaseEvent::type)
                .containsSubsequence("evaluated", "complaint").doesNotContain("reopened");
        JsonNode list = Platform12345.JSON.readTree(ops("/ops/complaints?open=true").body());
        JsonNode complaint = find(list, caseId);
        assertThat(complaint.path("open").asBoolean()).isTrue();
        assertThat(complaint.path("satisfaction").asText()).isEqualTo("不满意");
        assertThat(complaint.path("sourceItemId").asText()).isEqualTo("GDCOMPLAIN01");
        assertThat(complaint.path("caseStatus").asText()).isEqualTo("DISPATCHED");
        assertThat(complaint.path("notes").asText()).contains("一周了还没人来修").doesNotContain("13912345678");
        assertThat(complaint.path("title").asText()).isEqualTo("暖气不热");

        // The same evaluation sent again is recorded once: one complaint.
        assertThat(platform.evaluate(hub.url(""), Map.of("gdbh", "GDCOMPLAIN01", "myd", "不满意",
                "hfsj", "2025-04-12 10:00:00", "hfnr", "一周了还没人来修，请回电13912345678")).status()).isEqualTo(200);
        assertThat(cases.events(caseId)).filteredOn(e -> "complaint".equals(e.type())).hasSize(1);

        // An operator deals with it: off the open list, in the case file under the operator's name.
        long id = complaint.path("id").asLong();
        HttpResponse<String> handled = http.send(hub.opsRequest("/ops/complaints/" + id + "/handled")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"note\":\"已督促供热公司今日上门\"}")).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(handled.statusCode()).as(handled.body()).isEqualTo(200);
        assertThat(http.send(hub.opsRequest("/ops/complaints/" + id + "/handled").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).as("handled once").isEqualTo(409);
        JsonNode open = Platform12345.JSON.readTree(ops("/ops/complaints?open=true").body());
        for (JsonNode n : open) assertThat(n.path("id").asLong()).isNotEqualTo(id);
        assertThat(cases.events(caseId)).filteredOn(e -> "complaint-handled".equals(e.type())).singleElement()
                .satisfies(e -> assertThat(e.actor()).isEqualTo(TestHub.OPERATOR));
    }

    @Test
    void operationsMayReopenAResolvedCaseWhichAReSendNeverDoes() throws Exception {
        String appealId = platform.push(hub.url(""), Platform12345.order("GDREOPEN0001", "噪音扰民",
                "冀州镇长安路某KTV夜间噪音扰民，影响休息。", "冀州区冀州镇长安路")).appealId();
        String caseId = resolve(appealId);
        TaskStore.TaskRecord first = tasks.ofCaseRound(caseId, 0).stream()
                .filter(t -> "lead".equals(String.valueOf(t.role()))).findFirst().orElseThrow();

        HttpResponse<String> viewer = http.send(hub.viewerRequest("/ops/cases/" + caseId + "/reopen")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"x\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(viewer.statusCode()).as("a viewer only looks").isEqualTo(403);
        assertThat(reopen(caseId, "").statusCode()).isEqualTo(400);

        HttpResponse<String> reopened = reopen(caseId, "市民来电称噪音仍未解决");
        assertThat(reopened.statusCode()).as(reopened.body()).isEqualTo(202);
        assertThat(cases.findCase(caseId).round()).isEqualTo(1);
        TaskStore.TaskRecord again = tasks.ofCaseRound(caseId, 1).stream()
                .filter(t -> "lead".equals(String.valueOf(t.role()))).findFirst().orElseThrow();
        assertThat(again.orgCode()).isEqualTo(first.orgCode());
        Department.json(department.awaitMessage(again.queue(), m -> again.taskId().equals(Department.property(m, "taskId"))));
        assertThat(cases.events(caseId)).filteredOn(e -> "reopened".equals(e.type())).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo(TestHub.OPERATOR);
            assertThat(e.detail()).contains("市民来电称噪音仍未解决");
        });
        assertThat(reopen(caseId, "再次").statusCode()).as("open now: nothing to re-open").isEqualTo(409);
        assertThat(reopen("CS-NOPE", "x").statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> reopen(String caseId, String reason) throws Exception {
        return http.send(hub.opsRequest("/ops/cases/" + caseId + "/reopen").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Platform12345.JSON.writeValueAsString(Map.of("reason", reason)))).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    // ---- helpers ----

    /** The department resolves the case's lead task; returns when 12345 has had the result. */
    private String resolve(String appealId) {
        String caseId = awaitCase(appealId, "DISPATCHED");
        TaskStore.TaskRecord lead = tasks.ofCaseRound(caseId, 0).stream()
                .filter(t -> "lead".equals(String.valueOf(t.role()))).findFirst().orElseThrow();
        JsonNode task = Department.json(department.awaitMessage(lead.queue(), m -> lead.taskId().equals(Department.property(m, "taskId"))));
        department.reply(task, "resolve", "已处理完毕。");
        await().atMost(Duration.ofSeconds(20)).until(() -> hub.bean(FeedbackOutbox.class).ofCase(caseId).stream()
                .anyMatch(f -> "result".equals(f.kind()) && "DONE".equals(String.valueOf(f.status()))));
        return caseId;
    }

    private void assertStaysResolved(String caseId) {
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(cases.findCase(caseId).status()).hasToString("RESOLVED");
            assertThat(cases.findCase(caseId).round()).isZero();
        });
        assertThat(tasks.ofCaseRound(caseId, 1)).as("no new task").isEmpty();
        assertThat(cases.events(caseId)).extracting(CaseStore.CaseEvent::type).doesNotContain("reopened");
    }

    private int signs(String gdbh) {
        return platform.wireMock().findAll(postRequestedFor(urlEqualTo("/api/v1/workorders/" + gdbh + "/sign"))).size();
    }

    private String awaitCase(String appealId, String status) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            String caseId = cases.caseIdOfAppeal(appealId);
            return caseId != null && status.equals(cases.findCase(caseId).status().name());
        });
        return cases.caseIdOfAppeal(appealId);
    }

    private HttpResponse<String> send(String path, byte[] body, long ts, String nonce) throws Exception {
        String timestamp = Long.toString(ts);
        return http.send(HttpRequest.newBuilder(URI.create(hub.url(path)))
                .header("Content-Type", "application/json;charset=UTF-8")
                .header("X-Timestamp", timestamp)
                .header("X-Nonce", nonce)
                .header("X-Signature", Hotline12345Signature.sign(Platform12345.SECRET, timestamp, nonce, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> ops(String path) throws Exception {
        HttpResponse<String> r = http.send(hub.viewerRequest(path).GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r;
    }

    private static JsonNode find(JsonNode list, String caseId) {
        for (JsonNode n : list) if (caseId.equals(n.path("caseId").asText())) return n;
        throw new AssertionError("no complaint for " + caseId + " in " + list);
    }
}
