package appealhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.support.Department;
import appealhub.support.HandOverAudit;
import appealhub.support.OrderLoad;
import appealhub.support.Platform12345;
import appealhub.support.StandaloneArtemis;
import appealhub.support.TestHub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Production's shape: the hub on its own database (H2 here) and an EXTERNAL Artemis
 * (spring.artemis.mode=native), a real standalone broker in a process of its own. While four
 * clients push signed 12345 orders, the broker is killed with SIGKILL and started again on its
 * journal ~10 s later, then stopped gracefully and started again. The hub must not exit, must
 * not answer a push as taken unless its appeal is stored, and afterwards: every answered appeal
 * is there, no case is left unplaced, every task is on its department's queue exactly once and
 * nothing sits on a dead-letter queue.
 */
class BrokerRestartTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void theExternalBrokerKilledAndRestartedUnderLoadLosesNothingAndSendsEachTaskOnce(@TempDir Path dir) throws Exception {
        int orders = 240;
        AtomicBoolean brokerDown = new AtomicBoolean();
        Map<Integer, AtomicInteger> answersWhileDown = new ConcurrentHashMap<>(); // HTTP status -> count

        try (StandaloneArtemis broker = new StandaloneArtemis(dir.resolve("broker"), 100, 3);
             Platform12345 platform = new Platform12345()) {
            broker.start();
            Map<String, Object> flags = new HashMap<>(broker.hubProperties());
            flags.put("hub.intake.recovery-after-seconds", 3);
            flags.put("hub.intake.recovery-period-ms", 1000);
            flags.put("spring.artemis.broker-url", broker.url() + System.getProperty("hub.test.broker-url-params", ""));
            TestHub hub = new TestHub(dir.resolve("hub"), platform.baseUrl(), flags).start();
            try {
                JdbcTemplate db = hub.bean(JdbcTemplate.class);
                OrderLoad load = new OrderLoad(platform, hub.url(""), "GDBRK", orders, 4, answer -> {
                    if (brokerDown.get()) answersWhileDown.computeIfAbsent(answer.status(), st -> new AtomicInteger()).incrementAndGet();
                });
                Map<String, String> answered = load.answered();

                // 1. kill -9 in the middle of the load, ~10 s away
                await().atMost(Duration.ofSeconds(120)).until(() -> answered.size() >= orders / 3);
                brokerDown.set(true);
                broker.kill();
                int answeredAtKill = answered.size();
                Thread.sleep(5000);
                long asked = System.nanoTime();
                HttpResponse<String> healthWhileDown = health(hub);
                System.out.printf("health while the broker is away: %d in %d ms%n", healthWhileDown.statusCode(),
                        (System.nanoTime() - asked) / 1_000_000);
                assertThat(healthWhileDown.statusCode()).as("health while the broker is away: %s", healthWhileDown.body())
                        .isEqualTo(503);
                Thread.sleep(Math.max(0, 10_000 - (System.nanoTime() - asked) / 1_000_000 - 5000));
                broker.start();
                brokerDown.set(false);
                long upAt = System.nanoTime();
                double placingAgain = secondsUntilANewOrderIsPlaced(hub, platform, db, "GDBRKPROBE1", upAt);

                // 2. a graceful restart later in the load
                await().atMost(Duration.ofSeconds(180)).until(() -> answered.size() >= 2 * orders / 3);
                brokerDown.set(true);
                broker.stop();
                Thread.sleep(10_000);
                broker.start();
                brokerDown.set(false);
                long upAgainAt = System.nanoTime();
                double placingAgainAfterStop = secondsUntilANewOrderIsPlaced(hub, platform, db, "GDBRKPROBE2", upAgainAt);

                assertThat(load.awaitAllTaken(Duration.ofSeconds(240))).isTrue();
                assertThat(answered).hasSize(orders);
                assertThat(answeredAtKill).isLessThan(orders);

                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() ->
                        db.queryForObject("select count(*) from hub_case where status = 'RECEIVED'", Integer.class) == 0);
                long settledAt = System.nanoTime();
                // tasks whose send was cut off: sent again by their hand-over's redelivery or, once the
                // send claim lapses (recovery-after-seconds), by the recovery
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() ->
                        db.queryForObject("select count(*) from task where queued_at is null", Integer.class) == 0);
                Thread.sleep(2000); // and a recovery pass more, which must send nothing twice
                assertThat(health(hub).statusCode()).as("health once the broker is back").isEqualTo(200);

                HandOverAudit audit;
                try (Department departments = new Department(broker.url())) {
                    audit = HandOverAudit.drain(departments);
                }

                System.out.printf("broker restart: %d answered before the kill; answers while the broker was away %s, "
                                + "refused %d; a new order placed %.1f s after the restart (kill -9), %.1f s (graceful); "
                                + "all placed %.1f s after the second restart%n",
                        answeredAtKill, answersWhileDown, load.refused(), placingAgain, placingAgainAfterStop,
                        (settledAt - upAgainAt) / 1e9);
                audit.assertEachOrderHandedOverOnce(db, answered.values(), orders, "GDBRKPROBE", 2, null);
                assertThat(audit.deadLetters).as("messages on dead-letter queues").isEmpty();
            } finally {
                hub.stop();
            }
        }
    }

    /** Pushes a new order until it is taken, then waits until it is placed; seconds since the broker came back. */
    private static double secondsUntilANewOrderIsPlaced(TestHub hub, Platform12345 platform, JdbcTemplate db, String gdbh,
                                                        long upAt) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            var a = platform.push(hub.url(""), Platform12345.streetLight(gdbh));
            return a.status() == 200 && a.body().path("code").asInt(-1) == 0;
        });
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
                !"RECEIVED".equals(db.queryForObject("select c.status from hub_case c join appeal a on a.case_id = c.case_id "
                        + "join appeal_source s on s.appeal_id = a.appeal_id where s.source_item_id = ?", String.class, gdbh)));
        return (System.nanoTime() - upAt) / 1e9;
    }

    private static HttpResponse<String> health(TestHub hub) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(hub.url("/actuator/health"))).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
