package appealhub.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * The hub under test as a child process: {@code java -jar} on one data directory, its output
 * appended to hub.log (each start marked), started again after every {@code kill -9}. Watches
 * the log for a line, so a kill can be aimed at a moment (a feedback delivery).
 */
final class ChaosHub {
    private final List<String> command;
    private final Path projectDir;
    private final Path log;
    private final String healthUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicInteger starts = new AtomicInteger();
    private final AtomicReference<Watch> watch = new AtomicReference<>();
    private volatile Process process;
    /** When the hub last answered its health check after a start; 0 while it is down or starting. */
    volatile long upSince;

    private record Watch(Pattern pattern, CountDownLatch hit) {}

    ChaosHub(List<String> command, Path projectDir, Path log, String baseUrl) {
        this.command = command;
        this.projectDir = projectDir;
        this.log = log;
        this.healthUrl = baseUrl + "/actuator/health";
    }

    long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    boolean alive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** Starts the hub and waits until it answers (at most timeoutSeconds). */
    void start(int timeoutSeconds) throws IOException, InterruptedException {
        int n = starts.incrementAndGet();
        Files.writeString(log, "\n===== chaos: start " + n + " =====\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder pb = new ProcessBuilder(command).directory(projectDir.toFile()).redirectErrorStream(true);
        Process p = pb.start();
        process = p;
        Thread pump = new Thread(() -> pump(p), "hub-log-" + n);
        pump.setDaemon(true);
        pump.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) throw new IOException("hub exited with " + p.exitValue() + " while starting; see " + log);
            if (healthy()) {
                upSince = System.currentTimeMillis();
                return;
            }
            Thread.sleep(250);
        }
        throw new IOException("hub not up within " + timeoutSeconds + " s; see " + log);
    }

    boolean healthy() {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(healthUrl)).timeout(Duration.ofSeconds(3))
                    .GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200 || r.statusCode() == 503;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** kill -9: SIGKILL, no shutdown hook, no flush. */
    void kill9() throws InterruptedException {
        Process p = process;
        upSince = 0;
        if (p == null) return;
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    /** A clean stop (SIGTERM, shutdown hooks run), at the end of the run. */
    void stop() throws InterruptedException {
        Process p = process;
        upSince = 0;
        if (p == null) return;
        p.destroy();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Waits (at most timeoutMs) for the next log line matching pattern; true if it came. */
    boolean awaitLine(Pattern pattern, long timeoutMs) throws InterruptedException {
        Watch w = new Watch(pattern, new CountDownLatch(1));
        watch.set(w);
        try {
            return w.hit().await(timeoutMs, TimeUnit.MILLISECONDS);
        } finally {
            watch.compareAndSet(w, null);
        }
    }

    /** Lines of hub.log matching the pattern (for the report). */
    List<String> grep(Pattern pattern) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) if (pattern.matcher(line).find()) out.add(line);
        return out;
    }

    private void pump(Process p) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND), true)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                Watch w = watch.get();
                if (w != null && w.pattern().matcher(line).find()) w.hit().countDown();
            }
        } catch (IOException ignored) {
            // the process died: the log ends there
        }
    }
}
