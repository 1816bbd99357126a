package appealhub.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.connectors.hotline12345.Hotline12345Signature;
import appealhub.store.CaseStore;
import appealhub.store.NonceStore;
import appealhub.support.Platform12345;
import appealhub.support.ScratchPostgres;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 12345 replay guard across instances (issue 14, item 11): two whole hubs on one PostgreSQL
 * database share the nonces. A signed push taken by instance A and replayed to instance B with
 * another body is refused (401 "nonce already used"); played back unchanged it is the same order.
 */
class SharedNonceTest {
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aNonceUsedOnOneInstanceCannotCarryAnotherBodyOnTheOther(@TempDir Path dataA, @TempDir Path dataB) throws Exception {
        try (ScratchPostgres db = new ScratchPostgres("appealhub_nonce");
             Platform12345 platform = new Platform12345();
             TestHub a = hub(dataA, platform, db, "hub-a").start();
             TestHub b = hub(dataB, platform, db, "hub-b").start()) {
            String nonce = UUID.randomUUID().toString();
            long ts = Instant.now().getEpochSecond();
            byte[] original = Platform12345.bytes(Platform12345.streetLight("GDSHARED0001"));
            HttpResponse<String> taken = send(a, original, ts, nonce);
            assertThat(taken.statusCode()).isEqualTo(200);
            String appealId = json(taken).path("data").path("appealId").asText();

            byte[] forged = Platform12345.bytes(Platform12345.streetLight("GDSHARED0002"));
            HttpResponse<String> replayed = send(b, forged, ts, nonce);
            assertThat(replayed.statusCode()).isEqualTo(401);
            assertThat(json(replayed).path("code").asInt()).isEqualTo(40100);
            assertThat(json(replayed).path("msg").asText()).isEqualTo("nonce already used");
            assertThat(b.bean(CaseStore.class).appealIdBySource("hotline12345", "GDSHARED0002")).isEmpty();

            HttpResponse<String> again = send(b, original, ts, nonce);
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(json(again).path("data").path("appealId").asText()).isEqualTo(appealId);

            // One row for the nonce, seen from both instances.
            assertThat(a.bean(NonceStore.class).count("hotline12345")).isEqualTo(1);
            assertThat(b.bean(NonceStore.class).count("hotline12345")).isEqualTo(1);
        }
    }

    private HttpResponse<String> send(TestHub hub, byte[] body, long ts, String nonce) throws Exception {
        String timestamp = Long.toString(ts);
        return http.send(HttpRequest.newBuilder(URI.create(hub.url("/api/hotline12345/workorders")))
                .header("Content-Type", "application/json;charset=UTF-8")
                .header("X-Timestamp", timestamp)
                .header("X-Nonce", nonce)
                .header("X-Signature", Hotline12345Signature.sign(Platform12345.SECRET, timestamp, nonce, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Platform12345.JSON.readTree(r.body());
    }

    private static TestHub hub(Path data, Platform12345 platform, ScratchPostgres db, String nodeId) {
        Map<String, Object> properties = new HashMap<>(db.hubProperties(db.url()));
        // Two hubs in one JVM: distinct MBean names and in-VM broker ids (as SharedMergeIndexTest).
        properties.put("spring.jmx.unique-names", true);
        properties.put("camel.main.jmx-management-name-pattern", "#name#-" + nodeId);
        properties.put("hub.cluster.node-id", nodeId);
        properties.put("spring.artemis.embedded.server-id", nodeId.endsWith("a") ? 1 : 2);
        return new TestHub(data, platform.baseUrl(), properties);
    }
}
