package appealhub.production;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.store.CaseStore;
import appealhub.store.TaskStore;
import appealhub.support.Department;
import appealhub.support.Platform12345;
import appealhub.support.ScratchPostgres;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * On PostgreSQL a failed statement aborts its whole transaction, so "insert, and catch the
 * duplicate" is no way to recognise a repeat there. A department re-sending the same replies
 * (same reply ids, as after a lost acknowledgement) must see each applied once, and nothing
 * dead-lettered.
 */
class PostgresIdempotencyTest {

    @Test
    void aReSentReplyIsAppliedOnceOnPostgresql(@TempDir Path data) throws Exception {
        try (ScratchPostgres db = new ScratchPostgres("appealhub_idem");
             Platform12345 platform = new Platform12345();
             TestHub hub = new TestHub(data, platform.baseUrl(), db.hubProperties(db.url())).start();
             Department department = new Department(hub.brokerUrl())) {
            var order = platform.push(hub.url(""), Platform12345.streetLight("GDPGIDEM01"));
            assertThat(order.status()).isEqualTo(200);
            JsonNode task = department.receive("dept.D16.tasks", 15_000);
            String accept = reply(task, "r-accept-1", "accept", null);
            String resolve = reply(task, "r-resolve-1", "resolve", "路灯已修复。");
            department.sendAs(task.path("orgCode").asText(), "hub.task.replies", accept);
            department.sendAs(task.path("orgCode").asText(), "hub.task.replies", accept);
            CaseStore cases = hub.bean(CaseStore.class);
            String caseId = cases.caseIdOfAppeal(order.appealId());
            await().atMost(Duration.ofSeconds(15)).until(() -> "ACCEPTED".equals(String.valueOf(cases.findCase(caseId).status())));
            department.sendAs(task.path("orgCode").asText(), "hub.task.replies", resolve);
            department.sendAs(task.path("orgCode").asText(), "hub.task.replies", resolve);
            await().atMost(Duration.ofSeconds(15)).until(() -> "RESOLVED".equals(String.valueOf(cases.findCase(caseId).status())));
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> platform.wireMock().verify(1,
                    postRequestedFor(urlEqualTo("/api/v1/workorders/GDPGIDEM01/reply"))
                            .withRequestBody(matchingJsonPath("$.blzt", equalTo("办结")))));
            Thread.sleep(2000); // any redelivery of the repeats would have failed by now
            assertThat(department.count("hub.dead.replies")).as("replies dead-lettered as rejected").isZero();
            assertThat(department.count("DLA::DLQ.hub.task.replies")).as("replies the broker gave up on").isZero();
            assertThat(cases.events(caseId)).filteredOn(e -> "resolved".equals(e.type())).hasSize(1);
            assertThat(cases.events(caseId)).filteredOn(e -> "accepted".equals(e.type())).hasSize(1);
            platform.wireMock().verify(1, postRequestedFor(urlEqualTo("/api/v1/workorders/GDPGIDEM01/reply"))
                    .withRequestBody(matchingJsonPath("$.blzt", equalTo("办理中"))));

            // The repeat is recognised inside the reply's transaction, which must stay usable after it
            // (a co-organisation's repeated resolve goes on to read the case).
            TaskStore tasks = hub.bean(TaskStore.class);
            String afterRepeat = hub.bean(TransactionTemplate.class).execute(status -> {
                assertThat(tasks.markReplyApplied("r-resolve-1", task.path("taskId").asText())).isFalse();
                return cases.findCase(caseId).status().name();
            });
            assertThat(afterRepeat).isEqualTo("RESOLVED");
        }
    }

    private static String reply(JsonNode task, String replyId, String type, String text) {
        return "{\"replyId\":\"" + replyId + "\",\"taskId\":\"" + task.path("taskId").asText() + "\",\"orgCode\":\""
                + task.path("orgCode").asText() + "\",\"type\":\"" + type + "\""
                + (text == null ? "" : ",\"text\":\"" + text + "\"") + "}";
    }
}
