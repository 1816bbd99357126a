package appealhub.deadline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.model.Ids;
import appealhub.store.CaseStore;
import appealhub.store.TaskStore;
import appealhub.support.MutableClock;
import appealhub.support.Platform12345;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the deadline tests share: a hub on a hand-moved clock, 12345 pushes at that clock, queue and REST looks. */
final class DeadlineHub {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(20);
    /** Several scans (the tests scan every 200 ms): long enough for a wrong second message to show up. */
    static final long QUIET_MS = 1000;
    /** Friday 27 March 2026, 10:00 Beijing time. */
    static final Instant FRIDAY_MORNING = beijing("2026-03-27T10:00");

    static Map<String, Object> settings() {
        return Map.of("hub.deadlines.scan-period-ms", 200, "hub.deadlines.escalation-repeat", "4h");
    }

    private DeadlineHub() {}

    static Instant beijing(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(Ids.BEIJING).toInstant();
    }

    /** Pushes a 12345 order signed at the hub's clock (the hub checks the timestamp against it). */
    static String push(Platform12345 platform, TestHub hub, MutableClock clock, Map<String, Object> order) {
        var answer = platform.push(hub.url("/api/hotline12345/workorders"), Platform12345.bytes(order),
                clock.instant().getEpochSecond(), Platform12345.SECRET);
        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
        return answer.appealId();
    }

    /** The case of an appeal, once it is dispatched. */
    static CaseStore.CaseRecord dispatched(TestHub hub, String appealId) {
        CaseStore cases = hub.bean(CaseStore.class);
        await().atMost(WAIT).until(() -> {
            String caseId = cases.caseIdOfAppeal(appealId);
            return caseId != null && "DISPATCHED".equals(String.valueOf(cases.findCase(caseId).status()));
        });
        return cases.findCase(cases.caseIdOfAppeal(appealId));
    }

    static List<TaskStore.TaskRecord> tasks(TestHub hub, String caseId) {
        return hub.bean(TaskStore.class).ofCase(caseId);
    }

    static long events(TestHub hub, String caseId, String type) {
        return hub.bean(CaseStore.class).events(caseId).stream().filter(e -> e.type().equals(type)).count();
    }

    /** Waits for the first message about this task on a queue, then makes sure no second one follows. */
    static Message exactlyOne(Inbox inbox, String queue, String taskId) {
        List<Message> got = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            got.addAll(inbox.take(queue, taskId));
            return !got.isEmpty();
        });
        long until = System.currentTimeMillis() + QUIET_MS;
        while (System.currentTimeMillis() < until) got.addAll(inbox.take(queue, taskId));
        assertThat(got).as("messages on " + queue + " about " + taskId).hasSize(1);
        return got.get(0);
    }

    /** Nothing about this task arrives on the queue for a few scans. */
    static void none(Inbox inbox, String queue, String taskId) {
        List<Message> got = new ArrayList<>();
        long until = System.currentTimeMillis() + QUIET_MS;
        while (System.currentTimeMillis() < until) got.addAll(inbox.take(queue, taskId));
        assertThat(got).as("messages on " + queue + " about " + taskId).isEmpty();
    }

    static String property(Message m, String name) {
        try {
            return m.getStringProperty(name);
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode body(Message m) {
        try {
            return JSON.readTree(((TextMessage) m).getText());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The department answers its task as itself. */
    static void resolve(Inbox inbox, TaskStore.TaskRecord task) {
        inbox.department.reply(JSON.createObjectNode().put("taskId", task.taskId()).put("orgCode", task.orgCode()),
                "resolve", "已处理完毕。");
    }

    /** A GET of the operations API as the demo viewer. */
    static JsonNode ops(TestHub hub, String path) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(hub.viewerRequest(path)
                    .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
