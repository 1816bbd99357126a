package appealhub.production;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.store.CaseStore;
import appealhub.support.Department;
import appealhub.support.Platform12345;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production store: the same migrations and the whole loop on a real PostgreSQL
 * (127.0.0.1:5432, trust auth; .ci/run starts it when it is not running).
 */
class PostgresProfileTest {
    static final String ADMIN_URL = System.getProperty("hub.test.postgres", "jdbc:postgresql://127.0.0.1:5432/postgres");

    @Test
    void theLoopRunsOnPostgresql(@TempDir Path data) throws Exception {
        String db = "appealhub_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = DriverManager.getConnection(ADMIN_URL, "postgres", "")) {
            admin.createStatement().execute("create database " + db);
        }
        try (Platform12345 platform = new Platform12345();
             TestHub hub = new TestHub(data, platform.baseUrl(), Map.of(
                     "spring.datasource.url", ADMIN_URL.replace("/postgres", "/" + db),
                     "spring.datasource.username", "postgres",
                     "spring.datasource.password", "",
                     "hub.merge.enabled", true)).start();
             Department department = new Department(hub.brokerUrl())) {
            var order = Platform12345.streetLight("GDPG000001");
            var first = platform.push(hub.url(""), order);
            assertThat(first.status()).isEqualTo(200);
            assertThat(platform.push(hub.url(""), order).appealId()).isEqualTo(first.appealId());

            JsonNode task = department.receive("dept.D16.tasks", 15_000);
            assertThat(task.path("appeal").path("appealId").asText()).isEqualTo(first.appealId());
            CaseStore cases = hub.bean(CaseStore.class);
            String caseId = cases.caseIdOfAppeal(first.appealId());

            // Another citizen reporting the same problem joins the case (the merge index on PostgreSQL).
            var again = Platform12345.streetLight("GDPG000002");
            again.put("lxdh", "13700000002");
            String second = platform.push(hub.url(""), again).appealId();
            await().atMost(Duration.ofSeconds(15)).until(() -> caseId.equals(cases.caseIdOfAppeal(second)));

            department.reply(task, "accept", null);
            department.reply(task, "resolve", "路灯已修复。");
            await().atMost(Duration.ofSeconds(15)).until(() -> "RESOLVED".equals(String.valueOf(cases.findCase(caseId).status())));
            for (String gdbh : java.util.List.of("GDPG000001", "GDPG000002")) {
                await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> platform.wireMock().verify(1,
                        com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/api/v1/workorders/" + gdbh + "/reply"))
                                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.blzt",
                                        com.github.tomakehurst.wiremock.client.WireMock.equalTo("办结")))));
            }
            assertThat(hub.bean(org.springframework.jdbc.core.JdbcTemplate.class)
                    .queryForObject("select version()", String.class)).startsWith("PostgreSQL");
        } finally {
            try (Connection admin = DriverManager.getConnection(ADMIN_URL, "postgres", "")) {
                admin.createStatement().execute("drop database if exists " + db + " with (force)");
            }
        }
    }
}
