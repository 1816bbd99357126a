package appealhub.support;

import appealhub.AppealHubApplication;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole hub in a JVM of its own, started as a user starts it (the main class, command-line
 * flags, a data folder), so a test can kill it with SIGKILL ({@link Process#destroyForcibly()}
 * on Linux) and start it again on the same data. Its output goes to hub-N.log in the data folder.
 */
public final class ForkedHub implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public final Path dataDir;
    public final int httpPort;
    public final int brokerPort;
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private Process process;
    private int starts;

    public ForkedHub(Path dataDir, String upstreamBaseUrl, Map<String, Object> overrides) {
        this.dataDir = dataDir;
        this.httpPort = TestHub.freePort();
        this.brokerPort = TestHub.freePort();
        properties.putAll(TestHub.defaults(dataDir, upstreamBaseUrl, httpPort, brokerPort));
        properties.putAll(overrides);
    }

    /** Starts the JVM and waits until the hub answers on /actuator/health. */
    public ForkedHub start() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                AppealHubApplication.class.getName()));
        properties.forEach((k, v) -> command.add("--" + k + "=" + v));
        File log = dataDir.resolve("hub-" + (++starts) + ".log").toFile();
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        long until = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < until) {
            if (!process.isAlive()) throw new IllegalStateException("hub exited at start: see " + log);
            try {
                var r = HTTP.send(HttpRequest.newBuilder(URI.create(url("/actuator/health"))).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return this;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("hub not up within 120 s: see " + log);
    }

    /** kill -9: no shutdown hook, no flush, no goodbye. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + httpPort + path;
    }

    public String brokerUrl() {
        return "tcp://127.0.0.1:" + brokerPort;
    }

    public HttpRequest.Builder opsRequest(String path) {
        return HttpRequest.newBuilder(URI.create(url(path)))
                .header("Authorization", TestHub.basicAuth(TestHub.OPERATOR, TestHub.OPERATOR_PASSWORD));
    }

    /** A graceful stop (SIGTERM), for the end of a test. */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) kill();
        }
    }
}
