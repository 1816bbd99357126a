package appealhub.deadline;

import static appealhub.deadline.DeadlineHub.beijing;
import static appealhub.deadline.DeadlineHub.body;
import static appealhub.deadline.DeadlineHub.dispatched;
import static appealhub.deadline.DeadlineHub.events;
import static appealhub.deadline.DeadlineHub.exactlyOne;
import static appealhub.deadline.DeadlineHub.none;
import static appealhub.deadline.DeadlineHub.ops;
import static appealhub.deadline.DeadlineHub.property;
import static appealhub.deadline.DeadlineHub.push;
import static appealhub.deadline.DeadlineHub.resolve;
import static appealhub.deadline.DeadlineHub.tasks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.store.CaseStore;
import appealhub.store.DeadlineTimerStore;
import appealhub.store.TaskStore;
import appealhub.support.Department;
import appealhub.support.MutableClock;
import appealhub.support.Platform12345;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.Message;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.StreamSupport;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deadlines on a whole hub whose clock the test moves: the 123 rule from the classifier's
 * complexity, a reminder, escalations that rise, resolving stops them, the emergency alert,
 * and concurrent scans that fire each timer once. The clock only moves forward, so the
 * tests run in order and each closes its own tasks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeadlineTimersTest {
    MutableClock clock = new MutableClock(DeadlineHub.FRIDAY_MORNING);
    Platform12345 platform;
    TestHub hub;
    Inbox inbox;

    @BeforeAll
    void start(@TempDir Path data) {
        platform = new Platform12345();
        hub = new TestHub(data, platform.baseUrl(), DeadlineHub.settings()).withClock(clock).start();
        inbox = new Inbox(new Department(hub.brokerUrl()));
    }

    @AfterAll
    void stop() {
        if (inbox != null) inbox.close();
        if (hub != null) hub.close();
        if (platform != null) platform.close();
    }

    @Test
    @Order(1)
    void aConsultationIsDueTodayAGeneralMatterInTwoWorkingDaysAComplexOneInThree() {
        Map<String, Object> consult = Platform12345.order("GDDL0101", "咨询公积金提取",
                "请问住房公积金如何办理提取，需要什么材料？", "冀州区冀州镇长安路社区");
        consult.put("sqlx", "01");
        CaseStore.CaseRecord c1 = dispatched(hub, push(platform, hub, clock, consult));
        CaseStore.CaseRecord c2 = dispatched(hub, push(platform, hub, clock, Platform12345.order("GDDL0102", "停水",
                "魏家庄村停水两天，村民生活用水困难。", "冀州区小寨乡魏家庄村")));
        CaseStore.CaseRecord c3 = dispatched(hub, push(platform, hub, clock, Platform12345.order("GDDL0103", "暖气不热",
                "霍家庄村集中供暖暖气不热，多次反映至今未解决。", "冀州区官道李镇霍家庄村")));

        assertThat(c1.complexity()).isEqualTo("consult");
        assertThat(c1.deadline()).isEqualTo(beijing("2026-03-27T23:59:59"));
        assertThat(c2.complexity()).isEqualTo("general");
        assertThat(c2.deadline()).as("Friday + 2 working days = Tuesday").isEqualTo(beijing("2026-03-31T23:59:59"));
        assertThat(c3.complexity()).isEqualTo("complex");
        assertThat(c3.deadline()).as("Friday + 3 working days = Wednesday").isEqualTo(beijing("2026-04-01T23:59:59"));
        for (CaseStore.CaseRecord c : List.of(c1, c2, c3)) {
            assertThat(tasks(hub, c.caseId())).allSatisfy(t -> assertThat(t.deadline()).isEqualTo(c.deadline()));
        }
        // The department sees the same deadline in its task.
        TaskStore.TaskRecord heating = tasks(hub, c3.caseId()).get(0);
        Message task = exactlyOne(inbox, heating.queue(), heating.taskId());
        assertThat(property(task, "hubMessageType")).isEqualTo("task");
        assertThat(body(task).path("deadline").asText()).isEqualTo(c3.deadline().toString());

        for (CaseStore.CaseRecord c : List.of(c1, c2, c3)) closeAll(c.caseId());
    }

    @Test
    @Order(2)
    void aReminderBeforeTheDeadlineThenEscalationsThatRiseUntilTheTaskIsResolved() {
        CaseStore.CaseRecord c = dispatched(hub, push(platform, hub, clock, Platform12345.streetLight("GDDL0201")));
        TaskStore.TaskRecord task = tasks(hub, c.caseId()).get(0);
        assertThat(task.queue()).isEqualTo("dept.D16.tasks");
        Instant dispatchedAt = clock.instant();
        Instant deadline = beijing("2026-03-31T23:59:59");
        assertThat(task.deadline()).isEqualTo(deadline);
        Instant remindAt = dispatchedAt.plusMillis(Duration.between(dispatchedAt, deadline).toMillis() * 3 / 4);
        assertThat(timer(task, "reminder").nextFireAt()).isEqualTo(remindAt);
        assertThat(timer(task, "escalation").nextFireAt()).isEqualTo(deadline);
        exactlyOne(inbox, task.queue(), task.taskId()); // the task itself

        clock.set(remindAt.minusSeconds(60));
        none(inbox, task.queue(), task.taskId());

        clock.set(remindAt.plusSeconds(60));
        Message reminder = exactlyOne(inbox, task.queue(), task.taskId());
        assertThat(property(reminder, "hubMessageType")).isEqualTo("reminder");
        JsonNode r = body(reminder);
        assertThat(r.path("schema").asText()).isEqualTo("appealhub.reminder/1");
        assertThat(r.path("caseId").asText()).isEqualTo(c.caseId());
        assertThat(r.path("deadline").asText()).isEqualTo(deadline.toString());
        assertThat(r.path("text").asText()).contains("催办").contains("小区路灯不亮").contains("2026年3月31日 23:59");
        assertThat(events(hub, c.caseId(), "reminded")).isEqualTo(1);
        none(inbox, "hub.supervision", task.taskId());

        clock.set(deadline.plusSeconds(60));
        JsonNode first = body(exactlyOne(inbox, "hub.supervision", task.taskId()));
        assertThat(first.path("schema").asText()).isEqualTo("appealhub.escalation/1");
        assertThat(first.path("org").asText()).isEqualTo("D16");
        assertThat(first.path("orgName").asText()).isEqualTo("综合行政执法局");
        assertThat(first.path("level").asInt()).isEqualTo(1);
        assertThat(first.path("levelName").asText()).isEqualTo("部门负责人");
        assertThat(first.path("overdueHours").asLong()).isZero();
        assertThat(first.path("text").asText()).contains("超期督办").contains("部门负责人");
        assertThat(events(hub, c.caseId(), "escalated")).isEqualTo(1);
        JsonNode overdue = find(ops(hub, "/ops/overdue"), task.taskId());
        assertThat(overdue).as("on /ops/overdue").isNotNull();
        assertThat(overdue.path("org").asText()).isEqualTo("D16");
        assertThat(overdue.path("caseId").asText()).isEqualTo(c.caseId());
        assertThat(overdue.path("level").asInt()).isEqualTo(1);

        clock.set(deadline.plus(Duration.ofHours(4)).plusSeconds(60));
        JsonNode second = body(exactlyOne(inbox, "hub.supervision", task.taskId()));
        assertThat(second.path("level").asInt()).isEqualTo(2);
        assertThat(second.path("levelName").asText()).isEqualTo("分管区领导");
        assertThat(second.path("escalation").asInt()).isEqualTo(2);
        assertThat(second.path("overdueHours").asLong()).isEqualTo(4);
        assertThat(events(hub, c.caseId(), "escalated")).isEqualTo(2);
        assertThat(find(ops(hub, "/ops/overdue"), task.taskId()).path("levelName").asText()).isEqualTo("分管区领导");
        none(inbox, task.queue(), task.taskId()); // no second reminder

        resolve(inbox, task);
        await().atMost(DeadlineHub.WAIT).until(() -> "RESOLVED".equals(String.valueOf(hub.bean(TaskStore.class).find(task.taskId()).status())));
        assertThat(timer(task, "escalation").state()).isEqualTo("STOPPED");
        clock.set(deadline.plus(Duration.ofHours(12)));
        none(inbox, "hub.supervision", task.taskId());
        assertThat(events(hub, c.caseId(), "escalated")).isEqualTo(2);
        assertThat(find(ops(hub, "/ops/overdue"), task.taskId())).as("no longer overdue").isNull();
        assertThat(events(hub, c.caseId(), "emergency-alert")).as("not an emergency").isZero();
        assertThat(timer(task, "emergency").state()).isEqualTo("STOPPED");
    }

    @Test
    @Order(3)
    void anUrgentCaseAlertsTheDutyLeaderOnce() {
        Map<String, Object> gas = Platform12345.order("GDDL0301", "燃气泄漏",
                "滏阳花园3号楼楼道里燃气泄漏，味道很大，请马上处理！联系人电话13800000000。", "冀州区冀州镇滏阳花园");
        CaseStore.CaseRecord c = dispatched(hub, push(platform, hub, clock, gas));
        assertThat(c.urgency()).isEqualTo("urgent");
        TaskStore.TaskRecord lead = tasks(hub, c.caseId()).stream().filter(t -> t.role().wire().equals("lead")).findFirst().orElseThrow();

        Message alert = exactlyOne(inbox, "hub.duty.leader", lead.taskId());
        assertThat(property(alert, "hubMessageType")).isEqualTo("emergency");
        assertThat(property(alert, "caseId")).isEqualTo(c.caseId());
        JsonNode a = body(alert);
        assertThat(a.path("schema").asText()).isEqualTo("appealhub.emergency/1");
        assertThat(a.path("leadOrg").asText()).isEqualTo(lead.orgCode());
        assertThat(a.path("text").asText()).contains("紧急诉求").contains("燃气泄漏");
        assertThat(a.toString()).doesNotContain("13800000000");
        assertThat(events(hub, c.caseId(), "emergency-alert")).isEqualTo(1);
        JsonNode listed = null;
        for (JsonNode e : ops(hub, "/ops/emergencies")) if (e.path("caseId").asText().equals(c.caseId())) listed = e;
        assertThat(listed).as("on /ops/emergencies").isNotNull();
        assertThat(listed.path("leadOrg").asText()).isEqualTo(lead.orgCode());

        closeAll(c.caseId());
    }

    @Test
    @Order(4)
    void scansRunningAtTheSameTimeFireEachTimerOnce() throws Exception {
        CamelContext camel = hub.bean(CamelContext.class);
        camel.getRouteController().stopRoute("deadline-watch"); // only the scans below
        try {
            List<CaseStore.CaseRecord> cases = List.of(
                    dispatched(hub, push(platform, hub, clock, Platform12345.order("GDDL0401", "噪音扰民",
                            "周村镇张庄村一家加工厂夜间噪音扰民。", "冀州区周村镇张庄村"))),
                    dispatched(hub, push(platform, hub, clock, Platform12345.order("GDDL0402", "停电",
                            "小寨村频繁停电，冰箱无法使用。", "冀州区小寨乡小寨村"))),
                    dispatched(hub, push(platform, hub, clock, Platform12345.order("GDDL0403", "拖欠工资",
                            "西王镇大寨村工地拖欠农民工工资三个月。", "冀州区西王镇大寨村"))));
            List<TaskStore.TaskRecord> tasks = new ArrayList<>();
            for (CaseStore.CaseRecord c : cases) tasks.addAll(tasks(hub, c.caseId()));
            // Just before the first deadline: the reminders due by then fire, no escalation yet.
            Instant now = tasks.stream().map(TaskStore.TaskRecord::deadline).min(Instant::compareTo).orElseThrow().minusSeconds(1);
            clock.set(now);
            List<TaskStore.TaskRecord> due = tasks.stream().filter(t -> !timer(t, "reminder").nextFireAt().isAfter(now)).toList();
            assertThat(due).as("reminders due at once").hasSizeGreaterThanOrEqualTo(2);

            DeadlineWatch watch = hub.bean(DeadlineWatch.class);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> scans = new ArrayList<>();
            Callable<Integer> scan = () -> {
                go.await();
                return watch.scan();
            };
            for (int i = 0; i < 4; i++) scans.add(pool.submit(scan));
            go.countDown();
            int fired = 0;
            for (Future<Integer> f : scans) fired += f.get();
            pool.shutdown();

            assertThat(fired).as("reminders sent by all scans together").isEqualTo(due.size());
            for (TaskStore.TaskRecord t : tasks) {
                int expected = due.contains(t) ? 1 : 0;
                List<Message> onQueue = inbox.take(t.queue(), t.taskId());
                assertThat(onQueue.stream().filter(m -> "reminder".equals(property(m, "hubMessageType"))))
                        .as("reminders for " + t.taskId()).hasSize(expected);
                assertThat(timer(t, "reminder").firedCount()).isEqualTo(expected);
                assertThat(events(hub, t.caseId(), "reminded")).isEqualTo(due.stream().filter(d -> d.caseId().equals(t.caseId())).count());
            }
            assertThat(watch.scan()).as("nothing left to fire").isZero();
            for (CaseStore.CaseRecord c : cases) closeAll(c.caseId());
        } finally {
            camel.getRouteController().startRoute("deadline-watch");
        }
    }

    private DeadlineTimerStore.Timer timer(TaskStore.TaskRecord task, String kind) {
        return hub.bean(DeadlineTimerStore.class).ofTask(task.taskId()).stream()
                .filter(t -> t.kind().equals(kind)).findFirst().orElseThrow(() -> new AssertionError("no " + kind + " timer"));
    }

    private static JsonNode find(JsonNode list, String taskId) {
        return StreamSupport.stream(list.spliterator(), false)
                .filter(n -> n.path("taskId").asText().equals(taskId)).findFirst().orElse(null);
    }

    /** Answers every task of a case, co-organisations first, so its timers do not speak in later tests. */
    private void closeAll(String caseId) {
        List<TaskStore.TaskRecord> all = new ArrayList<>(tasks(hub, caseId));
        all.sort((x, y) -> x.role().equals(y.role()) ? 0 : x.role().wire().equals("co") ? -1 : 1);
        for (TaskStore.TaskRecord t : all) resolve(inbox, t);
        await().atMost(DeadlineHub.WAIT).until(() -> tasks(hub, caseId).stream()
                .allMatch(t -> t.status().finished()));
        for (TaskStore.TaskRecord t : all) {
            assertThat(hub.bean(DeadlineTimerStore.class).ofTask(t.taskId()))
                    .filteredOn(x -> !x.kind().equals("emergency")).allSatisfy(x -> assertThat(x.state()).isNotEqualTo("ACTIVE"));
        }
    }
}
