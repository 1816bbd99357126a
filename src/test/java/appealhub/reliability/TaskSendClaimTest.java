package appealhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.dispatch.DispatchService;
import appealhub.intake.HandoverRecovery;
import appealhub.messaging.QueueMessage;
import appealhub.support.Department;
import appealhub.support.MutableClock;
import appealhub.support.Platform12345;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Each task sent once, even when two senders want it at the same moment (docs/reliability.md, "Each
 * task once"). The broker's duplicate check drops a task id it has seen, but two sends of one id that
 * arrive together both get through: found by BrokerRestartTest when, after a broker outage, the
 * recovery's second hand-over of a case was placed a few milliseconds after the first and both sent
 * its task. A placement's new tasks are therefore claimed, in its transaction, by the hand-over it
 * serves; another hand-over of the case or the recovery sends a task only once that claim is free,
 * its own, or lapsed.
 */
class TaskSendClaimTest {

    @Test
    void aTaskBeingSentByItsPlacementIsNotSentByAnotherHandOverNorByTheRecovery(@TempDir Path data) throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (Platform12345 platform = new Platform12345();
             TestHub hub = new TestHub(data, platform.baseUrl(), Map.of(
                     "hub.intake.recovery-after-seconds", 5,
                     "hub.dispatch.send-claim-seconds", 30)).withClock(clock).start();
             Department departments = new Department(hub.brokerUrl())) {
            CamelContext camel = hub.bean(CamelContext.class);
            // placement and the recovery are driven by hand, step by step, as the race interleaves them
            camel.getRouteController().stopRoute("dispatch");
            camel.getRouteController().stopRoute("intake-recovery");
            var answer = platform.push(hub.url(""), Platform12345.streetLight("GDCLAIM0001"));
            assertThat(answer.status()).isEqualTo(200);
            JdbcTemplate jdbc = hub.bean(JdbcTemplate.class);
            String caseId = jdbc.queryForObject("select case_id from appeal where appeal_id = ?", String.class,
                    answer.appealId());
            DispatchService dispatch = hub.bean(DispatchService.class);
            HandoverRecovery recovery = hub.bean(HandoverRecovery.class);

            // The first hand-over places the case: its task is decided, committed and about to be sent.
            List<QueueMessage> first = tasksIn(dispatch.place(caseId, "ID:handover-first"));
            assertThat(first).as("the placement's task").hasSize(1);
            String taskId = first.get(0).queuedTaskId();
            String queue = first.get(0).queue();

            // Meanwhile a second hand-over of the same case (the recovery's) is placed: the task is the first's to send.
            assertThat(tasksIn(dispatch.place(caseId, "ID:handover-second")))
                    .as("a second hand-over sends no task another is sending").isEmpty();
            // The recovery, finding the task stored and not yet confirmed on its queue, leaves it too.
            clock.advance(Duration.ofSeconds(6));
            assertThat(recovery.recover().tasksRequeued()).as("the recovery leaves a claimed task").isZero();
            assertThat(departments.drain(queue, 500)).as("nothing was sent by the other senders").isEmpty();

            // The first hand-over's own redelivery (its send failed) may send it again.
            assertThat(tasksIn(dispatch.place(caseId, "ID:handover-first"))).extracting(QueueMessage::queuedTaskId)
                    .containsExactly(taskId);

            // Its sender died without sending: once the claim lapses, the recovery sends it, once.
            clock.advance(Duration.ofSeconds(31));
            assertThat(recovery.recover().tasksRequeued()).isEqualTo(1);
            assertThat(jdbc.queryForObject("select count(*) from task where task_id = ? and queued_at is not null",
                    Integer.class, taskId)).isEqualTo(1);
            List<JsonNode> received = departments.drain(queue, 1000);
            assertThat(received).extracting(t -> t.path("taskId").asText()).containsExactly(taskId);

            // A task on its queue is sent by nobody again: neither a later hand-over nor the recovery.
            assertThat(tasksIn(dispatch.place(caseId, "ID:handover-third"))).isEmpty();
            clock.advance(Duration.ofSeconds(60));
            assertThat(recovery.recover().tasksRequeued()).isZero();
            camel.getRouteController().startRoute("dispatch"); // the push's own hand-over, still on hub.intake
            await().atMost(Duration.ofSeconds(20)).until(() -> departments.count("hub.intake") == 0);
            assertThat(departments.drain(queue, 1000)).as("the task once on its queue, in all").isEmpty();
        }
    }

    private static List<QueueMessage> tasksIn(List<QueueMessage> messages) {
        return messages.stream().filter(m -> m.queuedTaskId() != null).toList();
    }
}
