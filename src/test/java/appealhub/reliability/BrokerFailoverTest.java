package appealhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.support.ArtemisPair;
import appealhub.support.Department;
import appealhub.support.HandOverAudit;
import appealhub.support.OrderLoad;
import appealhub.support.Platform12345;
import appealhub.support.Python;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.TextMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Production with several instances' broker: deploy/artemis's replicated live/backup pair, made
 * and started by pair.sh, the hub on the failover URL it documents. While four clients push
 * signed 12345 orders, the live broker is killed with SIGKILL. The backup takes over, the hub
 * carries on against it without a restart, and afterwards: every answered order is placed, every
 * task is on its department's queue exactly once (read from the backup), nothing is left unplaced
 * or dead-lettered, and the backup stamps the sender of an AMQP reply as the live did.
 */
class BrokerFailoverTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theHubSurvivesTheDeathOfTheLiveBrokerAndEachTaskArrivesOnce(@TempDir Path dir) throws Exception {
        int orders = 300;
        AtomicBoolean failingOver = new AtomicBoolean();
        Map<Integer, AtomicInteger> answersDuringFailover = new ConcurrentHashMap<>(); // HTTP status -> count

        try (ArtemisPair pair = new ArtemisPair(dir.resolve("pair"), 100, 3);
             Platform12345 platform = new Platform12345()) {
            pair.start();
            Map<String, Object> flags = new HashMap<>(pair.hubProperties());
            flags.put("hub.intake.recovery-after-seconds", 3);
            flags.put("hub.intake.recovery-period-ms", 1000);
            TestHub hub = new TestHub(dir.resolve("hub"), platform.baseUrl(), flags).start();
            try {
                JdbcTemplate db = hub.bean(JdbcTemplate.class);
                OrderLoad load = new OrderLoad(platform, hub.url(""), "GDHA", orders, 4, answer -> {
                    if (failingOver.get()) answersDuringFailover.computeIfAbsent(answer.status(), s -> new AtomicInteger()).incrementAndGet();
                });
                Map<String, String> answered = load.answered();

                // kill -9 of the live broker in the middle of the load
                await().atMost(Duration.ofSeconds(60)).until(() -> answered.size() >= orders / 3);
                failingOver.set(true);
                long killedAt = System.nanoTime();
                OffsetDateTime killedAtTime = Instant.now().atOffset(ZoneOffset.UTC); // as TaskStore writes it
                pair.killLive();
                int answeredAtKill = answered.size();
                Duration backupActive = pair.awaitBackupActive(killedAt, Duration.ofSeconds(60));
                // the hub at work again: a task message the backup confirmed (queued_at is set after the send)
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() ->
                        db.queryForObject("select count(*) from task where queued_at > ?", Integer.class, killedAtTime) > 0);
                double sendingAgain = (System.nanoTime() - killedAt) / 1e9;
                double placingAgain = secondsUntilANewOrderIsPlaced(hub, platform, db, "GDHAPROBE1", killedAt);
                failingOver.set(false);
                assertThat(pair.liveAccepts()).as("the live is dead").isFalse();

                assertThat(load.awaitAllTaken(Duration.ofSeconds(90))).as("every order taken").isTrue();
                assertThat(answered).hasSize(orders);
                assertThat(answeredAtKill).isLessThan(orders);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() ->
                        db.queryForObject("select count(*) from hub_case where status = 'RECEIVED'", Integer.class) == 0);
                Thread.sleep(4000); // a recovery pass for tasks whose send was cut off
                assertThat(health(hub).statusCode()).as("health on the backup").isEqualTo(200);

                HandOverAudit audit;
                try (Department departments = new Department(pair.backupUrl())) {
                    audit = HandOverAudit.drain(departments);

                    // The backup stamps the sender of an AMQP message as the live did: a reply forged by
                    // another organisation is refused on its broker user.
                    Python.requireProton();
                    Map<String, Object> task = db.queryForMap("select task_id, org_code from task where role = 'lead' "
                            + "order by task_id fetch first 1 rows only");
                    String taskId = (String) task.get("task_id");
                    String owner = (String) task.get("org_code");
                    String forger = "D17".equals(owner) ? "D16" : "D17";
                    Python.Run forged = Python.run(Map.of("BROKER_PASSWORD", "demo-" + forger), Python.SEND.toString(),
                            pair.backupAmqpUrl(), forger, "hub.task.replies", reply(taskId, owner), "_AMQ_VALIDATED_USER=" + owner);
                    assertThat(forged.exit()).as(forged.output()).isZero();
                    var dead = departments.awaitMessage("hub.dead.replies", m -> text(m).contains(taskId));
                    assertThat(dead.getStringProperty("hubDeadReason")).isEqualTo("sender " + forger + " may not answer task " + taskId);
                }

                // Management as hawtio reads it: the backup's Jolokia says it is the active broker now, to the hub's login only.
                HttpResponse<String> active = jolokia(pair, "hub", ArtemisPair.HUB_PASSWORD);
                assertThat(active.statusCode()).as(active.body()).isEqualTo(200);
                assertThat(JSON.readTree(active.body()).path("value").asBoolean()).as(active.body()).isTrue();
                assertThat(jolokia(pair, "D16", "demo-D16").statusCode()).as("a department's login on Jolokia").isEqualTo(403);

                System.out.printf("broker fail-over: live killed after %d of %d orders answered; the backup accepted "
                                + "connections %.2f s after the kill -9, the hub's first task confirmed by it %.2f s after, "
                                + "an order pushed after the kill placed %.1f s after; answers while failing over %s, "
                                + "no answer %d%n",
                        answeredAtKill, orders, backupActive.toMillis() / 1000.0, sendingAgain, placingAgain,
                        answersDuringFailover, load.refused());
                audit.assertEachOrderHandedOverOnce(db, answered.values(), orders, "GDHAPROBE", 1, null);
                assertThat(audit.deadLetters).as("messages on dead-letter queues").isEmpty();
            } finally {
                hub.stop();
            }
        }
    }

    /** Pushes a new order until it is taken, then waits until it is placed; seconds since {@code since}. */
    private static double secondsUntilANewOrderIsPlaced(TestHub hub, Platform12345 platform, JdbcTemplate db, String gdbh,
                                                        long since) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            var a = platform.push(hub.url(""), Platform12345.streetLight(gdbh));
            return a.status() == 200 && a.body().path("code").asInt(-1) == 0;
        });
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
                !"RECEIVED".equals(db.queryForObject("select c.status from hub_case c join appeal a on a.case_id = c.case_id "
                        + "join appeal_source s on s.appeal_id = a.appeal_id where s.source_item_id = ?", String.class, gdbh)));
        return (System.nanoTime() - since) / 1e9;
    }

    private static String reply(String taskId, String orgCode) throws Exception {
        return JSON.writeValueAsString(Map.of("replyId", UUID.randomUUID().toString(), "taskId", taskId,
                "orgCode", orgCode, "type", "resolve", "text", "已处理"));
    }

    private static String text(jakarta.jms.Message m) {
        try {
            return ((TextMessage) m).getText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> jolokia(ArtemisPair pair, String user, String password) throws Exception {
        String url = pair.backupConsoleUrl() + "/jolokia/read/org.apache.activemq.artemis:broker=%22hub-backup%22/Active";
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", TestHub.basicAuth(user, password))
                .header("Origin", "http://127.0.0.1").build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> health(TestHub hub) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(hub.url("/actuator/health"))).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
