package appealhub.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The hub's broker as production runs it: deploy/artemis's replicated live/backup pair, made and
 * started by deploy/artemis/pair.sh itself (so the tests check what is shipped) from the
 * distribution the build unpacked (system property hub.artemis.home), both brokers on 127.0.0.1.
 * The live can be killed with SIGKILL; the backup then takes over on its own ports.
 */
public final class ArtemisPair implements AutoCloseable {
    public static final String HUB_USER = StandaloneArtemis.HUB_USER;
    public static final String HUB_PASSWORD = StandaloneArtemis.HUB_PASSWORD;
    private static final Path SCRIPT = Path.of("deploy/artemis/pair.sh");

    public final Path dir;
    /** Live: CORE base, AMQP base+1, STOMP base+2, console base+3; the backup the same from base+10. */
    public final int base;

    /** Makes the pair (pair.sh create) in an empty folder; redelivery as hub.broker.* give it to the embedded broker. */
    public ArtemisPair(Path dir, long redeliveryDelayMs, int maxDeliveryAttempts) {
        this(dir, redeliveryDelayMs, maxDeliveryAttempts, null);
    }

    /** The same with a users file of the caller's (e.g. a hub password the production profile accepts). */
    public ArtemisPair(Path dir, long redeliveryDelayMs, int maxDeliveryAttempts, Path usersFile) {
        this.dir = dir;
        this.base = freeBase();
        List<String> args = new ArrayList<>(List.of("create", "--base-port", Integer.toString(base), "--memory", "512m",
                "--redelivery-delay", Long.toString(redeliveryDelayMs),
                "--max-delivery-attempts", Integer.toString(maxDeliveryAttempts)));
        if (usersFile != null) args.addAll(List.of("--users", usersFile.toAbsolutePath().toString()));
        pairSh(Duration.ofSeconds(120), args.toArray(String[]::new));
    }

    /** Starts the live, then the backup, and returns once the backup has the live's journal. */
    public ArtemisPair start() {
        pairSh(Duration.ofSeconds(150), "start");
        return this;
    }

    public int livePort() {
        return base;
    }

    public int backupPort() {
        return base + 10;
    }

    public String liveUrl() {
        return "tcp://127.0.0.1:" + livePort();
    }

    public String backupUrl() {
        return "tcp://127.0.0.1:" + backupPort();
    }

    public String backupAmqpUrl() {
        return "amqp://127.0.0.1:" + (backupPort() + 1);
    }

    /** The backup's web console (hawtio-based); its Jolokia is under /jolokia. */
    public String backupConsoleUrl() {
        return "http://127.0.0.1:" + (backupPort() + 3) + "/console";
    }

    /** What deploy/artemis/README.md tells the hub: both brokers, follow the pair's topology, reconnect without end. */
    public String failoverUrl() {
        return "(" + liveUrl() + "," + backupUrl() + ")?ha=true&reconnectAttempts=-1";
    }

    /** The hub's flags for this pair: native mode, no embedded broker, the failover URL, the hub's login. */
    public Map<String, Object> hubProperties() {
        return Map.of("spring.artemis.mode", "native",
                "spring.artemis.embedded.enabled", false,
                "spring.artemis.broker-url", failoverUrl(),
                "spring.artemis.user", HUB_USER,
                "spring.artemis.password", HUB_PASSWORD,
                "hub.broker.port", livePort()); // read by nothing in native mode; keeps it off a taken 61616
    }

    /** kill -9 of the live broker's JVM. */
    public void killLive() {
        ProcessHandle live = process("live").orElseThrow(() -> new IllegalStateException("the live broker is not running"));
        live.destroyForcibly();
        live.onExit().join();
    }

    /** Waits until the backup accepts connections on its own port; the time that took since {@code since} (System.nanoTime). */
    public Duration awaitBackupActive(long since, Duration atMost) {
        long until = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < until) {
            if (accepts(backupPort())) return Duration.ofNanos(System.nanoTime() - since);
            sleep(20);
        }
        throw new IllegalStateException("the backup did not become active within " + atMost + ": see " + dir.resolve("backup/log"));
    }

    public boolean liveAccepts() {
        return accepts(livePort());
    }

    private Optional<ProcessHandle> process(String broker) {
        try {
            Path pid = dir.resolve(broker).resolve("data/artemis.pid");
            if (!Files.exists(pid)) return Optional.empty();
            return ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).filter(ProcessHandle::isAlive);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops both (pair.sh stop), and kills what is left: no broker outlives its test. */
    @Override
    public void close() {
        try {
            pairSh(Duration.ofSeconds(60), "stop");
        } finally {
            for (String broker : List.of("backup", "live")) {
                process(broker).ifPresent(p -> {
                    p.destroyForcibly();
                    p.onExit().join();
                });
            }
        }
    }

    private void pairSh(Duration atMost, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--dir", dir.toAbsolutePath().toString()));
        Path log = dir.getParent().resolve("pair-" + args[0] + ".log");
        try {
            Files.createDirectories(dir);
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("ARTEMIS_HOME", StandaloneArtemis.home().toAbsolutePath().toString());
            Process p = pb.start();
            if (!p.waitFor(atMost.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("pair.sh " + args[0] + " did not end within " + atMost + ": see " + log);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("pair.sh " + args[0] + " failed (" + p.exitValue() + "): "
                        + Files.readString(log).strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A base port in 20000–20990 whose eight ports (base..base+3, base+10..base+13) are free. */
    static int freeBase() {
        int start = (int) (ProcessHandle.current().pid() % 50);
        for (int i = 0; i < 50; i++) {
            int candidate = 20000 + 20 * ((start + i) % 50);
            boolean free = true;
            for (int offset : new int[] {0, 1, 2, 3, 10, 11, 12, 13}) free &= bindable(candidate + offset);
            if (free) return candidate;
        }
        throw new IllegalStateException("no free ports for a broker pair in 20000-20999");
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
