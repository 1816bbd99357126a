package appealhub.demo.leaderboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.File;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * WireMock extension for the default run (MockUpstreams registers it): every pull of the mock
 * board gets 1–2 fresh messages after the asked cursor, drawn from
 * mocks/leaderboard/sample-messages.json (HTML content, 冀州区 places), with new tids, times,
 * board nicknames, sometimes a (fake) phone, and a nextCursor "createTime-tid" that advances.
 * Mappings name it as a transformer.
 */
@Component
@ConditionalOnProperty(prefix = "hub.demo", name = "mocks", havingValue = "true")
public class LeaderboardMockMessages implements ResponseDefinitionTransformerV2 {
    private final ObjectMapper json = new ObjectMapper();
    private final JsonNode samples;
    private long lastTid = 5_512_000L + ThreadLocalRandom.current().nextInt(0, 800);
    private long lastTime = 0;

    @Autowired
    public LeaderboardMockMessages() throws IOException {
        this(new File("mocks/leaderboard/sample-messages.json"));
    }

    public LeaderboardMockMessages(File sampleMessages) throws IOException {
        this.samples = json.readTree(sampleMessages);
    }

    @Override
    public String getName() {
        return "leaderboard-messages";
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public synchronized ResponseDefinition transform(ServeEvent serveEvent) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        QueryParameter since = serveEvent.getRequest().queryParameter("since");
        if (since.isPresent()) {
            // A hub restarted against a fresh mock: continue after its cursor, never before it.
            String[] c = since.firstValue().split("-");
            try {
                lastTime = Math.max(lastTime, Long.parseLong(c[0]));
                lastTid = Math.max(lastTid, Long.parseLong(c[c.length - 1]));
            } catch (NumberFormatException ignored) {
                // not one of ours: start from our own numbers
            }
        }
        ArrayNode messages = json.createArrayNode();
        int count = random.nextInt(1, 3);
        long now = Instant.now().toEpochMilli();
        for (int i = 0; i < count; i++) {
            JsonNode sample = samples.get(random.nextInt(samples.size()));
            lastTid += random.nextInt(1, 40);
            lastTime = Math.max(lastTime + 1000, now - random.nextInt(60_000, 600_000));
            ObjectNode m = messages.addObject();
            m.put("tid", lastTid);
            m.put("title", sample.path("title").asText());
            m.put("content", sample.path("content").asText());
            m.put("forumName", sample.path("forumName").asText());
            m.put("area", sample.path("area").asText());
            m.put("nickName", "网友" + Long.toHexString(random.nextLong(0x10000, 0xfffff)));
            m.put("phone", random.nextInt(3) == 0 ? "13" + random.nextInt(0, 10) + String.format("%08d", random.nextInt(100_000_000)) : "");
            m.put("domainName", sample.path("domainName").asText());
            m.put("typeName", sample.path("typeName").asText());
            m.put("createTime", lastTime);
            ArrayNode attachments = m.putArray("attachments");
            if (random.nextInt(4) == 0) attachments.add("https://img.example/leaderboard/" + lastTid + ".jpg");
        }
        ObjectNode body = json.createObjectNode();
        body.put("result", "success");
        body.set("messages", messages);
        body.put("nextCursor", lastTime + "-" + lastTid);
        // WireMock shades its own Jackson: hand it text, not our JsonNode.
        return ResponseDefinitionBuilder.responseDefinition()
                .withStatus(200)
                .withHeader("Content-Type", "application/json;charset=UTF-8")
                .withBody(body.toString())
                .build();
    }
}
