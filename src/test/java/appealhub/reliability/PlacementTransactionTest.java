package appealhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.messaging.QueueMessage;
import appealhub.support.Department;
import appealhub.support.Platform12345;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A first placement's messages go out in the transaction of the hand-over being consumed (route
 * "dispatch", issue 16: one synced broker commit instead of one synced send per message). So they
 * reach their queues exactly when the hand-over is acknowledged: a transaction that fails after
 * the sends leaves nothing on any queue, and the redelivered hand-over sends each task once.
 */
class PlacementTransactionTest {

    @Test
    void aFirstPlacementsTaskIsOnItsQueueOnlyWithTheHandOversCommitAndOnceAfterARollback(@TempDir Path data) throws Exception {
        try (Platform12345 platform = new Platform12345();
             TestHub hub = new TestHub(data, platform.baseUrl(), Map.of()).start();
             Department departments = new Department(hub.brokerUrl())) {
            AtomicInteger deliveries = new AtomicInteger();
            AtomicInteger onQueueBeforeCommit = new AtomicInteger(-1);
            // The end of route "dispatch", after the sends and the queued mark, before the commit:
            // the first delivery looks at the department's queue from outside, then fails.
            AdviceWith.adviceWith(hub.bean(CamelContext.class), "dispatch", route -> route.weaveAddLast().process(exchange -> {
                if (deliveries.incrementAndGet() > 1) return;
                @SuppressWarnings("unchecked")
                List<QueueMessage> sent = exchange.getIn().getBody(List.class);
                assertThat(sent).singleElement().extracting(QueueMessage::queuedTaskId).isNotNull();
                onQueueBeforeCommit.set(departments.count(sent.get(0).queue()));
                throw new IllegalStateException("test: the hand-over's transaction fails after its messages were sent");
            }));

            String appealId = platform.push(hub.url(""), Platform12345.streetLight("GDPLACETX1")).appealId();
            JdbcTemplate jdbc = hub.bean(JdbcTemplate.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> deliveries.get() >= 2);
            Map<String, Object> task = jdbc.queryForMap("select task_id, queue from task");
            String queue = (String) task.get("queue");

            assertThat(onQueueBeforeCommit.get()).as("the task on its queue before the hand-over committed").isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> departments.count(queue) >= 1);
            List<JsonNode> received = departments.drain(queue, 1500);
            assertThat(received).as("the task once, sent again by the redelivered hand-over").singleElement()
                    .satisfies(t -> {
                        assertThat(t.path("taskId").asText()).isEqualTo(task.get("task_id"));
                        assertThat(t.path("appeal").path("appealId").asText()).isEqualTo(appealId);
                    });
            assertThat(jdbc.queryForObject("select count(*) from task", Integer.class)).as("one placement, one lead").isEqualTo(1);
            assertThat(jdbc.queryForObject("select count(*) from task where queued_at is null", Integer.class)).isZero();
            assertThat(departments.count("DLA::DLQ.hub.intake")).as("hand-over dead-lettered").isZero();
        }
    }
}
