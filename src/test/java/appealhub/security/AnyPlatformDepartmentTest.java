package appealhub.security;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.moreThanOrExactly;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.store.CaseStore;
import appealhub.store.TaskStore;
import appealhub.support.Department;
import appealhub.support.Platform12345;
import appealhub.support.Python;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Departments on any platform: the embedded broker's AMQP 1.0 and STOMP acceptors, used by
 * non-Java clients. A Python department (docs/queue-contract/examples/department.py, Debian's
 * python3-qpid-proton) takes its task and accepts and resolves it; the same logins and rights
 * hold as over CORE, and the hub knows the validated sender of a reply whatever its protocol.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnyPlatformDepartmentTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path EXAMPLE = Python.DEPARTMENT;
    static final Path SEND = Python.SEND;
    static final String RESULT = "您反映的滏阳花园小区南门外路灯不亮问题，已更换损坏线路和灯具，现已恢复正常照明。";

    Platform12345 platform;
    TestHub hub;
    Department operations;
    int amqpPort;
    int stompPort;

    @BeforeAll
    void start(@TempDir Path data) throws Exception {
        Python.requireProton();
        amqpPort = TestHub.freePort();
        stompPort = TestHub.freePort();
        platform = new Platform12345();
        hub = new TestHub(data, platform.baseUrl(), Map.of("hub.broker.amqp-port", amqpPort,
                "hub.broker.stomp-port", stompPort)).start();
        operations = new Department(hub.brokerUrl());
    }

    @AfterAll
    void stop() {
        if (operations != null) operations.close();
        if (hub != null) hub.close();
        if (platform != null) platform.close();
    }

    @Test
    void aPythonDepartmentTakesItsTaskAndAcceptsAndResolvesItOverAmqp() throws Exception {
        String gdbh = "GDAMQP0000001";
        String appealId = platform.push(hub.url(""), Platform12345.streetLight(gdbh)).appealId();
        String taskId = leadTask(appealId);
        TaskStore tasks = hub.bean(TaskStore.class);
        assertThat(tasks.find(taskId).orgCode()).isEqualTo("D16");

        // D17 answers D16's task over AMQP, claiming D16 in the reply and in the properties a JMS
        // client reads the sender from: the broker's stamp wins, the hub refuses it.
        Python.Run forged = Python.run(Map.of("BROKER_PASSWORD", "demo-D17"), SEND.toString(), amqpUrl(), "D17", "hub.task.replies",
                reply(taskId, "D16", "resolve", "已处理"), "JMSXUserID=D16", "_AMQ_VALIDATED_USER=D16");
        assertThat(forged.exit()).as(forged.output()).isZero();
        Message dead = deadReplyFor(taskId);
        assertThat(dead.getStringProperty("hubDeadReason")).isEqualTo("sender D17 may not answer task " + taskId);
        assertThat(tasks.find(taskId).status()).hasToString("SENT");

        // D16's own system, in Python: the contract's example, as a department runs it.
        Python.Run d16 = Python.run(Map.of("BROKER_PASSWORD", "demo-D16"), EXAMPLE.toString(), "--url", amqpUrl(), "--org", "D16",
                "--resolve", RESULT, "--tasks", "1", "--timeout", "45");
        assertThat(d16.exit()).as(d16.output()).isZero();
        assertThat(d16.output()).contains("task " + taskId + " of case ").doesNotContain("13800000000");

        CaseStore cases = hub.bean(CaseStore.class);
        String caseId = cases.caseIdOfAppeal(appealId);
        await().atMost(Duration.ofSeconds(15)).until(() -> "RESOLVED".equals(String.valueOf(cases.findCase(caseId).status())));
        assertThat(tasks.find(taskId).status()).hasToString("RESOLVED");
        assertThat(cases.events(caseId)).extracting(CaseStore.CaseEvent::type).contains("accepted", "resolved");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            // At least once: the example sends accept and resolve back to back, and the hub applies replies
            // in parallel; now and then the resolve still sees the task SENT and implies a second 办理中.
            platform.wireMock().verify(moreThanOrExactly(1), postRequestedFor(urlEqualTo("/api/v1/workorders/" + gdbh + "/reply"))
                    .withRequestBody(matchingJsonPath("$.blzt", equalTo("办理中"))));
            platform.wireMock().verify(1, postRequestedFor(urlEqualTo("/api/v1/workorders/" + gdbh + "/reply"))
                    .withRequestBody(matchingJsonPath("$.blzt", equalTo("办结")))
                    .withRequestBody(matchingJsonPath("$.bljg", equalTo(RESULT))));
        });
        assertThat(operations.count("dept.D16.tasks")).as("the task settled, off D16's queue").isZero();
        assertThat(operations.receiveMessage("hub.dead.replies", 500)).as("no reply of D16's refused").isNull();
    }

    @Test
    void overAmqpADepartmentTakesNoOtherQueueAndSendsOnlyReplies() throws Exception {
        String queue = "dept.D17.tasks";
        operations.sendAs("hub", queue, "{\"taskId\":\"TKRIGHTS\"}");
        assertThat(operations.count(queue)).isEqualTo(1);

        Python.Run other = Python.run(Map.of("BROKER_PASSWORD", "demo-D16"), EXAMPLE.toString(), "--url", amqpUrl(), "--org", "D16",
                "--queue", queue, "--tasks", "1", "--timeout", "20");
        assertThat(other.exit()).as(other.output()).isEqualTo(2);
        assertThat(other.output()).contains("amqp:unauthorized-access").contains("CONSUME");

        Python.Run send = Python.run(Map.of("BROKER_PASSWORD", "demo-D16"), SEND.toString(), amqpUrl(), "D16", queue,
                "{\"taskId\":\"forged\"}");
        assertThat(send.exit()).as(send.output()).isEqualTo(2);
        assertThat(send.output()).contains("amqp:unauthorized-access");

        Python.Run wrongPassword = Python.run(Map.of("BROKER_PASSWORD", "not-D16s"), EXAMPLE.toString(), "--url", amqpUrl(),
                "--org", "D16", "--timeout", "20");
        assertThat(wrongPassword.exit()).as(wrongPassword.output()).isEqualTo(2);
        assertThat(operations.count(queue)).as("D17's queue untouched").isEqualTo(1);
        operations.drain(queue, 200);
    }

    @Test
    void overStompADepartmentTakesItsTaskAndAnswersAsItself() throws Exception {
        String appealId = platform.push(hub.url(""), Platform12345.streetLight("GDSTOMP000001")).appealId();
        String taskId = leadTask(appealId);

        try (Stomp d17 = new Stomp(stompPort, "D17", "demo-D17")) {
            // Another organisation's queue: refused (Artemis' STOMP error names no reason; D16's same
            // SUBSCRIBE below gets its task, so it is the right that is missing, not the frame).
            Map<String, String> refused = d17.request("SUBSCRIBE", Map.of("id", "1", "destination", "dept.D16.tasks",
                    "subscription-type", "ANYCAST", "ack", "client-individual", "receipt", "sub-1"), null);
            assertThat(refused.get("frame")).as(refused.toString()).isEqualTo("ERROR");
            assertThat(refused.get("message")).contains("Error creating subscription");
        }
        try (Stomp d17 = new Stomp(stompPort, "D17", "demo-D17")) {
            // A reply for D16's task in D16's name: the hub sees D17.
            Map<String, String> sent = d17.request("SEND", Map.of("destination", "hub.task.replies",
                    "destination-type", "ANYCAST", "JMSXUserID", "D16", "receipt", "send-1"), reply(taskId, "D16", "accept", null));
            assertThat(sent.get("frame")).isEqualTo("RECEIPT");
        }
        assertThat(deadReplyFor(taskId).getStringProperty("hubDeadReason")).isEqualTo("sender D17 may not answer task " + taskId);

        try (Stomp d16 = new Stomp(stompPort, "D16", "demo-D16")) {
            d16.send("SUBSCRIBE", Map.of("id", "1", "destination", "dept.D16.tasks", "subscription-type", "ANYCAST",
                    "ack", "client-individual"), null);
            Map<String, String> message = d16.read();
            assertThat(message.get("frame")).isEqualTo("MESSAGE");
            assertThat(JSON.readTree(message.get("body")).path("taskId").asText()).isEqualTo(taskId);
            assertThat(message.get("hubMessageType")).isEqualTo("task");
            Map<String, String> sent = d16.request("SEND", Map.of("destination", "hub.task.replies",
                    "destination-type", "ANYCAST", "receipt", "send-2"), reply(taskId, "D16", "accept", null));
            assertThat(sent.get("frame")).isEqualTo("RECEIPT");
            d16.send("ACK", Map.of("id", message.get("ack")), null);
        }
        TaskStore tasks = hub.bean(TaskStore.class);
        await().atMost(Duration.ofSeconds(15)).until(() -> "ACCEPTED".equals(String.valueOf(tasks.find(taskId).status())));
        await().atMost(Duration.ofSeconds(5)).until(() -> operations.count("dept.D16.tasks") == 0);
    }

    @Test
    void theContractShowsThePythonDepartmentThatIsTestedHere() throws Exception {
        assertThat(Files.readString(Path.of("docs/queue-contract/README.md")))
                .as("docs/queue-contract/README.md shows examples/department.py as it is")
                .contains("```python\n" + Files.readString(EXAMPLE) + "```");
    }

    /** The lead task of an appeal, once it is on its queue. */
    private String leadTask(String appealId) {
        JdbcTemplate db = hub.bean(JdbcTemplate.class);
        String sql = "select t.task_id from task t join appeal a on a.case_id = t.case_id "
                + "where a.appeal_id = ? and t.role = 'lead' and t.queued_at is not null";
        await().atMost(Duration.ofSeconds(20)).until(() -> !db.queryForList(sql, String.class, appealId).isEmpty());
        return db.queryForObject(sql, String.class, appealId);
    }

    private Message deadReplyFor(String taskId) {
        return operations.awaitMessage("hub.dead.replies", m -> {
            try {
                return ((TextMessage) m).getText().contains(taskId);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private String amqpUrl() {
        return "amqp://127.0.0.1:" + amqpPort;
    }

    private static String reply(String taskId, String orgCode, String type, String text) throws Exception {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("replyId", UUID.randomUUID().toString());
        reply.put("taskId", taskId);
        reply.put("orgCode", orgCode);
        reply.put("type", type);
        if (text != null) reply.put("text", text);
        return JSON.writeValueAsString(reply);
    }

    /** A STOMP 1.2 client in a few lines: frames over a socket, what any platform can do. */
    static final class Stomp implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Stomp(int port, String login, String passcode) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(15_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
            Map<String, String> connected = request("CONNECT", Map.of("accept-version", "1.2", "host", "127.0.0.1",
                    "login", login, "passcode", passcode), null);
            assertThat(connected.get("frame")).as("STOMP login as " + login + ": " + connected).isEqualTo("CONNECTED");
        }

        void send(String command, Map<String, String> headers, String body) throws IOException {
            StringBuilder frame = new StringBuilder(command).append('\n');
            headers.forEach((k, v) -> frame.append(k).append(':').append(v).append('\n'));
            frame.append('\n');
            if (body != null) frame.append(body);
            out.write(frame.toString().getBytes(StandardCharsets.UTF_8));
            out.write(0);
            out.flush();
        }

        Map<String, String> request(String command, Map<String, String> headers, String body) throws IOException {
            send(command, headers, body);
            return read();
        }

        /** The next frame: its command as "frame", its headers, its body as "body". */
        Map<String, String> read() throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) == '\n' || b == '\r') {
                // heart-beats between frames
            }
            while (b > 0) {
                bytes.write(b);
                b = in.read();
            }
            if (b < 0 && bytes.size() == 0) throw new IOException("connection closed");
            String text = bytes.toString(StandardCharsets.UTF_8);
            int blank = text.indexOf("\n\n");
            String[] head = (blank < 0 ? text : text.substring(0, blank)).split("\n");
            Map<String, String> frame = new LinkedHashMap<>();
            frame.put("frame", head[0].trim());
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                if (colon > 0) frame.putIfAbsent(head[i].substring(0, colon), head[i].substring(colon + 1));
            }
            frame.put("body", blank < 0 ? "" : text.substring(blank + 2));
            return frame;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
