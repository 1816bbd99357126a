package appealhub.demo;

import appealhub.classify.OrganizationRegistry;
import appealhub.config.Queues;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Default run only (hub.demo.departments=true): every department and township "answers"
 * its tasks like a real client would: accept after a moment, then resolve with a result.
 */
@Component
@ConditionalOnProperty(prefix = "hub.demo", name = "departments", havingValue = "true")
public class SimulatedDepartments extends RouteBuilder {
    private final OrganizationRegistry registry;
    private final ObjectMapper json;
    private final long acceptAfterMs;
    private final long resolveAfterMs;

    public SimulatedDepartments(OrganizationRegistry registry, ObjectMapper json,
                                @Value("${hub.demo.accept-after-ms}") long acceptAfterMs,
                                @Value("${hub.demo.resolve-after-ms}") long resolveAfterMs) {
        this.registry = registry;
        this.json = json;
        this.acceptAfterMs = acceptAfterMs;
        this.resolveAfterMs = resolveAfterMs;
    }

    @Override
    public void configure() {
        for (String queue : registry.taskQueues()) {
            from("jms:queue:" + queue).routeId("simulated-" + queue).to("seda:simulated-department");
        }
        from("seda:simulated-department?concurrentConsumers=8").routeId("simulated-department")
                .setProperty("task", body())
                .delay(acceptAfterMs)
                // A reply is a new message: none of the task's JMS properties (its duplicate id above all).
                .removeHeaders("*")
                .process(e -> e.getMessage().setBody(reply(e.getProperty("task", String.class), "accept")))
                .to("jms:queue:" + Queues.REPLIES)
                .delay(Math.max(0, resolveAfterMs - acceptAfterMs))
                .removeHeaders("*")
                .process(e -> e.getMessage().setBody(reply(e.getProperty("task", String.class), "resolve")))
                .to("jms:queue:" + Queues.REPLIES);
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
