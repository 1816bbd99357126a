package appealhub.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.support.Department;
import appealhub.support.GridReports;
import appealhub.support.Platform12345;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 12345 hangs on every reply for longer than the hub waits: the hub's 12345 feedback is stuck
 * on it, and the grid's feedback, on a route of its own, goes out meanwhile.
 */
class SlowUpstreamTest {

    @Test
    void aHangingUpstreamHoldsUpOnlyItsOwnChannelsFeedback(@TempDir Path data) throws Exception {
        try (Platform12345 platform = new Platform12345();
             TestHub hub = new TestHub(data, platform.baseUrl(), Map.of(
                     "hub.channels.hotline12345.http.response-timeout-ms", 30_000)).start();
             Department departments = new Department(hub.brokerUrl())) {
            platform.wireMock().stubFor(post(urlPathMatching("/api/v1/workorders/[^/]+/reply")).atPriority(1)
                    .willReturn(aResponse().withFixedDelay(45_000).withStatus(200).withBody("{\"code\":0}")));
            var order = platform.push(hub.url(""), Platform12345.streetLight("GDSLOW0001"));
            assertThat(order.status()).isEqualTo(200);
            JsonNode task = departments.receive("dept.D16.tasks", 15_000);
            departments.reply(task, "accept", null);
            // The 12345 feedback route is now inside a call that will not end for 30 s.
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> platform.wireMock().verify(1,
                    postRequestedFor(urlPathMatching("/api/v1/workorders/GDSLOW0001/reply"))));

            departments.send(GridReports.QUEUE, GridReports.report("EV-SLOW-0001"));
            long sent = System.nanoTime();
            JsonNode ack = null;
            while (ack == null && System.nanoTime() - sent < Duration.ofSeconds(12).toNanos()) {
                JsonNode m = departments.receive(GridReports.FEEDBACK, 1000);
                if (m != null && "EV-SLOW-0001".equals(m.path("eventId").asText())) ack = m;
            }
            assertThat(ack).as("the grid's 已受理 while 12345 hangs").isNotNull();
            assertThat(ack.path("status").asText()).isEqualTo("已受理");
            platform.wireMock().verify(1, postRequestedFor(urlPathMatching("/api/v1/workorders/GDSLOW0001/reply")));
            platform.stop(); // ends the hanging call, so the hub stops at once
        }
    }
}
