package appealhub.deadline;

import static appealhub.deadline.DeadlineHub.body;
import static appealhub.deadline.DeadlineHub.dispatched;
import static appealhub.deadline.DeadlineHub.events;
import static appealhub.deadline.DeadlineHub.exactlyOne;
import static appealhub.deadline.DeadlineHub.none;
import static appealhub.deadline.DeadlineHub.property;
import static appealhub.deadline.DeadlineHub.push;
import static appealhub.deadline.DeadlineHub.settings;
import static appealhub.deadline.DeadlineHub.tasks;
import static org.assertj.core.api.Assertions.assertThat;

import appealhub.store.CaseStore;
import appealhub.store.DeadlineTimerStore;
import appealhub.store.TaskStore;
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

/** Timers live in the database: a hub stopped while they come due fires each of them once when it starts again. */
class DeadlineRestartTest {

    @Test
    void afterARestartADueTimerFiresOnceAndNothingFiredBeforeRepeats(@TempDir Path data) throws Exception {
        MutableClock clock = new MutableClock(DeadlineHub.FRIDAY_MORNING);
        try (Platform12345 platform = new Platform12345()) {
            TaskStore.TaskRecord a;
            TaskStore.TaskRecord b;
            try (TestHub first = new TestHub(data, platform.baseUrl(), settings()).withClock(clock).start();
                 Inbox inbox = new Inbox(new Department(first.brokerUrl()))) {
                CaseStore.CaseRecord caseA = dispatched(first, push(platform, first, clock, Platform12345.streetLight("GDRS0001")));
                CaseStore.CaseRecord caseB = dispatched(first, push(platform, first, clock, Platform12345.order("GDRS0002",
                        "停水", "魏家庄村停水两天，村民生活用水困难。", "冀州区小寨乡魏家庄村")));
                a = tasks(first, caseA.caseId()).get(0);
                b = tasks(first, caseB.caseId()).get(0);
                exactlyOne(inbox, a.queue(), a.taskId());
                exactlyOne(inbox, b.queue(), b.taskId());

                // Both reminders go out while the hub runs.
                DeadlineTimerStore timers = first.bean(DeadlineTimerStore.class);
                Instant reminders = List.of(a, b).stream().map(t -> reminder(timers, t).nextFireAt())
                        .max(Instant::compareTo).orElseThrow();
                clock.set(reminders.plusSeconds(1));
                assertThat(property(exactlyOne(inbox, a.queue(), a.taskId()), "hubMessageType")).isEqualTo("reminder");
                assertThat(property(exactlyOne(inbox, b.queue(), b.taskId()), "hubMessageType")).isEqualTo("reminder");

                // B's second escalation is sent and the hub dies before its transaction commits: the
                // message is on the queue, the database does not know (done here by hand, with the
                // duplicate id the hub gives that escalation).
                first.bean(CamelContext.class).getRouteController().stopRoute("deadline-watch");
                inbox.department.send("hub.supervision", "{\"sentBeforeTheCrash\":true}",
                        Map.of("_AMQ_DUPL_ID", b.taskId() + ":escalation:2", "taskId", b.taskId()));
            }

            // Down past the deadline and one repeat interval.
            clock.set(a.deadline().plus(Duration.ofHours(4)).plusSeconds(60));

            try (TestHub second = new TestHub(data, platform.baseUrl(), settings()).withClock(clock).start();
                 Inbox inbox = new Inbox(new Department(second.brokerUrl()))) {
                JsonNode escalationA = body(exactlyOne(inbox, "hub.supervision", a.taskId()));
                assertThat(escalationA.path("escalation").asInt()).as("one escalation, not the missed ones in a burst").isEqualTo(2);
                assertThat(escalationA.path("level").asInt()).as("the level for the time overdue").isEqualTo(2);
                assertThat(escalationA.path("overdueHours").asLong()).isEqualTo(4);

                JsonNode escalationB = body(exactlyOne(inbox, "hub.supervision", b.taskId()));
                assertThat(escalationB.path("sentBeforeTheCrash").asBoolean())
                        .as("the hub's repeated send was dropped by the broker as a duplicate").isTrue();

                for (TaskStore.TaskRecord t : List.of(a, b)) {
                    none(inbox, t.queue(), t.taskId()); // no second reminder
                    assertThat(events(second, t.caseId(), "reminded")).isEqualTo(1);
                    assertThat(events(second, t.caseId(), "escalated")).isEqualTo(1);
                    DeadlineTimerStore.Timer escalation = second.bean(DeadlineTimerStore.class).ofTask(t.taskId()).stream()
                            .filter(x -> x.kind().equals("escalation")).findFirst().orElseThrow();
                    assertThat(escalation.firedCount()).isEqualTo(1);
                    assertThat(escalation.level()).isEqualTo(2);
                    assertThat(escalation.nextFireAt()).isEqualTo(t.deadline().plus(Duration.ofHours(8)));
                }
            }
        }
    }

    private static DeadlineTimerStore.Timer reminder(DeadlineTimerStore timers, TaskStore.TaskRecord task) {
        return timers.ofTask(task.taskId()).stream().filter(t -> t.kind().equals("reminder")).findFirst().orElseThrow();
    }
}
