package appealhub.support;

import appealhub.AppealHubApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole hub, started as a user would run it (embedded broker with its TCP acceptor,
 * file database under a data folder), on free ports, with WireMock as its 12345 platform.
 * Stopping and starting again on the same data folder is a restart.
 */
public final class TestHub implements AutoCloseable {
    /** Operations logins of config/application.yml (demo users): an operator acts, a viewer only looks. */
    public static final String OPERATOR = "operator";
    public static final String OPERATOR_PASSWORD = "operator-demo";
    public static final String VIEWER = "viewer";
    public static final String VIEWER_PASSWORD = "viewer-demo";

    public final Path dataDir;
    public final int httpPort;
    public final int brokerPort;
    private final Map<String, Object> properties;
    private Clock clock;
    private final List<ApplicationContextInitializer<ConfigurableApplicationContext>> initializers = new ArrayList<>();
    private ConfigurableApplicationContext context;

    public TestHub(Path dataDir, String upstreamBaseUrl, Map<String, Object> overrides) {
        this.dataDir = dataDir;
        this.httpPort = freePort();
        this.brokerPort = freePort();
        properties = defaults(dataDir, upstreamBaseUrl, httpPort, brokerPort);
        properties.putAll(overrides);
    }

    /**
     * The flags a test hub starts with (as an operator's command line): its data folder and ports,
     * no mocks or simulated departments, 12345 played at {@code upstreamBaseUrl}, short timers.
     */
    public static Map<String, Object> defaults(Path dataDir, String upstreamBaseUrl, int httpPort, int brokerPort) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("hub.data-dir", dataDir.toString());
        properties.put("server.port", httpPort);
        properties.put("hub.broker.port", brokerPort);
        // AMQP and STOMP off unless a test turns them on (on free ports): several hubs run at once
        properties.put("hub.broker.amqp-port", 0);
        properties.put("hub.broker.stomp-port", 0);
        properties.put("hub.demo.mocks", false);
        properties.put("hub.demo.departments", false);
        properties.put("hub.channels.hotline12345.base-url", upstreamBaseUrl);
        properties.put("hub.channels.hotline12345.pull.enabled", false);
        properties.put("hub.channels.leaderboard.pull.enabled", false); // tests of that channel turn it on
        properties.put("hub.channels.hotline12345.http.response-timeout-ms", 2000);
        properties.put("camel.resilience4j.configurations.hotline12345.wait-duration-in-open-state", 1);
        properties.put("hub.feedback.poll-ms", 200);
        properties.put("hub.feedback.backoff-initial-seconds", 1);
        properties.put("hub.feedback.backoff-max-seconds", 2);
        properties.put("hub.intake.recovery-after-seconds", 3);
        properties.put("hub.broker.redelivery-delay-ms", 100);
        properties.put("hub.broker.max-delivery-attempts", 3);
        properties.put("spring.main.banner-mode", "off");
        // Tests of other steps push the same sample texts again and again: merging is off
        // unless a test turns it on (appealhub.merge.MergeFlowTest).
        properties.put("hub.merge.enabled", false);
        // ...and answer with short sample texts ("已处理完毕。"): the reply check (验收) is off unless a
        // test turns it on (appealhub.reply.ReplyReviewFlowTest).
        properties.put("hub.reply-quality.enabled", false);
        return properties;
    }

    /** Two sets of flags as one; the second wins. */
    public static Map<String, Object> with(Map<String, Object> first, Map<String, Object> second) {
        Map<String, Object> all = new LinkedHashMap<>(first);
        all.putAll(second);
        return all;
    }

    /** The hub reads this clock instead of the system's (e.g. a {@link MutableClock}); call before start. */
    public TestHub withClock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /** Runs before the hub's beans are made (e.g. to add a BeanPostProcessor); call before start. */
    public TestHub withInitializer(ApplicationContextInitializer<ConfigurableApplicationContext> initializer) {
        initializers.add(initializer);
        return this;
    }

    public TestHub start() {
        // As command-line arguments: they outrank config/application.yml, like an operator's flags.
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        SpringApplicationBuilder builder = new SpringApplicationBuilder(AppealHubApplication.class);
        if (clock != null) builder.initializers(ctx -> ctx.getBeanFactory().registerSingleton("clock", clock));
        initializers.forEach(builder::initializers);
        context = builder.run(args);
        return this;
    }

    public void stop() {
        if (context != null) {
            context.close();
            context = null;
        }
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + httpPort + path;
    }

    /** A request to the hub's operations API as the demo operator (HTTP Basic, as scripts do). */
    public HttpRequest.Builder opsRequest(String path) {
        return HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", basicAuth(OPERATOR, OPERATOR_PASSWORD));
    }

    /** The same as the demo viewer (may look, may not act). */
    public HttpRequest.Builder viewerRequest(String path) {
        return HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", basicAuth(VIEWER, VIEWER_PASSWORD));
    }

    public static String basicAuth(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public String brokerUrl() {
        return "tcp://127.0.0.1:" + brokerPort;
    }

    @Override
    public void close() {
        stop();
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
