package appealhub.supervision;

import static appealhub.supervision.SupervisionRelay.HEADER;
import static appealhub.supervision.SupervisionRelay.clue;
import static appealhub.supervision.SupervisionRelay.csv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.support.TestHub;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.support.ScheduledPollConsumer;
import org.apache.camel.spring.pollingconsumer.SpringScheduledPollConsumerScheduler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.scheduling.support.CronExpression;

/** The daily result batch runs on result-cron, in Beijing time, with nobody asking for it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SupervisionDailyBatchTest {
    TestHub hub;
    SupervisionRelay relay;

    @BeforeAll
    void start(@TempDir Path data, @TempDir Path files) {
        relay = new SupervisionRelay(files);
        hub = new TestHub(data, "http://127.0.0.1:1", Map.ofEntries(
                Map.entry("hub.channels.supervision.inbox", relay.inbox.toString()),
                Map.entry("hub.channels.supervision.outbox", relay.outbox.toString()),
                Map.entry("hub.channels.supervision.processed", relay.processed.toString()),
                Map.entry("hub.channels.supervision.poll-delay-ms", 300),
                Map.entry("hub.channels.supervision.result-cron", "*/2 * * * * *"),
                Map.entry("hub.channels.leaderboard.enabled", false),
                Map.entry("hub.channels.miniprogram.enabled", false),
                Map.entry("hub.channels.wechat.enabled", false),
                Map.entry("hub.channels.grid.enabled", false))).start();
    }

    @AfterAll
    void stop() {
        if (hub != null) hub.close();
    }

    @Test
    void theScheduledBatchWritesTheResultsWithoutAnyoneAskingAndInBeijingTime() {
        String day = ZonedDateTime.now(SupervisionRelay.BEIJING).format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd"));
        relay.drop("DC_" + day + "_001.csv", csv(HEADER, List.of(clue("DC-S-0001", "路灯", "门庄乡北门庄村路灯不亮。",
                "河北省衡水市冀州区门庄乡", "其他"))), true);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(relay.outboxFiles())
                .anySatisfy(f -> assertThat(f).matches("DCJG_" + day + "_\\d{3}\\.csv\\.ok")));
        String file = relay.outboxFiles().stream().filter(f -> f.endsWith(".csv")).findFirst().orElseThrow();
        assertThat(relay.readResults(file)).anySatisfy(r -> {
            assertThat(r.get(0)).isEqualTo("DC-S-0001");
            assertThat(r.get(1)).isEqualTo("已受理");
        });

        // The route's consumer really runs on the Spring cron scheduler (not the default 500 ms poll), in Beijing time.
        ScheduledPollConsumer consumer = (ScheduledPollConsumer) hub.bean(CamelContext.class)
                .getRoute("supervision-result-batch-daily").getConsumer();
        assertThat(consumer.getScheduler()).isInstanceOf(SpringScheduledPollConsumerScheduler.class);
        SpringScheduledPollConsumerScheduler cron = (SpringScheduledPollConsumerScheduler) consumer.getScheduler();
        assertThat(cron.getCron()).isEqualTo("*/2 * * * * *");
        assertThat(cron.getTimeZone().getID()).isEqualTo("Asia/Shanghai");
        // The default result-cron fires at 17:00 Beijing time (09:00 UTC).
        ZonedDateTime beforeFive = LocalDateTime.parse("2025-04-09T16:59:00").atZone(SupervisionRelay.BEIJING);
        assertThat(CronExpression.parse("0 0 17 * * *").next(beforeFive).toInstant().toString()).isEqualTo("2025-04-09T09:00:00Z");
    }
}
