package appealhub.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.store.CaseStore;
import appealhub.support.Department;
import appealhub.support.Platform12345;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole hub with the placement classifier and a fake learned model: 12345 orders in, tasks or
 * triage out; the operator's triage decision over REST (tasks, case-file event, labelled row);
 * the routing rules reloaded on command; the explanation in the case file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlacementHubTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();

    TestHub hub;
    Platform12345 platform;
    Department department;
    Path rules;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path data) throws Exception {
        rules = data.resolveSibling(data.getFileName() + "-routing-rules.yaml");
        Files.copy(Path.of("config/routing-rules.yaml"), rules);
        platform = new Platform12345();
        hub = new TestHub(data, platform.baseUrl(), Map.of(
                "spring.main.sources", FakeTopicModelConfig.class.getName(),
                "hub.classifier.routing-rules", rules.toString(),
                // only the command reloads in this test (the automatic look is PlacementClassifierTest's)
                "hub.classifier.rules-check-ms", 3_600_000)).start();
        department = new Department(hub.brokerUrl());
    }

    @AfterAll
    void stop() {
        if (department != null) department.close();
        if (hub != null) hub.close();
        if (platform != null) platform.close();
    }

    @Test
    void theClassifiedEventExplainsThePlacement() {
        String appealId = push("GDPL0001", "工厂冒黑烟", "码头李村东边的工厂晚上往外冒黑烟，气味刺鼻。", "冀州区码头李镇码头李村");
        JsonNode task = taskFor("dept.D14.tasks", appealId);
        assertThat(task.path("topic").asText()).isEqualTo("环境保护");
        assertThat(task.path("townshipCode").asText()).isEqualTo("T05");
        String detail = event(appealId, "classified");
        assertThat(detail).contains("\"model\":\"fake-1\"").contains("\"classScores\":{\"环境保护\":0.85")
                .contains("\"rule\":\"class-default:环境保护\"").contains("\"township.evidence\":\"address\"")
                .contains("\"confidences\":{\"category\"");
    }

    @Test
    void anUnsureAppealGoesToTriageAndTheOperatorsDecisionDispatchesItAndBecomesLabelledHistory() throws Exception {
        String appealId = push("GDPL0002", "反映一个问题", "【低】希望有关部门关注一下冀州镇的这个事情。", "冀州区冀州镇");
        JsonNode triage = triageFor(appealId);
        assertThat(triage.path("reason").asText()).isEqualTo("unplaced");
        assertThat(triage.path("suggestion").path("triageReason").asText()).startsWith("low-confidence");
        assertThat(triage.path("suggestion").path("suggestions").get(0).path("leadOrg").asText()).isEqualTo("D07");
        String caseId = hub.bean(CaseStore.class).caseIdOfAppeal(appealId);
        assertThat(hub.bean(CaseStore.class).findCase(caseId).status()).hasToString("TRIAGE");
        assertThat(event(appealId, "triage")).contains("low-confidence: 0.30 < 0.75");

        // Refused: unknown department, unknown class; a viewer may look but not place.
        assertThat(post("/ops/triage/" + caseId, Map.of("category", "民生服务", "topic", "城乡建设", "leadOrg", "D99"))
                .statusCode()).isEqualTo(400);
        assertThat(post("/ops/triage/" + caseId, Map.of("category", "民生服务", "topic", "天文", "leadOrg", "D07"))
                .statusCode()).isEqualTo(400);
        assertThat(http.send(hub.viewerRequest("/ops/triage/" + caseId).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("category", "民生服务",
                        "topic", "城乡建设", "leadOrg", "D07")))).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(403);

        // The operator is the logged-in user, whatever name the body carries.
        HttpResponse<String> placed = post("/ops/triage/" + caseId, Map.of("category", "民生服务", "topic", "城乡建设",
                "leadOrg", "D16", "coOrgs", List.of("T01"), "townshipCode", "T01", "operator", "王某"));
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(200);
        JsonNode task = taskFor("dept.D16.tasks", appealId);
        assertThat(task.path("role").asText()).isEqualTo("lead");
        assertThat(task.path("category").asText()).isEqualTo("民生服务");
        assertThat(task.path("topic").asText()).isEqualTo("城乡建设");
        assertThat(task.path("townshipCode").asText()).isEqualTo("T01");
        assertThat(taskFor("township.T01.tasks", appealId).path("role").asText()).isEqualTo("co");
        CaseStore.CaseRecord c = hub.bean(CaseStore.class).findCase(caseId);
        assertThat(c.status()).hasToString("DISPATCHED");
        assertThat(c.leadDept()).isEqualTo("D16");
        assertThat(hub.bean(CaseStore.class).events(caseId)).filteredOn(e -> e.type().equals("triaged")).singleElement()
                .satisfies(e -> {
                    assertThat(e.actor()).isEqualTo(TestHub.OPERATOR);
                    assertThat(e.detail()).contains("\"lead\":\"D16\"").contains("\"topic\":\"城乡建设\"");
                });

        Path csv = hub.dataDir.resolve("labelled/decisions.csv");
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertThat(lines.get(0)).isEqualTo("id,user,title,time,content,label");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("\"" + appealId + "\",\"hotline12345\",\"反映一个问题\",\"2025/4/9 8:31:02\"")
                .endsWith(",\"城乡建设\""));
        assertThat(Files.readString(csv)).doesNotContain("13800000000");

        // Placed once: a second decision is refused.
        assertThat(post("/ops/triage/" + caseId, Map.of("category", "民生服务", "topic", "城乡建设", "leadOrg", "D07"))
                .statusCode()).isEqualTo(409);
    }

    @Test
    void aTownshipsMatterWithoutATownshipGoesToTriage() {
        String appealId = push("GDPL0003", "老戏台", "村里的老戏台年久失修，屋檐掉瓦，希望有人来看看。", "冀州区");
        JsonNode triage = triageFor(appealId);
        assertThat(triage.path("suggestion").path("triageReason").asText()).startsWith("township-unknown");
        assertThat(event(appealId, "triage")).contains("township-unknown");
        assertThat(event(appealId, "classified")).contains("\"township.evidence\":\"none\"");
    }

    @Test
    void rulesReloadOnCommandAndABrokenFileKeepsTheOldRules() throws Exception {
        String good = Files.readString(rules);
        write(good + """
                  - name: old-stage-to-culture
                    any: [戏台]
                    lead: D23
                """);
        HttpResponse<String> ok = post("/ops/routing/reload", Map.of());
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(JSON.readTree(ok.body()).path("status").path("rules").toString()).contains("old-stage-to-culture");
        String appealId = push("GDPL0004", "老戏台", "村里的老戏台年久失修，屋檐掉瓦。", "冀州区小寨乡小寨村");
        assertThat(taskFor("dept.D23.tasks", appealId).path("townshipCode").asText()).isEqualTo("T10");
        assertThat(event(appealId, "classified")).contains("override:old-stage-to-culture");

        write("rules:\n  - name: broken\n    any: [戏台]\n    lead: D99\n");
        HttpResponse<String> refused = post("/ops/routing/reload", Map.of());
        assertThat(refused.statusCode()).isEqualTo(422);
        JsonNode r = JSON.readTree(refused.body());
        assertThat(r.path("ok").asBoolean()).isFalse();
        assertThat(r.path("error").asText()).contains("unknown lead D99");
        assertThat(r.path("status").path("rules").toString()).contains("old-stage-to-culture");
        String again = push("GDPL0005", "老戏台", "村里的老戏台年久失修，屋檐掉瓦。", "冀州区小寨乡魏家庄村");
        assertThat(taskFor("dept.D23.tasks", again)).isNotNull();
        assertThat(get("/ops/routing")).contains("unknown lead D99").contains("old-stage-to-culture");
        write(good);
        assertThat(post("/ops/routing/reload", Map.of()).statusCode()).isEqualTo(200);
    }

    // ---- helpers ----

    private String push(String gdbh, String title, String content, String address) {
        var answer = platform.push(hub.url(""), Platform12345.order(gdbh, title, content, address));
        assertThat(answer.status()).isEqualTo(200);
        return answer.appealId();
    }

    private JsonNode taskFor(String queue, String appealId) {
        long until = System.currentTimeMillis() + WAIT.toMillis();
        while (System.currentTimeMillis() < until) {
            JsonNode t = department.receive(queue, 2000);
            if (t != null && t.path("appeal").path("appealId").asText().equals(appealId)) return t;
        }
        throw new AssertionError("no task for " + appealId + " on " + queue);
    }

    private JsonNode triageFor(String appealId) {
        long until = System.currentTimeMillis() + WAIT.toMillis();
        while (System.currentTimeMillis() < until) {
            JsonNode t = department.receive("hub.triage", 2000);
            if (t != null && t.path("appealIds").get(0).asText().equals(appealId)) return t;
        }
        throw new AssertionError("no triage entry for " + appealId);
    }

    private String event(String appealId, String type) {
        CaseStore cases = hub.bean(CaseStore.class);
        String caseId = cases.caseIdOfAppeal(appealId);
        await().atMost(WAIT).until(() -> cases.events(caseId).stream().anyMatch(e -> e.type().equals(type)));
        return cases.events(caseId).stream().filter(e -> e.type().equals(type)).findFirst().orElseThrow().detail();
    }

    private void write(String yaml) throws Exception {
        FileTime before = Files.getLastModifiedTime(rules);
        Files.writeString(rules, yaml);
        Files.setLastModifiedTime(rules, FileTime.fromMillis(Math.max(System.currentTimeMillis(), before.toMillis() + 1000)));
    }

    private HttpResponse<String> post(String path, Object body) throws Exception {
        return http.send(hub.opsRequest(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String get(String path) throws Exception {
        return http.send(hub.opsRequest(path).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
