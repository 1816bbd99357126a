package appealhub.demo.hotline12345;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.File;
import java.io.IOException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import appealhub.model.Ids;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * WireMock extension for the default run (MockUpstreams registers it): every poll of the mock 12345 platform's first
 * pending page gets 1–3 fresh work orders drawn from mocks/hotline12345/sample-orders.json,
 * with new order ids, times and (fake) phone numbers. Mappings name it as a transformer.
 */
@Component
@ConditionalOnProperty(prefix = "hub.demo", name = "mocks", havingValue = "true")
public class Hotline12345MockOrders implements ResponseDefinitionTransformerV2 {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final String[] NAMES = {"张某", "王某", "李某", "赵某", "刘某", "匿名"};

    private final ObjectMapper json = new ObjectMapper();
    private final JsonNode samples;
    private final AtomicLong sequence = new AtomicLong(ThreadLocalRandom.current().nextInt(100_000, 800_000));

    @Autowired
    public Hotline12345MockOrders() throws IOException {
        this(new File("mocks/hotline12345/sample-orders.json"));
    }

    public Hotline12345MockOrders(File sampleOrders) throws IOException {
        this.samples = json.readTree(sampleOrders);
    }

    @Override
    public String getName() {
        return "hotline12345-pending-orders";
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        ZonedDateTime now = ZonedDateTime.now(Ids.BEIJING);
        ArrayNode records = json.createArrayNode();
        int count = random.nextInt(1, 4);
        for (int i = 0; i < count; i++) {
            JsonNode sample = samples.get(random.nextInt(samples.size()));
            String name = NAMES[random.nextInt(NAMES.length)];
            ObjectNode order = records.addObject();
            order.put("gdbh", "GD" + now.format(DAY) + String.format("%06d", sequence.incrementAndGet() % 1_000_000));
            order.put("ldsj", now.minusMinutes(random.nextInt(1, 30)).format(TIME));
            order.put("ldrxm", name);
            order.put("lxdh", "13" + random.nextInt(0, 10) + String.format("%08d", random.nextInt(100_000_000)));
            order.put("sfnm", "匿名".equals(name) ? "1" : "0");
            order.put("sqbt", sample.path("sqbt").asText());
            order.put("sqnr", sample.path("sqnr").asText());
            order.put("sqlx", sample.path("sqlx").asText());
            order.put("sfjj", "0");
            order.put("sqdz", sample.path("sqdz").asText());
            order.put("ssqx", "冀州区");
            order.put("blsx", now.plusDays(7).format(TIME));
            order.putArray("fj");
        }
        ObjectNode body = json.createObjectNode();
        body.put("code", 0);
        body.put("msg", "ok");
        ObjectNode data = body.putObject("data");
        data.put("total", count);
        data.put("page", 1);
        data.put("size", 50);
        data.set("records", records);
        // WireMock shades its own Jackson: hand it text, not our JsonNode.
        return com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.responseDefinition()
                .withStatus(200)
                .withHeader("Content-Type", "application/json;charset=UTF-8")
                .withBody(body.toString())
                .build();
    }
}
