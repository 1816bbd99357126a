package appealhub.reply;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.support.Department;
import appealhub.support.Platform12345;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, item 0, tested as a department works: it cannot see the hub's database, so it takes
 * its task and sends accept and resolve at once, one after the other, in the task's message group
 * (the queue contract). Two consumers read hub.task.replies; the group keeps one task's replies in
 * order, so every order gets 办理中 and then 办结 at 12345, never 办结 alone.
 */
class RepliesInOrderTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int ORDERS = 30;

    @Test
    void acceptAndResolveSentAtOnceReach12345InTheirOrderForEveryTask(@TempDir Path data) throws Exception {
        try (Platform12345 platform = new Platform12345();
             TestHub hub = new TestHub(data, platform.baseUrl(), Map.of("hub.replies.consumers", 2)).start();
             Department department = new Department(hub.brokerUrl())) {
            List<String> orders = new ArrayList<>();
            for (int i = 0; i < ORDERS; i++) {
                String gdbh = String.format("GDORDER%04d", i);
                orders.add(gdbh);
                assertThat(platform.push(hub.url(""), Platform12345.streetLight(gdbh)).status()).isEqualTo(200);
            }
            // the department answers each task the moment it gets it: accept, then resolve, no waiting between
            for (int i = 0; i < ORDERS; i++) {
                JsonNode task = department.receive("dept.D16.tasks", 30_000);
                assertThat(task).as("task " + i).isNotNull();
                department.reply(task, "accept", null);
                department.reply(task, "resolve", "路灯已修复。");
            }

            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(platform.wireMock()
                    .findAll(postRequestedFor(urlPathMatching("/api/v1/workorders/GDORDER[0-9]+/reply")))).hasSize(2 * ORDERS));
            Map<String, List<String>> statusesByOrder = new LinkedHashMap<>();
            platform.wireMock().findAll(postRequestedFor(urlPathMatching("/api/v1/workorders/GDORDER[0-9]+/reply"))).stream()
                    .sorted(Comparator.comparing(LoggedRequest::getLoggedDate))
                    .forEach(r -> statusesByOrder.computeIfAbsent(r.getUrl().split("/")[4], k -> new ArrayList<>())
                            .add(blzt(r)));
            for (String gdbh : orders) {
                assertThat(statusesByOrder.get(gdbh)).as(gdbh).containsExactly("办理中", "办结");
            }
        }
    }

    private static String blzt(LoggedRequest r) {
        try {
            return JSON.readTree(r.getBodyAsString()).path("blzt").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
