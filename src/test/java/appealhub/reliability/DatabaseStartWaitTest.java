package appealhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.support.CuttableProxy;
import appealhub.support.Platform12345;
import appealhub.support.ScratchPostgres;
import appealhub.support.TestHub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub is started while PostgreSQL cannot be reached: it neither exits nor refuses
 * connections. It answers 503 with a DOWN health document while it waits, and starts (and takes
 * pushes) as soon as the database is there.
 */
class DatabaseStartWaitTest {

    @Test
    void aHubStartedWithoutItsDatabaseWaitsShowsDownAndStartsWhenItComes(@TempDir Path data) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (ScratchPostgres db = new ScratchPostgres("appealhub_wait");
             CuttableProxy postgres = new CuttableProxy(5432);
             Platform12345 platform = new Platform12345()) {
            postgres.cut();
            TestHub hub = new TestHub(data, platform.baseUrl(), TestHub.with(db.hubProperties(db.urlThroughPort(postgres.port())),
                    Map.of("spring.datasource.hikari.connection-timeout", 1000, "hub.database.wait-retry-ms", 500)));
            CompletableFuture<TestHub> started = CompletableFuture.supplyAsync(hub::start);
            try {
                HttpRequest health = HttpRequest.newBuilder(URI.create(hub.url("/actuator/health"))).build();
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
                        http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() == 503);
                var waiting = http.send(health, HttpResponse.BodyHandlers.ofString());
                assertThat(waiting.body()).contains("\"status\":\"DOWN\"").contains("waits for its database");
                var push = platform.push(hub.url(""), Platform12345.streetLight("GDWAIT-DURING"));
                assertThat(push.status()).as("a push while the hub waits is not taken").isEqualTo(503);
                Thread.sleep(3000);
                assertThat(started).as("still waiting, not exited").isNotDone();

                postgres.restore();
                started.get(90, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
                var again = platform.push(hub.url(""), Platform12345.streetLight("GDWAIT-DURING"));
                assertThat(again.status()).isEqualTo(200);
                assertThat(again.appealId()).startsWith("AP");
            } finally {
                started.cancel(true);
                hub.stop();
            }
        }
    }
}
