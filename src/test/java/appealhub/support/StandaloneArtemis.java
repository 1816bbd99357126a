package appealhub.support;

import appealhub.contract.Queues;
import appealhub.deploy.ArtemisDeployFiles;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real standalone Artemis (the distribution unpacked by the build under target/artemis, see
 * the pom's maven-dependency-plugin), run as a process of its own on 127.0.0.1, the way the hub
 * meets its broker in production (spring.artemis.mode=native). The instance is made with
 * {@code artemis create} in a folder of the test's, then given what the hub's embedded broker
 * gets from BrokerConfig and BrokerSecurityConfig: the demo users and roles of config/, and the
 * parts of deploy/artemis's broker.xml the live/backup pair includes too (the same rights per
 * queue, redelivery with back-off, DLA::DLQ.&lt;queue&gt; dead letters), a persisted duplicate-id
 * cache. One broker, CORE only: ArtemisPair is the replicated pair. It can be stopped gracefully
 * (SIGTERM), killed (SIGKILL) and started again on the same journal. Output goes to artemis-N.log
 * in the instance folder.
 */
public final class StandaloneArtemis implements AutoCloseable {
    public static final String HUB_USER = "hub";
    public static final String HUB_PASSWORD = "demo-hub";
    private static final Path USERS = Path.of("config/broker-users.properties");
    private static final Path ROLES = Path.of("config/broker-roles.properties");
    private static final Pattern ORG = Pattern.compile("^([DT]\\d\\d)\\s*=", Pattern.MULTILINE);
    private static final String GRID_REPORTS = "inbound.grid.reports";

    public final Path instance;
    public final int port;
    private final long redeliveryDelayMs;
    private final int maxDeliveryAttempts;
    private Process process;
    private int starts;

    /**
     * @param instance an empty folder for the instance (configuration and journal)
     * @param redeliveryDelayMs / maxDeliveryAttempts as hub.broker.* give them to the embedded broker
     */
    public StandaloneArtemis(Path instance, long redeliveryDelayMs, int maxDeliveryAttempts) {
        this.instance = instance;
        this.port = freePortInTestRange();
        this.redeliveryDelayMs = redeliveryDelayMs;
        this.maxDeliveryAttempts = maxDeliveryAttempts;
        create();
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** The hub's flags for this broker: native mode, no embedded broker, the hub's login. */
    public Map<String, Object> hubProperties() {
        return Map.of("spring.artemis.mode", "native",
                "spring.artemis.embedded.enabled", false,
                "spring.artemis.broker-url", url(),
                "spring.artemis.user", HUB_USER,
                "spring.artemis.password", HUB_PASSWORD,
                // Department, the tests' client, reads hub.broker.port nowhere; keep it off the taken 61616
                "hub.broker.port", port);
    }

    static Path home() {
        Path home = Path.of(System.getProperty("hub.artemis.home", "target/artemis/apache-artemis-2.40.0"));
        if (!Files.isRegularFile(home.resolve("bin/artemis"))) {
            throw new IllegalStateException("no Artemis distribution at " + home.toAbsolutePath()
                    + ": run ./mvnw generate-test-resources (maven-dependency-plugin unpacks it)");
        }
        return home;
    }

    private void create() {
        run(List.of("sh", home().resolve("bin/artemis").toAbsolutePath().toString(), "create", "--silent", "--force",
                "--user", HUB_USER, "--password", HUB_PASSWORD, "--role", HUB_USER,
                "--require-login", "--no-web", "--host", "127.0.0.1", "--default-port", Integer.toString(port),
                "--nio", "--no-autotune", "--java-memory", "256m",
                "--no-amqp-acceptor", "--no-mqtt-acceptor", "--no-stomp-acceptor", "--no-hornetq-acceptor",
                instance.toAbsolutePath().toString()), instance.getParent().resolve("artemis-create.log"));
        try {
            // The hub's demo users and roles (PropertiesLoginModule reads plain passwords too).
            Files.copy(USERS, instance.resolve("etc/artemis-users.properties"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.copy(ROLES, instance.resolve("etc/artemis-roles.properties"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Path xml = instance.resolve("etc/broker.xml");
            String broker = Files.readString(xml);
            broker = replace(broker, "<acceptors>.*?</acceptors>", "<acceptors>\n         <acceptor name=\"artemis\">tcp://127.0.0.1:"
                    + port + "?protocols=CORE</acceptor>\n      </acceptors>");
            broker = replace(broker, "<persistence-enabled>true</persistence-enabled>",
                    "<persistence-enabled>true</persistence-enabled>\n      <persist-id-cache>true</persist-id-cache>\n"
                            + "      <id-cache-size>20000</id-cache-size>\n      <populate-validated-user>true</populate-validated-user>");
            // deploy/artemis's parts, as the pair's broker.xml includes them (ArtemisDeployFiles writes them)
            for (String part : List.of(ArtemisDeployFiles.SECURITY, ArtemisDeployFiles.ADDRESS_SETTINGS, ArtemisDeployFiles.ADDRESSES)) {
                Files.copy(ArtemisDeployFiles.DIR.resolve(part), instance.resolve("etc").resolve(part),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            broker = replace(broker, "<security-settings>.*?</security-settings>", include(ArtemisDeployFiles.SECURITY));
            broker = replace(broker, "<address-settings>.*?</address-settings>", include(ArtemisDeployFiles.ADDRESS_SETTINGS));
            broker = replace(broker, "<addresses>.*?</addresses>", include(ArtemisDeployFiles.ADDRESSES));
            Files.writeString(xml, broker);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> organisations() {
        try {
            Matcher m = ORG.matcher(Files.readString(ROLES));
            TreeSet<String> codes = new TreeSet<>();
            while (m.find()) codes.add(m.group(1));
            return new ArrayList<>(codes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String taskQueue(String code) {
        return (code.startsWith("T") ? "township." : "dept.") + code + ".tasks";
    }

    /** Every department's and township's task queue. */
    public static List<String> taskQueues() {
        return organisations().stream().map(StandaloneArtemis::taskQueue).toList();
    }

    /** The hub's own queues and the task queues: the ones with a DLA::DLQ.&lt;queue&gt; made up front. */
    public static List<String> deadLetteredQueues() {
        List<String> queues = new ArrayList<>(List.of(Queues.INTAKE, Queues.REPLIES, Queues.TRIAGE, Queues.SUPERVISION,
                Queues.DUTY_LEADER, GRID_REPORTS));
        queues.addAll(taskQueues());
        return queues;
    }

    private static String include(String part) {
        return "<xi:include href=\"${artemis.instance.etc}/" + part + "\"/>";
    }

    private static String replace(String text, String regex, String replacement) {
        Matcher m = Pattern.compile(regex, Pattern.DOTALL).matcher(text);
        if (!m.find()) throw new IllegalStateException("broker.xml of this Artemis has no " + regex);
        return m.replaceFirst(Matcher.quoteReplacement(replacement));
    }

    /** Starts the broker process and waits until it accepts connections (at most 60 s). */
    public StandaloneArtemis start() {
        if (process != null && process.isAlive()) throw new IllegalStateException("already running");
        File log = instance.resolve("artemis-" + (++starts) + ".log").toFile();
        ProcessBuilder pb = new ProcessBuilder("sh", instance.resolve("bin/artemis").toAbsolutePath().toString(), "run")
                .redirectErrorStream(true).redirectOutput(log);
        // A small broker: the profile only sets JAVA_ARGS when it is empty (its own -Xms512M would exceed -Xmx256m).
        pb.environment().put("JAVA_ARGS", "-Xms64m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dlog4j2.disableJmx=true "
                + "--add-opens java.base/jdk.internal.misc=ALL-UNNAMED");
        // the ${...} of hub-address-settings.xml: hub.broker.* of the hub under test
        pb.environment().put("HUB_ARTEMIS_REDELIVERY_DELAY", Long.toString(redeliveryDelayMs));
        pb.environment().put("HUB_ARTEMIS_MAX_REDELIVERY_DELAY", Long.toString(30 * redeliveryDelayMs));
        pb.environment().put("HUB_ARTEMIS_MAX_DELIVERY_ATTEMPTS", Integer.toString(maxDeliveryAttempts));
        try {
            process = pb.start(); // bin/artemis ends in exec java: this process is the broker's JVM
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < until) {
            if (!process.isAlive()) throw new IllegalStateException("Artemis exited at start: see " + log);
            if (started(log.toPath()) && accepts()) return this;
            sleep(100);
        }
        throw new IllegalStateException("Artemis did not start within 60 s: see " + log);
    }

    private static boolean started(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8).contains("AMQ221007"); // "Server is now active"
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Graceful stop (SIGTERM: Artemis' shutdown hook stops the server), waits up to 30 s. */
    public void stop() {
        if (!isRunning()) return;
        process.destroy();
        waitFor(30);
    }

    /** kill -9: the journal is left as the broker had it, nothing flushed or closed. */
    public void kill() {
        if (!isRunning()) return;
        process.destroyForcibly();
        waitFor(10);
    }

    private void waitFor(int seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // the port is free again before anyone starts a new broker on it
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (accepts() && System.nanoTime() < until) sleep(100);
    }

    @Override
    public void close() {
        kill();
    }

    private static void run(List<String> command, Path log) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: see " + log);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A free port in 19000–19999 (the range the tests' standalone brokers use). */
    static int freePortInTestRange() {
        int start = 19000 + (int) (ProcessHandle.current().pid() % 1000);
        for (int i = 0; i < 1000; i++) {
            int candidate = 19000 + (start - 19000 + i) % 1000;
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress("127.0.0.1", candidate));
                return candidate;
            } catch (IOException taken) {
                // next
            }
        }
        throw new IllegalStateException("no free port in 19000-19999");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
