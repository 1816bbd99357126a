package appealhub.hotline12345;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.connectors.hotline12345.Hotline12345Client;
import appealhub.store.CaseStore;
import appealhub.store.FeedbackOutbox;
import appealhub.support.Department;
import appealhub.support.Platform12345;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Feedback when 12345 is down, rate-limiting or says it already has the reply. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Hotline12345OutageTest {
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
    void whileTwelve345IsDownTheResultWaitsAndArrivesExactlyOnceWhenItIsBack() {
        var answer = platform.push(hub.url(""), Platform12345.order("GD20250409001001", "停水",
                "南关村停水两天了，一直没有来水。", "冀州区冀州镇南关村"));
        JsonNode task = department.receive("dept.D43.tasks", 15_000);
        assertThat(task).isNotNull();
        department.reply(task, "accept", null);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> platform.wireMock().verify(1,
                postRequestedFor(urlEqualTo("/api/v1/workorders/GD20250409001001/reply"))));

        String caseId = hub.bean(CaseStore.class).caseIdOfAppeal(answer.appealId());
        FeedbackOutbox outbox = hub.bean(FeedbackOutbox.class);
        CircuitBreaker breaker = hub.bean(Hotline12345Client.class).circuitBreaker();
        platform.stop();
        try {
            department.reply(task, "resolve", "已抢修管道，恢复供水。");
            // Failing calls are retried, then the circuit opens and leaves the platform alone for a while.
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> breaker.getState() == CircuitBreaker.State.OPEN);
            // The breaker counts a failure inside the call, before the dispatcher writes the attempt down.
            await().atMost(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() -> {
                FeedbackOutbox.Item pending = result(outbox.ofCase(caseId));
                assertThat(pending.status()).hasToString("PENDING");
                assertThat(pending.attempts()).isGreaterThanOrEqualTo(1);
                assertThat(pending.lastError()).isNotBlank();
            });
        } finally {
            platform.start(); // also after a failed assertion, so the other tests find the platform up
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> platform.wireMock().verify(1,
                postRequestedFor(urlEqualTo("/api/v1/workorders/GD20250409001001/reply"))
                        .withRequestBody(matchingJsonPath("$.blzt", equalTo("办结")))
                        .withRequestBody(matchingJsonPath("$.bljg", equalTo("已抢修管道，恢复供水。")))));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).untilAsserted(() -> platform.wireMock().verify(1,
                postRequestedFor(urlEqualTo("/api/v1/workorders/GD20250409001001/reply"))));
        assertThat(result(outbox.ofCase(caseId)).status()).hasToString("DONE");
    }

    @Test
    void a429IsRetriedOnlyAfterRetryAfter() {
        // The mock platform rate-limits replies for orders ending in 4290, with Retry-After: 30.
        var answer = platform.push(hub.url(""), Platform12345.order("GD2025040904290", "噪音扰民",
                "楼下商铺夜间噪音扰民，影响休息。", "冀州区冀州镇信都社区"));
        JsonNode task = department.receive("dept.D02.tasks", 15_000);
        assertThat(task).isNotNull();
        Instant accepted = Instant.now();
        department.reply(task, "accept", null);
        String caseId = hub.bean(CaseStore.class).caseIdOfAppeal(answer.appealId());
        FeedbackOutbox outbox = hub.bean(FeedbackOutbox.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> !outbox.ofCase(caseId).isEmpty()
                && outbox.ofCase(caseId).get(0).attempts() == 1);
        FeedbackOutbox.Item item = outbox.ofCase(caseId).get(0);
        assertThat(item.status()).hasToString("PENDING");
        assertThat(item.lastError()).contains("429");
        assertThat(item.nextAttemptAt()).isAfter(accepted.plusSeconds(25));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).untilAsserted(() -> platform.wireMock().verify(1,
                postRequestedFor(urlEqualTo("/api/v1/workorders/GD2025040904290/reply"))));
    }

    @Test
    void anAlreadyRepliedAnswer40901CountsAsDelivered() {
        var answer = platform.push(hub.url(""), Platform12345.order("GD2025040909901", "公交站点",
                "建议增设公交站点。", "冀州区周村镇张庄村"));
        JsonNode task = department.receive("dept.D15.tasks", 15_000);
        assertThat(task).isNotNull();
        department.reply(task, "accept", null);
        String caseId = hub.bean(CaseStore.class).caseIdOfAppeal(answer.appealId());
        FeedbackOutbox outbox = hub.bean(FeedbackOutbox.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> !outbox.ofCase(caseId).isEmpty()
                && "DONE".equals(String.valueOf(outbox.ofCase(caseId).get(0).status())));
        assertThat(hub.bean(CaseStore.class).events(caseId)).anyMatch(e -> "fed-back".equals(e.type())
                && e.detail().contains("40901"));
    }

    @Test
    void aReplyThatTimesOutIsSentAgain() {
        // The platform hangs on the first reply for this order (longer than the hub's 2 s response time-out).
        platform.wireMock().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo("/api/v1/workorders/GD20250409001111/reply"))
                .inScenario("slow").whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .atPriority(1).willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson("{\"code\":0}").withFixedDelay(4000))
                .willSetStateTo("fast"));
        var answer = platform.push(hub.url(""), Platform12345.order("GD20250409001111", "燃气费",
                "燃气费收费标准咨询。", "冀州区门庄乡门庄村"));
        JsonNode task = department.receive("dept.D42.tasks", 15_000);
        assertThat(task).isNotNull();
        department.reply(task, "accept", null);
        String caseId = hub.bean(CaseStore.class).caseIdOfAppeal(answer.appealId());
        FeedbackOutbox outbox = hub.bean(FeedbackOutbox.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> !outbox.ofCase(caseId).isEmpty()
                && "DONE".equals(String.valueOf(outbox.ofCase(caseId).get(0).status())));
        assertThat(outbox.ofCase(caseId).get(0).attempts()).isEqualTo(2);
        platform.wireMock().verify(2, postRequestedFor(urlEqualTo("/api/v1/workorders/GD20250409001111/reply")));
    }

    private static FeedbackOutbox.Item result(List<FeedbackOutbox.Item> items) {
        return items.stream().filter(i -> "result".equals(i.kind())).findFirst().orElseThrow();
    }
}
