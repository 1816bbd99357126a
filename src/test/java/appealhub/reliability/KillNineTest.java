package appealhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.support.Department;
import appealhub.support.ForkedHub;
import appealhub.support.OrderLoad;
import appealhub.support.Platform12345;
import appealhub.support.StandaloneArtemis;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The guard of the hub's central promise in every build: a hub in its own JVM is killed with
 * SIGKILL while 12345 orders are being pushed, and again while they are being placed; it is
 * started again on the same data each time. Nothing it answered may be lost, no case may stay
 * unplaced, and each department task reaches its queue exactly once.
 */
class KillNineTest {
    @Test
    void killedUnderLoadTheHubLosesNoAnsweredOrderAndSendsEachTaskOnce(@TempDir Path data) throws Exception {
        int orders = 480;
        try (Platform12345 platform = new Platform12345();
             ForkedHub hub = new ForkedHub(data, platform.baseUrl(), Map.of(
                     "hub.intake.recovery-after-seconds", 3,
                     "hub.intake.recovery-period-ms", 1000))) {
            hub.start();
            OrderLoad load = new OrderLoad(platform, hub.url(""), "GDKILL", orders, 4, answer -> { });
            Map<String, String> answered = load.answered();
            // First kill while orders are being pushed and answered.
            await().atMost(Duration.ofSeconds(120)).until(() -> answered.size() >= orders / 3);
            hub.kill();
            int answeredAtFirstKill = answered.size();
            hub.start();
            assertThat(load.awaitAllTaken(Duration.ofSeconds(180))).isTrue();
            // Second kill right after the last answer, while the pipeline is still placing them.
            hub.kill();
            hub.start();
            assertThat(answered).hasSize(orders);
            assertThat(answeredAtFirstKill).isLessThan(orders);

            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                JsonNode stats = Platform12345.JSON.readTree(http.send(hub.opsRequest("/ops/stats").build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                return stats.path("casesByStatus").path("RECEIVED").asInt(0) == 0
                        && stats.path("casesByStatus").size() > 0;
            });
            Thread.sleep(4000); // a recovery pass for tasks whose send was cut off

            List<String> taskMessages = new ArrayList<>();
            Set<String> triaged = new HashSet<>();
            try (Department departments = new Department(hub.brokerUrl())) {
                for (String queue : StandaloneArtemis.taskQueues()) {
                    for (JsonNode t : departments.drain(queue, 50)) taskMessages.add(t.path("taskId").asText());
                }
                for (JsonNode t : departments.drain("hub.triage", 300)) triaged.add(t.path("caseId").asText());
            }
            hub.close();

            JdbcTemplate db = new JdbcTemplate(new DriverManagerDataSource("jdbc:h2:file:" + data.resolve("db/hub")
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", "hub", ""));
            Set<String> stored = new HashSet<>(db.queryForList("select appeal_id from appeal", String.class));
            List<String> lost = answered.values().stream().filter(id -> !stored.contains(id)).toList();
            assertThat(lost).as("answered orders missing after kill -9 (%d answered at the first kill)", answeredAtFirstKill)
                    .isEmpty();
            assertThat(db.queryForObject("select count(*) from appeal", Integer.class)).as("one appeal per order").isEqualTo(orders);
            assertThat(db.queryForObject("select count(*) from hub_case where status = 'RECEIVED'", Integer.class))
                    .as("cases stuck unplaced").isZero();
            assertThat(taskMessages).as("each task message once").doesNotHaveDuplicates();
            assertThat(new HashSet<>(taskMessages)).as("every stored task on its queue")
                    .isEqualTo(new HashSet<>(db.queryForList("select task_id from task", String.class)));
            List<String> twoLeads = db.queryForList("select case_id from task where role = 'lead' "
                    + "group by case_id, round having count(*) > 1", String.class);
            assertThat(twoLeads).as("cases with two leads: %s", evidence(db, data, twoLeads)).isEmpty();
            int leads = db.queryForObject("select count(distinct case_id) from task where role = 'lead'", Integer.class);
            assertThat(leads + triaged.size()).as("each order placed once: a lead task or a triage entry").isEqualTo(orders);
        }
    }

    /** What a failed run leaves for its reader: the cases' tasks and events, and the hub logs kept in target/. */
    private static String evidence(JdbcTemplate db, Path data, List<String> caseIds) {
        if (caseIds.isEmpty()) return "";
        StringBuilder out = new StringBuilder();
        for (String caseId : caseIds) {
            out.append("\n").append(caseId).append(" tasks ").append(db.queryForList(
                    "select task_id, org_code, status, queued_at, created_at from task where case_id = ?", caseId));
            out.append("\n").append(caseId).append(" events ").append(db.queryForList(
                    "select type, actor, detail, at from case_event where case_id = ? order by id", caseId));
        }
        try {
            Path kept = Path.of("target", "kill-nine-logs");
            java.nio.file.Files.createDirectories(kept);
            try (var logs = java.nio.file.Files.list(data)) {
                for (Path log : logs.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                    java.nio.file.Files.copy(log, kept.resolve(log.getFileName()),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            out.append("\nhub logs kept in ").append(kept.toAbsolutePath());
        } catch (java.io.IOException e) {
            out.append("\nhub logs not kept: ").append(e);
        }
        return out.toString();
    }
}
