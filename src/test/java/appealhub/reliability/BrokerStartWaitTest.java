package appealhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.support.Platform12345;
import appealhub.support.StandaloneArtemis;
import appealhub.support.TestHub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The hub is started while its EXTERNAL broker is down: it does not exit, its health is DOWN, a
 * push is not answered as taken unless stored, and once the broker is there the hub takes and
 * places orders without a restart (the stored one included, by the hand-over recovery).
 */
class BrokerStartWaitTest {
    @Test
    void aHubStartedWithoutItsBrokerWaitsAndPicksUpWhenItComes(@TempDir Path dir) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try (StandaloneArtemis broker = new StandaloneArtemis(dir.resolve("broker"), 100, 3);
             Platform12345 platform = new Platform12345()) {
            var flags = new java.util.HashMap<String, Object>(broker.hubProperties());
            flags.put("hub.intake.recovery-period-ms", 1000);
            TestHub hub = new TestHub(dir.resolve("hub"), platform.baseUrl(), flags);
            CompletableFuture<TestHub> started = CompletableFuture.supplyAsync(hub::start);
            try {
                started.get(120, TimeUnit.SECONDS); // starts without its broker: the consumers wait
                // health's details (which indicator is down) are for logged-in users
                HttpRequest health = hub.opsRequest("/actuator/health").timeout(Duration.ofSeconds(10)).build();
                var down = http.send(health, HttpResponse.BodyHandlers.ofString());
                assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
                assertThat(down.body()).contains("\"jms\":{\"status\":\"DOWN\"");

                var push = platform.push(hub.url(""), Platform12345.streetLight("GDSTARTWAIT1"));
                JdbcTemplate db = hub.bean(JdbcTemplate.class);
                int stored = db.queryForObject("select count(*) from appeal_source where source_item_id = 'GDSTARTWAIT1'", Integer.class);
                assertThat(push.status() == 200 && push.body().path("code").asInt(-1) == 0)
                        .as("answered as taken only when stored (%s)", push).isEqualTo(stored == 1 && push.status() == 200);
                Thread.sleep(3000);

                broker.start();
                long upAt = System.nanoTime();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    var a = platform.push(hub.url(""), Platform12345.streetLight("GDSTARTWAIT2"));
                    return a.status() == 200 && a.body().path("code").asInt(-1) == 0;
                });
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                        db.queryForObject("select count(*) from hub_case where status = 'RECEIVED'", Integer.class) == 0
                                && db.queryForObject("select count(*) from hub_case", Integer.class) == 2);
                System.out.printf("hub started without its broker: both orders placed %.1f s after the broker came up%n",
                        (System.nanoTime() - upAt) / 1e9);
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
            } finally {
                started.cancel(true);
                hub.stop();
            }
        }
    }
}
