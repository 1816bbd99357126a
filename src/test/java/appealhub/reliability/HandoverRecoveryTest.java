package appealhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.support.Department;
import appealhub.support.Platform12345;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The safety net behind the hand-overs made after a commit: a lost hand-over is made again under
 * a fresh duplicate id (the broker's duplicate check must not swallow it), a case that never gets
 * through is parked where operations see it, and a task stored without its message is sent once.
 */
class HandoverRecoveryTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void lostHandOversAreRetriedUnderFreshIdsThenParkedForOperations(@TempDir Path data) throws Exception {
        try (Platform12345 platform = new Platform12345();
             TestHub hub = new TestHub(data, platform.baseUrl(), Map.of(
                     "hub.intake.recovery-after-seconds", 1,
                     "hub.intake.recovery-period-ms", 300,
                     "hub.intake.max-handover-attempts", 2)).start();
             Department broker = new Department(hub.brokerUrl())) {
            hub.bean(CamelContext.class).getRouteController().stopRoute("dispatch");
            List<String> appealIds = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                var answer = platform.push(hub.url(""), Platform12345.streetLight("GDHANDOVER" + i));
                assertThat(answer.status()).isEqualTo(200);
                appealIds.add(answer.appealId());
            }
            JdbcTemplate jdbc = hub.bean(JdbcTemplate.class);
            // Every hand-over is taken off hub.intake and lost (as when placement's work vanished):
            // the first one and each attempt of the recovery, until the cases are parked.
            List<String> duplicateIds = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                var m = broker.receiveMessage("hub.intake", 200);
                if (m != null) duplicateIds.add(Department.property(m, "_AMQ_DUPL_ID"));
                return jdbc.queryForObject("select count(*) from hub_case where parked_at is not null", Integer.class) == 3;
            });
            for (var m = broker.receiveMessage("hub.intake", 500); m != null; m = broker.receiveMessage("hub.intake", 500)) {
                duplicateIds.add(Department.property(m, "_AMQ_DUPL_ID"));
            }
            assertThat(duplicateIds).as("first hand-over and two recovery attempts per case, each under its own id")
                    .hasSize(9).doesNotHaveDuplicates();

            var parked = HTTP.send(hub.opsRequest("/ops/parked").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(parked.statusCode()).isEqualTo(200);
            JsonNode list = Platform12345.JSON.readTree(parked.body());
            assertThat(list).hasSize(3);
            assertThat(list.get(0).path("attempts").asInt()).isEqualTo(2);
            assertThat(list.get(0).path("reason").asText()).contains("not placed after 2 hand-overs");
            var dashboard = HTTP.send(hub.opsRequest("/ops/dashboard").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(Platform12345.JSON.readTree(dashboard.body()).path("totals").path("parked").asInt()).isEqualTo(3);
            String caseId = list.get(0).path("caseId").asText();
            var file = HTTP.send(hub.opsRequest("/ops/cases/" + caseId).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(file.body()).contains("\"parked\"");

            // A viewer may not act; an operator hands each one over again once placement works.
            var viewerTry = HTTP.send(hub.viewerRequest("/ops/parked/" + caseId + "/retry")
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(viewerTry.statusCode()).isEqualTo(403);
            hub.bean(CamelContext.class).getRouteController().startRoute("dispatch");
            for (JsonNode p : list) {
                var retry = HTTP.send(hub.opsRequest("/ops/parked/" + p.path("caseId").asText() + "/retry")
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(retry.statusCode()).isEqualTo(202);
            }
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    jdbc.queryForObject("select count(*) from hub_case where status = 'RECEIVED'", Integer.class) == 0);
            assertThat(HTTP.send(hub.opsRequest("/ops/parked").build(), HttpResponse.BodyHandlers.ofString()).body())
                    .isEqualTo("[]");
            var again = HTTP.send(hub.opsRequest("/ops/parked/" + caseId + "/retry")
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(again.statusCode()).as("only a parked case can be retried").isEqualTo(409);
        }
    }

    @Test
    void aTaskStoredWithoutItsMessageIsSentOnceByTheRecovery(@TempDir Path data) throws Exception {
        try (Platform12345 platform = new Platform12345();
             TestHub hub = new TestHub(data, platform.baseUrl(), Map.of(
                     "hub.intake.recovery-after-seconds", 1,
                     "hub.intake.recovery-period-ms", 300)).start();
             Department departments = new Department(hub.brokerUrl())) {
            var answer = platform.push(hub.url(""), Platform12345.streetLight("GDTASKLOST"));
            assertThat(answer.status()).isEqualTo(200);
            JdbcTemplate jdbc = hub.bean(JdbcTemplate.class);
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    jdbc.queryForObject("select count(*) from task where queued_at is not null", Integer.class) == 1);
            Map<String, Object> sent = jdbc.queryForMap("select * from task");
            String queue = (String) sent.get("queue");
            assertThat(departments.drain(queue, 500)).hasSize(1);

            // The state a crash leaves between the commit of a new task and its send: a row, no message.
            String lostTask = "TKLOSTSEND000001";
            String org = "D01".equals(sent.get("org_code")) ? "D02" : "D01";
            jdbc.update("insert into task (task_id, case_id, org_code, queue, role, round, status, deadline, created_at, "
                            + "updated_at) values (?,?,?,?, 'co', ?, 'SENT', ?, ?, ?)", lostTask, sent.get("case_id"), org,
                    "dept." + org + ".tasks", sent.get("round"), sent.get("deadline"), sent.get("created_at"), sent.get("created_at"));
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    jdbc.queryForObject("select count(*) from task where queued_at is null", Integer.class) == 0);
            Thread.sleep(1500); // several more recovery passes
            List<JsonNode> received = departments.drain("dept." + org + ".tasks", 1000);
            Set<String> ids = new HashSet<>();
            for (JsonNode t : received) ids.add(t.path("taskId").asText());
            assertThat(received).as("the lost task once on its queue").hasSize(1);
            assertThat(ids).containsExactly(lostTask);
            assertThat(departments.drain(queue, 500)).as("the task that was sent is not sent again").isEmpty();
        }
    }
}
