package appealhub.grid;

import static appealhub.grid.GridApp.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.store.CaseStore;
import appealhub.store.RawItemStore;
import appealhub.support.TestHub;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A grid report the store refuses is a bad report: INVALID with its reason and parked once on
 * the grid dead-letter queue, at the first delivery; no redelivery storm, nothing on the broker's
 * own DLQ, and the queue keeps flowing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GridPoisonTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    static final String REFUSED = "POISON-REFUSED";

    TestHub hub;
    GridApp app;

    @BeforeAll
    void start(@TempDir Path data) {
        hub = new TestHub(data, "http://127.0.0.1:9", Map.of(
                "hub.channels.leaderboard.enabled", false,
                "hub.channels.miniprogram.enabled", false,
                "hub.channels.wechat.enabled", false)).start();
        app = new GridApp(hub.brokerUrl());
        hub.bean(JdbcTemplate.class).execute(
                "alter table appeal add constraint poison_test check (title is null or title not like '%" + REFUSED + "%')");
    }

    @AfterAll
    void stop() {
        if (app != null) app.close();
        if (hub != null) hub.close();
    }

    @Test
    void aReportTheStoreRefusesIsParkedOnceWithItsReasonAndTheNextGoesIn() {
        app.publish(report("EV-POISON-0001", "JZ-03-017", "矛盾纠纷", REFUSED + " 两户因宅基地边界发生争执", 2));
        app.publish(report("EV-POISON-0002", "JZ-03-017", "安全隐患", "前屯村桥梁护栏断裂，存在安全隐患", 2));

        CaseStore cases = hub.bean(CaseStore.class);
        await().atMost(WAIT).until(() -> cases.appealIdBySource("grid", "EV-POISON-0002").isPresent());
        await().atMost(WAIT).until(() -> app.deadReasons().containsKey("EV-POISON-0001"));
        assertThat(app.deadReasons().get("EV-POISON-0001")).startsWith("cannot be stored: ").containsIgnoringCase("POISON_TEST");

        // Let a would-be redelivery happen (TestHub: 100 ms back-off, 3 attempts), then count.
        await().pollDelay(Duration.ofSeconds(2)).atMost(WAIT).until(() -> true);
        assertThat(hub.bean(RawItemStore.class).bySource("grid", "EV-POISON-0001")).as("delivered once, not redelivered")
                .singleElement().satisfies(r -> {
                    assertThat(r.status()).hasToString("INVALID");
                    assertThat(r.error()).startsWith("cannot be stored: ");
                });
        assertThat(app.deadReasons().keySet().stream().filter("EV-POISON-0001"::equals)).hasSize(1);
        assertThat(brokerDeadLetters("DLQ.inbound.grid.reports")).as("nothing on DLA::DLQ.inbound.grid.reports").isZero();
        assertThat(cases.appealIdBySource("grid", "EV-POISON-0001")).isEmpty();
    }

    @Test
    void anEventTypeOrSeverityOutsideTheSpecsListIsABadReport() {
        app.publish(GridApp.with(report("EV-POISON-0003", "JZ-03-017", "噪音扰民", "夜间施工噪音", 1), "eventType", "噪音扰民"));
        app.publish(report("EV-POISON-0004", "JZ-03-017", "求助", "独居老人需要帮助", 4));
        await().atMost(WAIT).until(() -> app.deadReasons().containsKey("EV-POISON-0003") && app.deadReasons().containsKey("EV-POISON-0004"));
        assertThat(app.deadReasons().get("EV-POISON-0003")).isEqualTo("eventType must be one of 矛盾纠纷, 安全隐患, 社情民意, 求助");
        assertThat(app.deadReasons().get("EV-POISON-0004")).isEqualTo("severity must be 1, 2 or 3");
    }

    /** Messages on a queue of the broker's dead-letter address (0 when Artemis never made that queue). */
    private long brokerDeadLetters(String queue) {
        var server = hub.bean(EmbeddedActiveMQ.class).getActiveMQServer();
        var q = server.locateQueue(SimpleString.of(queue));
        return q == null ? 0 : q.getMessageCount();
    }
}
