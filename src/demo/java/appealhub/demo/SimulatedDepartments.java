package appealhub.demo;

import appealhub.organization.OrganizationRegistry;
import appealhub.config.BrokerUsers;
import appealhub.contract.Queues;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jms.JmsComponent;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * Default run only (hub.demo.departments=true): every department and township "answers"
 * its tasks like a real client would: over TCP, logged in as its own broker user (the demo
 * password from hub.broker.users-file), accept after a moment, then resolve with a result
 * (hub.demo.accept-after-ms, resolve-after-ms after the task arrived).
 */
@Component
@ConditionalOnProperty(prefix = "hub.demo", name = "departments", havingValue = "true")
public class SimulatedDepartments extends RouteBuilder implements DisposableBean {
    /** Artemis' message property for delivery at a later time (epoch ms). */
    private static final String SCHEDULED_DELIVERY = "_AMQ_SCHED_DELIVERY";
    private final OrganizationRegistry registry;
    private final ObjectMapper json;
    private final long acceptAfterMs;
    private final long resolveAfterMs;
    private final String brokerUrl;
    private final Path usersFile;
    private final List<CachingConnectionFactory> logins = new ArrayList<>();

    public SimulatedDepartments(OrganizationRegistry registry, ObjectMapper json,
                                @Value("${hub.demo.accept-after-ms}") long acceptAfterMs,
                                @Value("${hub.demo.resolve-after-ms}") long resolveAfterMs,
                                @Value("${hub.broker.host}") String host, @Value("${hub.broker.port}") int port,
                                @Value("${hub.broker.users-file}") String usersFile) {
        this.registry = registry;
        this.json = json;
        this.acceptAfterMs = acceptAfterMs;
        this.resolveAfterMs = resolveAfterMs;
        this.brokerUrl = "tcp://" + host + ":" + port;
        this.usersFile = Path.of(usersFile);
    }

    @Override
    public void configure() {
        BrokerUsers users = BrokerUsers.read(usersFile);
        List<String> codes = new ArrayList<>();
        registry.departments().forEach(d -> codes.add(d.code()));
        registry.townships().forEach(t -> codes.add(t.code()));
        for (String code : codes) {
            // One login (one connection) per organisation: it takes its tasks and sends its replies with it.
            CachingConnectionFactory login = new CachingConnectionFactory(
                    new ActiveMQConnectionFactory(brokerUrl, code, users.clearPassword(code)));
            logins.add(login);
            getContext().addComponent(component(code), JmsComponent.jmsComponent(login));
            String queue = registry.taskQueue(code);
            from(component(code) + ":queue:" + queue).routeId("simulated-" + queue)
                    .setProperty("login", constant(component(code)))
                    // Only tasks are answered; reminders and task updates are read and dropped.
                    .filter(simple("${header.hubMessageType} == null || ${header.hubMessageType} == 'task'"))
                    .to("direct:simulated-department");
        }
        // Both replies are sent at once, as scheduled messages the broker delivers later: nothing waits
        // in the hub's memory, so a stop is immediate and a kill -9 loses no simulated answer.
        from("direct:simulated-department").routeId("simulated-department")
                .setProperty("task", body())
                // A reply is a new message: none of the task's JMS properties (its duplicate id above all).
                .removeHeaders("*")
                .process(e -> reply(e, "accept", acceptAfterMs))
                .toD("${exchangeProperty.login}:queue:" + Queues.REPLIES)
                .removeHeaders("*")
                .process(e -> reply(e, "resolve", resolveAfterMs))
                .toD("${exchangeProperty.login}:queue:" + Queues.REPLIES);
    }

    private void reply(org.apache.camel.Exchange e, String type, long afterMs) throws Exception {
        e.getMessage().setBody(reply(e.getProperty("task", String.class), type));
        e.getMessage().setHeader(SCHEDULED_DELIVERY, System.currentTimeMillis() + afterMs);
        // one task's replies in one message group: applied in the order they are sent (queue contract)
        e.getMessage().setHeader("JMSXGroupID", json.readTree(e.getProperty("task", String.class)).path("taskId").asText());
    }

    /** The Camel JMS component logged in as one organisation. */
    private static String component(String orgCode) {
        return "simulated-" + orgCode.toLowerCase(Locale.ROOT);
    }

    @Override
    public void destroy() {
        logins.forEach(CachingConnectionFactory::destroy);
    }

    private String reply(String body, String type) throws Exception {
        JsonNode task = json.readTree(body);
        String orgName = task.path("orgName").asText();
        Map<String, Object> reply = new java.util.LinkedHashMap<>();
        reply.put("replyId", UUID.randomUUID().toString());
        reply.put("taskId", task.path("taskId").asText());
        reply.put("orgCode", task.path("orgCode").asText());
        reply.put("type", type);
        reply.put("handler", orgName + "值班员");
        if ("resolve".equals(type)) {
            reply.put("text", "经" + orgName + "核实处理，您反映的“" + task.path("appeal").path("title").asText()
                    + "”问题已解决。感谢您的监督。");
        }
        return json.writeValueAsString(reply);
    }
}
