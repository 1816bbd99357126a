package appealhub.demo.miniprogram;

import appealhub.connectors.miniprogram.MiniprogramProperties;
import appealhub.connectors.miniprogram.MiniprogramRoutes;
import appealhub.classify.TownshipLocator;
import appealhub.model.Ids;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Default run only (hub.demo.mocks=true, channel on): plays the mini-program backend pushing
 * a citizen's report to the hub's own endpoint every 20–40 s, exactly as the backend would
 * (bearer key, JSON, re-sending the same report on anything but 200 or 400). Reports are
 * drawn from mocks/miniprogram/sample-reports.json: pin and address, or pin only (near the
 * township's centroid), or address only.
 */
@Component
@ConditionalOnProperty(prefix = "hub.demo", name = "mocks", havingValue = "true")
public class MiniprogramDemoFeeder implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(MiniprogramDemoFeeder.class);
    private static final String[] NAMES = {"李女士", "王先生", "张女士", "刘先生", "赵女士", "孙先生", ""};

    private final MiniprogramProperties props;
    private final Environment env;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final JsonNode samples;
    private final TownshipLocator locator;
    private ScheduledExecutorService timer;
    private byte[] pending; // a report the hub has not answered 200 or 400 yet: sent again
    private String pendingId;
    private String url;

    public MiniprogramDemoFeeder(MiniprogramProperties props, Environment env) throws IOException {
        this.props = props;
        this.env = env;
        this.samples = json.readTree(new File("mocks/miniprogram/sample-reports.json"));
        this.locator = TownshipLocator.load(Path.of(props.townshipsGeo()));
    }

    @Override
    public void start() {
        if (!props.enabled() || samples.isEmpty()) return;
        url = "http://127.0.0.1:" + env.getProperty("local.server.port", env.getProperty("server.port", "8080"))
                + MiniprogramRoutes.PUSH_PATH;
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "miniprogram-demo-feeder");
            t.setDaemon(true);
            return t;
        });
        timer.schedule(this::tick, props.demoFeed().initialDelayMs(), TimeUnit.MILLISECONDS);
        log.info("demo mini-program backend pushing a report to {} every {}-{} s", url,
                props.demoFeed().minIntervalMs() / 1000, props.demoFeed().maxIntervalMs() / 1000);
    }

    private void tick() {
        try {
            if (pending == null) {
                ObjectNode report = report();
                pendingId = report.path("reportId").asText();
                pending = json.writeValueAsBytes(report);
            }
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json;charset=UTF-8")
                    .header("Authorization", "Bearer " + props.apiKey())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(pending)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200 || r.statusCode() == 400) {
                log.info("demo mini-program report {} pushed: HTTP {} {}", pendingId, r.statusCode(), r.body());
                pending = null;
            } else {
                log.info("demo mini-program report {} answered HTTP {}: will send it again", pendingId, r.statusCode());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            log.info("demo mini-program report {} not delivered ({}): will send it again", pendingId, e.toString());
        } finally {
            ScheduledExecutorService t = timer;
            if (t != null && !t.isShutdown()) {
                long min = props.demoFeed().minIntervalMs(), max = Math.max(min + 1, props.demoFeed().maxIntervalMs());
                t.schedule(this::tick, ThreadLocalRandom.current().nextLong(min, max), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** A fresh, realistic report: new id and time, a (fake) phone, pin and/or address. */
    ObjectNode report() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        JsonNode sample = samples.get(random.nextInt(samples.size()));
        ObjectNode report = json.createObjectNode();
        String id = UUID.randomUUID().toString();
        report.put("reportId", id);
        report.put("openId", "oMp" + Long.toString(random.nextLong(1L << 40, 1L << 50), 36));
        String name = NAMES[random.nextInt(NAMES.length)];
        if (!name.isEmpty()) {
            report.put("userName", name);
            report.put("mobile", "139" + String.format("%08d", random.nextInt(100_000_000)));
        }
        report.put("category", sample.path("category").asText());
        report.put("description", sample.path("description").asText());
        ObjectNode location = report.putObject("location");
        int mode = random.nextInt(4); // 0, 1: pin and address; 2: pin only; 3: address only
        if (mode <= 2) {
            TownshipLocator.Centroid c = locator.centroid(sample.path("township").asText())
                    .orElse(locator.townships().get(0));
            // within about 2 km of the township's centre
            location.put("lat", round(c.lat() + random.nextDouble(-0.015, 0.015)));
            location.put("lng", round(c.lon() + random.nextDouble(-0.018, 0.018)));
        }
        if (mode != 2) location.put("address", sample.path("address").asText());
        var images = report.putArray("images");
        int count = random.nextInt(0, 3);
        for (int i = 1; i <= count; i++) images.add("https://cdn.example/r/" + id.substring(0, 8) + "/" + i + ".jpg");
        report.put("submittedAt", ZonedDateTime.now(Ids.BEIJING).minusSeconds(random.nextInt(5, 300))
                .withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        return report;
    }

    private static double round(double d) {
        return Math.round(d * 1_000_000d) / 1_000_000d;
    }

    @Override
    public void stop() {
        ScheduledExecutorService t = timer;
        timer = null;
        if (t != null) t.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }
}
