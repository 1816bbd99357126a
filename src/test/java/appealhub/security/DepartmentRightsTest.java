package appealhub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import appealhub.store.TaskStore;
import appealhub.support.Department;
import appealhub.support.Platform12345;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.JMSSecurityRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.activemq.artemis.utils.DefaultSensitiveStringCodec;
import org.apache.activemq.artemis.utils.PasswordMaskingUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Department rights on the embedded broker, with real logins over TCP: an organisation takes
 * only its own tasks and sends only replies, and a reply for another organisation's task is
 * refused on the user the broker validated (JMSXUserID), whatever orgCode the reply claims.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DepartmentRightsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String D16_PASSWORD = "demo-D16";

    Platform12345 platform;
    TestHub hub;
    Department operations;
    Path usersFile;

    @BeforeAll
    void start(@TempDir Path data) throws Exception {
        // The demo users, but D16's password as production keeps it: a one-way hash.
        usersFile = data.resolve("broker-users.properties");
        String users = Files.readString(Department.DEMO_USERS, StandardCharsets.ISO_8859_1)
                .replace("D16 = " + D16_PASSWORD, "D16 = " + hash(D16_PASSWORD));
        assertThat(users).contains("D16 = ENC(");
        Files.writeString(usersFile, users, StandardCharsets.ISO_8859_1);
        platform = new Platform12345();
        hub = new TestHub(data.resolve("hub"), platform.baseUrl(), Map.of("hub.broker.users-file", usersFile)).start();
        operations = new Department(hub.brokerUrl());
    }

    @AfterAll
    void stop() {
        if (operations != null) operations.close();
        if (hub != null) hub.close();
        if (platform != null) platform.close();
    }

    @Test
    void aDepartmentTakesItsOwnTasksAndNoOtherMayAnswerThemInItsName() throws Exception {
        String appealId = platform.push(hub.url(""), Platform12345.streetLight("GDSEC0000001")).appealId();

        // D16 as the contract's client does it: its own queue, a transacted session, its hashed password.
        JsonNode task;
        try (JMSContext d16 = login("D16", D16_PASSWORD, JMSContext.SESSION_TRANSACTED)) {
            Message message = d16.createConsumer(d16.createQueue("dept.D16.tasks")).receive(15_000);
            assertThat(message).as("D16's task").isNotNull();
            task = JSON.readTree(message.getBody(String.class));
            d16.commit();
        }
        assertThat(task.path("appeal").path("appealId").asText()).isEqualTo(appealId);
        String taskId = task.path("taskId").asText();

        // D17 answers it as if it were D16: the right orgCode, even a forged JMSXUserID.
        try (JMSContext d17 = login("D17", "demo-D17", JMSContext.AUTO_ACKNOWLEDGE)) {
            TextMessage forged = d17.createTextMessage(reply(taskId, "D16", "resolve", "已处理"));
            forged.setStringProperty("JMSXUserID", "D16");
            d17.createProducer().send(d17.createQueue("hub.task.replies"), forged);
        }
        Message dead = operations.receiveMessage("hub.dead.replies", 10_000);
        assertThat(dead).as("the forged reply, dead-lettered").isNotNull();
        assertThat(dead.getStringProperty("hubDeadReason")).isEqualTo("sender D17 may not answer task " + taskId);
        assertThat(((TextMessage) dead).getText()).contains(taskId).contains("\"orgCode\":\"D16\"");
        TaskStore tasks = hub.bean(TaskStore.class);
        assertThat(tasks.find(taskId).status()).hasToString("SENT");

        // D16 itself answers: applied.
        try (JMSContext d16 = login("D16", D16_PASSWORD, JMSContext.AUTO_ACKNOWLEDGE)) {
            d16.createProducer().send(d16.createQueue("hub.task.replies"), reply(taskId, "D16", "accept", null));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> "ACCEPTED".equals(String.valueOf(tasks.find(taskId).status())));
        assertThat(operations.receiveMessage("hub.dead.replies", 500)).as("nothing else dead-lettered").isNull();
    }

    @Test
    void aDepartmentCannotTakeOrLookAtAnotherDepartmentsTasks() throws Exception {
        try (JMSContext d16 = login("D16", D16_PASSWORD, JMSContext.AUTO_ACKNOWLEDGE)) {
            assertThatThrownBy(() -> d16.createConsumer(d16.createQueue("dept.D17.tasks")))
                    .isInstanceOf(JMSSecurityRuntimeException.class).hasMessageContaining("CONSUME");
            assertThatThrownBy(() -> d16.createBrowser(d16.createQueue("township.T03.tasks")).getEnumeration())
                    .isInstanceOf(JMSSecurityException.class).hasMessageContaining("BROWSE");
            assertThatThrownBy(() -> d16.createConsumer(d16.createQueue("hub.dead.replies")))
                    .isInstanceOf(JMSSecurityRuntimeException.class);
            // Its own queue it may look at.
            assertThat(d16.createBrowser(d16.createQueue("dept.D16.tasks")).getEnumeration()).isNotNull();
        }
    }

    @Test
    void aDepartmentSendsOnlyReplies() {
        try (JMSContext d16 = login("D16", D16_PASSWORD, JMSContext.AUTO_ACKNOWLEDGE)) {
            for (String queue : new String[] {"dept.D17.tasks", "hub.intake", "hub.triage", "hub.dead.replies",
                    "outbound.grid.feedback"}) {
                assertThatThrownBy(() -> d16.createProducer().send(d16.createQueue(queue), "{}"))
                        .as("send to " + queue).isInstanceOf(JMSSecurityRuntimeException.class)
                        .hasMessageContaining("User: D16 does not have permission");
            }
            // Nor make queues of its own (a JMS consumer of its own queue needs none).
            assertThatThrownBy(() -> d16.createConsumer(d16.createQueue("dept.D16.tasks.copy")))
                    .isInstanceOf(JMSSecurityRuntimeException.class);
            assertThatThrownBy(d16::createTemporaryQueue).isInstanceOf(JMSSecurityRuntimeException.class);
        }
        assertThat(operations.count("dept.D17.tasks")).as("nothing reached D17's queue").isZero();
    }

    @Test
    void theGridAppSendsReportsAndReadsItsFeedbackOnly() {
        try (JMSContext grid = login("grid", "demo-grid", JMSContext.AUTO_ACKNOWLEDGE)) {
            grid.createConsumer(grid.createQueue("outbound.grid.feedback")).close();
            assertThatThrownBy(() -> grid.createConsumer(grid.createQueue("dept.D16.tasks")))
                    .isInstanceOf(JMSSecurityRuntimeException.class);
            assertThatThrownBy(() -> grid.createProducer().send(grid.createQueue("hub.task.replies"), "{}"))
                    .isInstanceOf(JMSSecurityRuntimeException.class);
        }
    }

    @Test
    void theSupervisionOfficeAndTheDutyLeaderReadTheirOwnQueueOnly() {
        try (JMSContext office = login("supervision", "demo-supervision", JMSContext.AUTO_ACKNOWLEDGE)) {
            office.createConsumer(office.createQueue("hub.supervision")).close();
            for (String queue : new String[] {"hub.duty.leader", "dept.D16.tasks", "hub.dead.replies"}) {
                assertThatThrownBy(() -> office.createConsumer(office.createQueue(queue)))
                        .as("supervision takes " + queue).isInstanceOf(JMSSecurityRuntimeException.class);
            }
            assertThatThrownBy(() -> office.createProducer().send(office.createQueue("hub.task.replies"), "{}"))
                    .isInstanceOf(JMSSecurityRuntimeException.class);
        }
        try (JMSContext duty = login("duty", "demo-duty", JMSContext.AUTO_ACKNOWLEDGE)) {
            duty.createConsumer(duty.createQueue("hub.duty.leader")).close();
            assertThatThrownBy(() -> duty.createConsumer(duty.createQueue("hub.supervision")))
                    .isInstanceOf(JMSSecurityRuntimeException.class);
        }
    }

    @Test
    void aWrongPasswordAnUnknownUserAndNoLoginAtAllAreRefused() {
        assertRefused("D16", "demo-D17");
        assertRefused("D99", "demo-D99");
        assertRefused(null, null);
        // Artemis' built-in cluster user would pass every check: its default password must not open the broker.
        assertThatThrownBy(() -> new ActiveMQConnectionFactory(hub.brokerUrl())
                .createConnection("ACTIVEMQ.CLUSTER.ADMIN.USER", "CHANGE ME!!").close())
                .isInstanceOf(jakarta.jms.JMSException.class).hasMessageContaining("Unable to authenticate cluster user");
    }

    @Test
    void aChangedUsersFileCountsFromTheNextLogin() throws Exception {
        // (Not tried before the change: the broker remembers a refused login for a few seconds.)
        String users = Files.readString(usersFile, StandardCharsets.ISO_8859_1);
        Files.writeString(usersFile, users.replace("T05 = demo-T05", "T05 = " + hash("new-T05-password")),
                StandardCharsets.ISO_8859_1);
        try (JMSContext t05 = login("T05", "new-T05-password", JMSContext.AUTO_ACKNOWLEDGE)) {
            t05.createConsumer(t05.createQueue("township.T05.tasks")).close();
        }
        assertRefused("T05", "demo-T05");
    }

    private JMSContext login(String user, String password, int sessionMode) {
        return new ActiveMQConnectionFactory(hub.brokerUrl()).createContext(user, password, sessionMode);
    }

    private void assertRefused(String user, String password) {
        assertThatThrownBy(() -> new ActiveMQConnectionFactory(hub.brokerUrl()).createConnection(user, password).close())
                .as("login as " + user).isInstanceOf(JMSSecurityException.class);
    }

    private static String reply(String taskId, String orgCode, String type, String text) throws Exception {
        var reply = JSON.createObjectNode().put("replyId", UUID.randomUUID().toString()).put("taskId", taskId)
                .put("orgCode", orgCode).put("type", type);
        if (text != null) reply.put("text", text);
        return JSON.writeValueAsString(reply);
    }

    /** As an operator makes one for the users file: Artemis' one-way codec, wrapped in ENC(). */
    private static String hash(String password) {
        try {
            DefaultSensitiveStringCodec codec = new DefaultSensitiveStringCodec();
            codec.init(Map.of(DefaultSensitiveStringCodec.ALGORITHM, DefaultSensitiveStringCodec.ONE_WAY));
            return PasswordMaskingUtil.wrap(codec.encode(password));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
