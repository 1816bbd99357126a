package appealhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.support.Department;
import appealhub.support.HandOverAudit;
import appealhub.support.ForkedHub;
import appealhub.support.OrderLoad;
import appealhub.support.Platform12345;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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
            Thread.sleep(6000); // a recovery pass (every 1 s, after 3 s) for tasks whose send was cut off

            HandOverAudit audit;
            try (Department departments = new Department(hub.brokerUrl())) {
                audit = HandOverAudit.drain(departments);
            }
            hub.close();

            JdbcTemplate db = new JdbcTemplate(new DriverManagerDataSource("jdbc:h2:file:" + data.resolve("db/hub")
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", "hub", ""));
            System.out.printf("kill -9: %d of %d orders answered at the first kill%n", answeredAtFirstKill, orders);
            audit.assertEachOrderHandedOverOnce(db, answered.values(), orders, null, 0, data);
        }
    }
}
