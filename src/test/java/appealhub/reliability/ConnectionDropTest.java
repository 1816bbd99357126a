package appealhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.contract.Queues;
import appealhub.config.BrokerUsers;
import appealhub.support.Department;
import appealhub.support.HandOverAudit;
import appealhub.support.OrderLoad;
import appealhub.support.Platform12345;
import appealhub.support.StandaloneArtemis;
import appealhub.support.TestHub;
import jakarta.jms.Message;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueRequestor;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.ActiveMQJMSClient;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The hub's consuming connection cut while hand-overs wait on hub.intake (a network blip, a
 * firewall dropping idle connections, an operator closing it in the console): the broker counts
 * a delivery for every message it had sent to a consumer whose connection failed, acknowledged or
 * not. Were the consumers to read ahead (Artemis' default: 1 MiB of messages per consumer), each
 * cut would spend one delivery attempt of every hand-over waiting in their buffers, and a few cuts
 * would park good hand-overs on the dead-letter queue. The hub's consumers take one message at a
 * time (hub.broker.consumer-window-size 0): five cuts here, with a broker that dead-letters at the
 * third delivery, and nothing is parked, every order is placed, each task sent once.
 */
class ConnectionDropTest {

    @Test
    void cuttingTheHubsConsumingConnectionSpendsNoDeliveryAttemptOfTheHandOversWaiting(@TempDir Path dir) throws Exception {
        int orders = 1500;
        int cuts = 5;
        try (StandaloneArtemis broker = new StandaloneArtemis(dir.resolve("broker"), 100, 3);
             Platform12345 platform = new Platform12345()) {
            broker.start();
            Map<String, Object> flags = new HashMap<>(broker.hubProperties());
            flags.put("hub.intake.recovery-after-seconds", 3);
            flags.put("hub.intake.recovery-period-ms", 1000);
            // one platform from one address pushing faster than placement: a backlog on hub.intake
            flags.put("hub.push.rate-limit.enabled", false);
            // -Dhub.test.consumer-window-size=1048576 (Artemis' default read-ahead) shows what the test catches
            String window = System.getProperty("hub.test.consumer-window-size");
            if (window != null) flags.put("hub.broker.consumer-window-size", Integer.parseInt(window));
            TestHub hub = new TestHub(dir.resolve("hub"), platform.baseUrl(), flags).start();
            try {
                JdbcTemplate db = hub.bean(JdbcTemplate.class);
                OrderLoad load = new OrderLoad(platform, hub.url(""), "GDCUT", orders, 8, answer -> { });
                Map<String, String> answered = load.answered();

                int cutsWithAWaitingHandOver = 0;
                for (int cut = 1; cut <= cuts; cut++) {
                    int before = cut;
                    await().atMost(Duration.ofSeconds(120)).until(() -> answered.size() >= before * orders / (cuts + 2));
                    // hand-overs pushed faster than placed: some wait on hub.intake when its consumers are cut
                    long onQueue = (Long) management(broker, ResourceNames.QUEUE + Queues.INTAKE, "messageCount", null);
                    long delivering = (Long) management(broker, ResourceNames.QUEUE + Queues.INTAKE, "deliveringCount", null);
                    if (onQueue >= 10) cutsWithAWaitingHandOver++;
                    System.out.printf("cut %d: %d hand-overs on hub.intake, %d of them out to the consumers; %d answered%n",
                            cut, onQueue, delivering, answered.size());
                    assertThat(management(broker, ResourceNames.BROKER, null, "closeConsumerConnectionsForAddress", Queues.INTAKE))
                            .as("the broker closed the hub's consumers").isEqualTo(true);
                    // the consumers connect again (hub.broker.consumer-recovery-ms) and finish the hand-overs
                    // they were handling when cut (cut again in the middle of them, those would rightly be
                    // charged again: the broker's count is for messages handled, not waiting)
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                            (Long) management(broker, ResourceNames.QUEUE + Queues.INTAKE, "consumerCount", null) > 0);
                    Thread.sleep(2000);
                }

                assertThat(load.awaitAllTaken(Duration.ofSeconds(240))).isTrue();
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() ->
                        db.queryForObject("select count(*) from hub_case where status = 'RECEIVED'", Integer.class) == 0);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() ->
                        db.queryForObject("select count(*) from task where queued_at is null", Integer.class) == 0);
                Thread.sleep(2000); // a recovery pass more, which must send nothing twice

                HandOverAudit audit;
                try (Department departments = new Department(broker.url())) {
                    audit = HandOverAudit.drain(departments);
                }
                System.out.printf("connection drop: %d cuts, %d of them with ten hand-overs or more waiting; dead letters %s%n",
                        cuts, cutsWithAWaitingHandOver, audit.deadLetters);
                // three cuts with a backlog: enough for a read-ahead to spend all 3 delivery attempts of a waiting hand-over
                assertThat(cutsWithAWaitingHandOver).as("cuts made while ten hand-overs or more waited (else the test shows nothing)")
                        .isGreaterThanOrEqualTo(3);
                assertThat(audit.deadLetters).as("messages on dead-letter queues").isEmpty();
                audit.assertEachOrderHandedOverOnce(db, answered.values(), orders, null, 0, null);
            } finally {
                hub.stop();
            }
        }
    }

    /** The broker's management, as an operator's console uses it: an attribute's value or an operation's result. */
    private static Object management(StandaloneArtemis broker, String resource, String attribute, String operation,
                                     Object... arguments) throws Exception {
        BrokerUsers users = BrokerUsers.read(Department.DEMO_USERS);
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.url(), Department.HUB_USER,
                users.clearPassword(Department.HUB_USER));
        try (QueueConnection connection = factory.createQueueConnection()) {
            connection.start();
            QueueSession session = connection.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueRequestor requestor = new QueueRequestor(session, ActiveMQJMSClient.createQueue("activemq.management"));
            Message request = session.createMessage();
            if (attribute != null) JMSManagementHelper.putAttribute(request, resource, attribute);
            else JMSManagementHelper.putOperationInvocation(request, resource, operation, arguments);
            Message reply = requestor.request(request);
            assertThat(JMSManagementHelper.hasOperationSucceeded(reply)).as("management %s %s", resource, operation).isTrue();
            Object result = JMSManagementHelper.getResult(reply);
            return result instanceof Number n && attribute != null ? Long.valueOf(n.longValue()) : result;
        } finally {
            factory.close();
        }
    }
}
