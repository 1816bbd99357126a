package appealhub.contract;

import appealhub.messaging.TaskUpdate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.model.Ids;
import appealhub.store.CaseStore;
import appealhub.store.DeadlineTimerStore;
import appealhub.store.TaskStore;
import appealhub.support.Department;
import appealhub.support.MutableClock;
import appealhub.support.Platform12345;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The department queue contract (docs/queue-contract) against itself and against the hub:
 * the schemas are draft 2020-12 schemas, the examples match them, asyncapi.yaml names them;
 * and the messages a whole hub really puts on its queues match the schema and the JMS
 * properties asyncapi.yaml gives for them. When a message does not match, either the code or
 * the document is wrong: this test fails until one of them is put right.
 */
class QueueContractTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final QueueContract contract = new QueueContract();

    @Test
    void everySchemaIsADraft202012Schema() {
        assertThat(QueueContract.schemaFiles()).contains("task.schema.json", "task-update.schema.json", "reply.schema.json",
                "triage.schema.json", "reminder.schema.json", "escalation.schema.json", "emergency.schema.json");
        for (String schema : QueueContract.schemaFiles()) {
            assertThat(contract.checkSchema(schema)).as(schema).isEmpty();
        }
    }

    @Test
    void everyExampleMatchesItsSchemaAndEverySchemaHasOne() {
        Set<String> covered = new TreeSet<>();
        for (String example : QueueContract.exampleFiles()) {
            String schema = QueueContract.schemaOfExample(example);
            assertThat(schema).as("the schema of examples/" + example + " (named after it)").isNotNull();
            covered.add(schema);
            JsonNode message = QueueContract.read(QueueContract.EXAMPLES.resolve(example));
            assertThat(contract.check(schema, message)).as("examples/" + example + " against " + schema).isEmpty();
        }
        assertThat(covered).as("schemas with an example").containsExactlyInAnyOrderElementsOf(QueueContract.schemaFiles());
    }

    @Test
    void asyncApiNamesEverySchemaAsAMessagePayload() {
        Set<String> payloads = new TreeSet<>();
        for (QueueContract.Message m : contract.messages()) {
            if (m.payloadFile() == null) continue; // a refused reply is kept as it came: any text
            assertThat(QueueContract.DIR.resolve(m.payloadFile())).as("payload of " + m.name()).exists();
            payloads.add(m.payloadFile());
        }
        assertThat(payloads).containsExactlyInAnyOrderElementsOf(QueueContract.schemaFiles());
        assertThat(contract.messageOn("dept.D16.tasks", "task").name()).isEqualTo("Task");
        assertThat(contract.messageOn("township.T03.tasks", "task-update").name()).isEqualTo("TaskUpdate");
        assertThat(contract.messageOn("dept.D16.tasks", "reminder").name()).isEqualTo("Reminder");
        assertThat(contract.messageOn("hub.triage", null).name()).isEqualTo("TriageItem");
    }

    /** Issue 14, item 9: one limit per reply id, the same in the contract and in the hub's check. */
    @Test
    void theReplyIdLimitsOfTheSchemaAreTheHubs() {
        JsonNode properties = QueueContract.read(QueueContract.DIR.resolve("reply.schema.json")).path("properties");
        assertThat(properties.path("replyId").path("maxLength").asInt()).isEqualTo(appealhub.reply.TaskReplyService.REPLY_ID_MAX);
        assertThat(properties.path("taskId").path("maxLength").asInt()).isEqualTo(appealhub.reply.TaskReplyService.TASK_ID_MAX);
        assertThat(properties.path("orgCode").path("maxLength").asInt()).isEqualTo(appealhub.reply.TaskReplyService.ORG_CODE_MAX);
    }

    /** The check finds what a careless change would break, so a green run means something. */
    @Test
    void theCheckFindsAWrongMessage() {
        JsonNode example = QueueContract.read(QueueContract.EXAMPLES.resolve("task.json"));
        ObjectNode badDeadline = example.deepCopy();
        badDeadline.put("deadline", "2025-04-11 23:59:59");
        assertThat(contract.check("task.schema.json", badDeadline)).anySatisfy(e -> assertThat(e).contains("deadline"));

        ObjectNode coWithPhone = example.deepCopy();
        coWithPhone.put("role", "co");
        assertThat(contract.check("task.schema.json", coWithPhone)).isNotEmpty();

        ObjectNode noTaskId = example.deepCopy();
        noTaskId.remove("taskId");
        assertThat(contract.check("task.schema.json", noTaskId)).anySatisfy(e -> assertThat(e).contains("taskId"));

        QueueContract.Message task = contract.messageOn("dept.D16.tasks", "task");
        assertThat(contract.checkHeaders(task, Map.of("hubMessageType", "task"))).isNotEmpty();
    }

    /**
     * One whole hub with merging on, on a clock the test moves: a joint case (lead and
     * co-organisations), a second citizen's appeal merged into it, a co-organisation's
     * contribution, an order for triage, an urgent case, a reminder and an escalation.
     * The clock only moves forward, so the steps run in order.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class RealMessages {
        /** Monday 23 March 2026, 10:00 Beijing time: a working week ahead. */
        final MutableClock clock = new MutableClock(LocalDateTime.parse("2026-03-23T10:00").atZone(Ids.BEIJING).toInstant());
        Platform12345 platform;
        TestHub hub;
        Department department;
        QueueCapture queues;
        CaseStore cases;
        String jointCase;
        TaskStore.TaskRecord lead;
        List<TaskStore.TaskRecord> coTasks;

        @BeforeAll
        void start(@TempDir Path data) {
            platform = new Platform12345();
            hub = new TestHub(data, platform.baseUrl(), Map.of("hub.merge.enabled", true, "hub.deadlines.scan-period-ms", 200))
                    .withClock(clock).start();
            department = new Department(hub.brokerUrl());
            queues = new QueueCapture(department);
            cases = hub.bean(CaseStore.class);
        }

        @AfterAll
        void stop() {
            if (department != null) department.close();
            if (hub != null) hub.close();
            if (platform != null) platform.close();
        }

        @Test
        @Order(1)
        void aJointCaseGivesTheLeadATaskWithTheCitizensContactAndEachCoOrganisationOneWithout() {
            String appealId = push("GDCT0001", "13800000031", "南湖公园东门路面塌陷",
                    "南湖公园东门外人行道路面塌陷出一个大坑，周围没有任何警示标志，晚上路过的人很容易摔倒，请尽快修补。");
            jointCase = dispatched(appealId);
            List<TaskStore.TaskRecord> tasks = hub.bean(TaskStore.class).ofCase(jointCase);
            lead = tasks.stream().filter(t -> "lead".equals(String.valueOf(t.role()))).findFirst().orElseThrow();
            coTasks = tasks.stream().filter(t -> "co".equals(String.valueOf(t.role()))).toList();
            assertThat(coTasks).as("a joint case").isNotEmpty();

            JsonNode leadTask = matching(lead.queue(), taskMessage("task", lead.taskId()));
            assertThat(leadTask.path("role").asText()).isEqualTo("lead");
            assertThat(leadTask.path("appeal").path("citizen").path("phone").asText()).isEqualTo("13800000031");
            for (TaskStore.TaskRecord co : coTasks) {
                JsonNode coTask = matching(co.queue(), taskMessage("task", co.taskId()));
                assertThat(coTask.path("role").asText()).isEqualTo("co");
                assertThat(coTask.path("appeal").path("citizen").has("phone")).as("no contact for a co-organisation").isFalse();
            }
        }

        @Test
        @Order(2)
        void aSecondCitizensAppealMergesAndEveryTaskGetsANewSourceUpdate() {
            String appealId = push("GDCT0002", "13800000032", "南湖公园东门路面塌陷了",
                    "南湖公园东门外的人行道路面塌陷出一个大坑，周围没有警示标志，晚上路过的人很容易摔倒，请尽快修补。");
            await().atMost(Duration.ofSeconds(20)).until(() -> jointCase.equals(cases.caseIdOfAppeal(appealId)));

            JsonNode toLead = matching(lead.queue(), update("new-source", lead.taskId()));
            assertThat(toLead.path("appeal").path("appealId").asText()).isEqualTo(appealId);
            assertThat(toLead.path("appeal").path("citizen").path("phone").asText()).isEqualTo("13800000032");
            for (TaskStore.TaskRecord co : coTasks) {
                JsonNode toCo = matching(co.queue(), update("new-source", co.taskId()));
                assertThat(toCo.path("appeal").path("citizen").has("phone")).isFalse();
            }
        }

        @Test
        @Order(3)
        void aCoOrganisationsProgressReachesTheLeadAsAContribution() {
            TaskStore.TaskRecord co = coTasks.get(0);
            department.reply(taskOf(co), "progress", "已在塌陷处设置围挡和警示标志。");

            JsonNode contribution = matching(lead.queue(), update("contribution", lead.taskId()));
            assertThat(contribution.path("contribution").path("orgCode").asText()).isEqualTo(co.orgCode());
            assertThat(contribution.path("contribution").path("type").asText()).isEqualTo("progress");
        }

        @Test
        @Order(4)
        void anOrderNoRuleCanPlaceIsATriageItem() {
            String appealId = push(orderAt("GDCT0004", "13800000034", "反映一个问题", "希望有关部门关注一下这个事情。", "冀州区"));
            JsonNode triage = matching("hub.triage", m -> appealId.equals(Department.json(m).path("appealIds").path(0).asText()));
            assertThat(triage.path("reason").asText()).isEqualTo("unplaced");
        }

        @Test
        @Order(5)
        void anUrgentCaseIsATaskOfTopPriorityAndAnAlertForTheDutyLeader() throws JMSException {
            String appealId = push(orderAt("GDCT0005", "13800000035", "燃气泄漏",
                    "滏阳花园3号楼楼道里燃气泄漏，味道很大，请马上处理！", "冀州区冀州镇滏阳花园"));
            String caseId = dispatched(appealId);
            TaskStore.TaskRecord urgentLead = hub.bean(TaskStore.class).ofCase(caseId).stream()
                    .filter(t -> "lead".equals(String.valueOf(t.role()))).findFirst().orElseThrow();

            Message task = queues.take(urgentLead.queue(), taskMessage("task", urgentLead.taskId()));
            assertMatchesContract(urgentLead.queue(), task);
            assertThat(task.getJMSPriority()).isEqualTo(9);
            assertThat(Department.json(task).path("urgency").asText()).isEqualTo("urgent");

            JsonNode alert = matching("hub.duty.leader", taskMessage("emergency", urgentLead.taskId()));
            assertThat(alert.path("caseId").asText()).isEqualTo(caseId);
            assertThat(alert.toString()).doesNotContain("13800000035");
        }

        @Test
        @Order(6)
        void nearTheDeadlineAReminderAndAtItAnEscalation() {
            clock.set(fireAt(lead, "reminder").plusSeconds(1));
            JsonNode reminder = matching(lead.queue(), taskMessage("reminder", lead.taskId()));
            assertThat(reminder.path("deadline").asText()).isEqualTo(lead.deadline().toString());

            clock.set(fireAt(lead, "escalation").plusSeconds(1));
            JsonNode escalation = matching("hub.supervision", taskMessage("escalation", lead.taskId()));
            assertThat(escalation.path("org").asText()).isEqualTo(lead.orgCode());
            assertThat(escalation.path("level").asInt()).isEqualTo(1);
        }

        /** Whatever else the hub put on the queues read (co-organisations' reminders, ...) matches too. */
        @Test
        @Order(7)
        void everyMessageTakenOffTheQueuesMatchesTheContract() {
            List<QueueCapture.Captured> all = queues.everything();
            assertThat(all).extracting(c -> Department.property(c.message(), "hubMessageType")).filteredOn(Objects::nonNull)
                    .contains("task", "task-update", "reminder", "escalation", "emergency");
            for (QueueCapture.Captured c : all) assertMatchesContract(c.queue(), c.message());
        }

        // ---- helpers ----

        /** A 12345 order from this citizen at 南湖公园东门, signed at the hub's clock (the hub checks the time). */
        private String push(String gdbh, String phone, String title, String content) {
            return push(orderAt(gdbh, phone, title, content, "冀州区冀州镇南湖公园东门"));
        }

        private Map<String, Object> orderAt(String gdbh, String phone, String title, String content, String address) {
            Map<String, Object> order = Platform12345.order(gdbh, title, content, address);
            order.put("lxdh", phone);
            return order;
        }

        private String push(Map<String, Object> order) {
            var answer = platform.push(hub.url("/api/hotline12345/workorders"), Platform12345.bytes(order),
                    clock.instant().getEpochSecond(), Platform12345.SECRET);
            assertThat(answer.status()).as(answer.body().toString()).isEqualTo(200);
            return answer.appealId();
        }

        /** The case of an appeal, once dispatched. */
        private String dispatched(String appealId) {
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                String caseId = cases.caseIdOfAppeal(appealId);
                return caseId != null && "DISPATCHED".equals(String.valueOf(cases.findCase(caseId).status()));
            });
            return cases.caseIdOfAppeal(appealId);
        }

        /** Enough of a task to answer it. */
        private JsonNode taskOf(TaskStore.TaskRecord task) {
            return JSON.createObjectNode().put("taskId", task.taskId()).put("orgCode", task.orgCode());
        }

        private Instant fireAt(TaskStore.TaskRecord task, String kind) {
            return hub.bean(DeadlineTimerStore.class).ofTask(task.taskId()).stream().filter(t -> kind.equals(t.kind()))
                    .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " timer for " + task.taskId())).nextFireAt();
        }

        /** Waits for the message and checks it against the contract; returns its body. */
        private JsonNode matching(String queue, Predicate<Message> wanted) {
            Message m = queues.take(queue, wanted);
            assertMatchesContract(queue, m);
            return Department.json(m);
        }

        private void assertMatchesContract(String queue, Message m) {
            String type = Department.property(m, "hubMessageType");
            assertThat(problems(queue, m)).as("%s message on %s: %s", type, queue, Department.json(m)).isEmpty();
        }

        private List<String> problems(String queue, Message m) {
            QueueContract.Message expected = contract.messageOn(queue, Department.property(m, "hubMessageType"));
            List<String> problems = new ArrayList<>(contract.check(expected.payloadFile(), Department.json(m)));
            Map<String, String> properties = new LinkedHashMap<>();
            for (String name : QueueContract.headerNames(expected)) {
                String value = Department.property(m, name);
                if (value != null) properties.put(name, value);
            }
            problems.addAll(contract.checkHeaders(expected, properties));
            // task.schema.json: priority is the JMS priority the task is sent with
            JsonNode priority = Department.json(m).path("priority");
            if (("Task".equals(expected.name()) || "TaskUpdate".equals(expected.name())) && priority.asInt() != jmsPriority(m)) {
                problems.add("priority " + priority + " but sent with JMS priority " + jmsPriority(m));
            }
            return problems;
        }
    }

    private static int jmsPriority(Message m) {
        try {
            return m.getJMSPriority();
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Predicate<Message> taskMessage(String type, String taskId) {
        return m -> type.equals(Department.property(m, "hubMessageType")) && taskId.equals(Department.property(m, "taskId"));
    }

    private static Predicate<Message> update(String kind, String taskId) {
        return m -> "task-update".equals(Department.property(m, "hubMessageType"))
                && kind.equals(Department.json(m).path("kind").asText())
                && taskId.equals(Department.json(m).path("taskId").asText());
    }
}
