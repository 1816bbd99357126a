package appealhub.cluster;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.support.Platform12345;
import appealhub.support.TestHub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two whole hubs on one PostgreSQL database (127.0.0.1:5432, as PostgresProfileTest), each
 * with its own broker and data folder, both with the 12345 pull on against one platform: only
 * the instance holding the lease polls; when it stops, the other takes over and polls.
 */
class LeaderElectionTest {
    static final String ADMIN_URL = System.getProperty("hub.test.postgres", "jdbc:postgresql://127.0.0.1:5432/postgres");
    static final int LEASE_SECONDS = 3;

    @Test
    void onlyTheLeaderPollsAndTheOtherTakesOverWhenItStops(@TempDir Path dataA, @TempDir Path dataB) throws Exception {
        String db = "appealhub_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = DriverManager.getConnection(ADMIN_URL, "postgres", "")) {
            admin.createStatement().execute("create database " + db);
        }
        try (Platform12345 platform = new Platform12345()) {
            var wm = platform.wireMock();
            wm.stubFor(get(urlPathEqualTo("/api/v1/workorders/pending")).atPriority(1).willReturn(aResponse()
                    .withStatus(200).withHeader("Content-Type", "application/json")
                    .withBody("{\"code\":0,\"msg\":\"ok\",\"data\":{\"page\":1,\"size\":50,\"total\":0,\"records\":[]}}")));
            try (TestHub a = hub(dataA, platform, db, "hub-a").start();
                 TestHub b = hub(dataB, platform, db, "hub-b").start()) {
                // hub-a started first and took every lease at its start; hub-b waits.
                assertThat(status(a, "hotline12345-pull")).isEqualTo(ServiceStatus.Started);
                assertThat(status(a, "supervision-inbox")).isEqualTo(ServiceStatus.Started);
                assertThat(status(b, "hotline12345-pull")).isEqualTo(ServiceStatus.Stopped);
                assertThat(status(b, "supervision-inbox")).isEqualTo(ServiceStatus.Stopped);
                // Routes safe on several instances run on both.
                assertThat(status(b, "hotline12345-push")).isEqualTo(ServiceStatus.Started);
                assertThat(status(b, "feedback-hotline12345")).isEqualTo(ServiceStatus.Started);
                // One WeChat token and one pace for the board: their calls come from the lease holder only.
                assertThat(status(a, "feedback-wechat")).isEqualTo(ServiceStatus.Started);
                assertThat(status(a, "feedback-leaderboard")).isEqualTo(ServiceStatus.Started);
                assertThat(status(b, "feedback-wechat")).isEqualTo(ServiceStatus.Stopped);
                assertThat(status(b, "feedback-leaderboard")).isEqualTo(ServiceStatus.Stopped);
                await().atMost(Duration.ofSeconds(10)).until(() -> pulls(platform) >= 2);
                // A waiting instance is healthy: its stopped pollers are not reported as down.
                HttpResponse<String> health = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create(b.url("/actuator/health"))).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.body()).startsWith("{\"status\":\"UP\"");

                // Over several renewals nothing changes hands.
                await().during(Duration.ofSeconds(LEASE_SECONDS)).atMost(Duration.ofSeconds(LEASE_SECONDS + 2))
                        .until(() -> status(b, "hotline12345-pull") == ServiceStatus.Stopped
                                && status(a, "hotline12345-pull") == ServiceStatus.Started);
                JdbcTemplate jdbc = b.bean(JdbcTemplate.class);
                assertThat(jdbc.queryForList("select distinct holder from cluster_lease", String.class))
                        .containsExactly("hub-a");

                a.stop();
                // hub-a released its leases on the way out: hub-b takes over at its next round.
                await().atMost(Duration.ofSeconds(2L * LEASE_SECONDS)).until(() ->
                        status(b, "hotline12345-pull") == ServiceStatus.Started
                                && status(b, "supervision-inbox") == ServiceStatus.Started
                                && status(b, "feedback-wechat") == ServiceStatus.Started
                                && status(b, "feedback-leaderboard") == ServiceStatus.Started);
                int before = pulls(platform);
                await().atMost(Duration.ofSeconds(10)).until(() -> pulls(platform) > before);
                assertThat(jdbc.queryForList("select distinct holder from cluster_lease", String.class))
                        .containsExactly("hub-b");
            }
        } finally {
            try (Connection admin = DriverManager.getConnection(ADMIN_URL, "postgres", "")) {
                admin.createStatement().execute("drop database if exists " + db + " with (force)");
            }
        }
    }

    static TestHub hub(Path data, Platform12345 platform, String db, String nodeId) {
        // Two hubs in one JVM: their MBeans need distinct names.
        return new TestHub(data, platform.baseUrl(), Map.ofEntries(
                Map.entry("spring.jmx.unique-names", true),
                Map.entry("camel.main.jmx-management-name-pattern", "#name#-" + nodeId),
                Map.entry("spring.datasource.url", ADMIN_URL.replace("/postgres", "/" + db)),
                Map.entry("spring.datasource.username", "postgres"),
                Map.entry("spring.datasource.password", ""),
                Map.entry("hub.cluster.node-id", nodeId),
                Map.entry("hub.cluster.lease-seconds", LEASE_SECONDS),
                Map.entry("hub.channels.hotline12345.pull.enabled", true),
                Map.entry("hub.channels.hotline12345.pull.initial-delay-ms", 0),
                Map.entry("hub.channels.hotline12345.pull.interval-ms", 500)));
    }

    static ServiceStatus status(TestHub hub, String routeId) {
        return hub.bean(CamelContext.class).getRouteController().getRouteStatus(routeId);
    }

    static int pulls(Platform12345 platform) {
        return platform.wireMock().findAll(getRequestedFor(urlPathEqualTo("/api/v1/workorders/pending"))).size();
    }
}
