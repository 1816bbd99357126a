package appealhub.bench;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The production profile of the chaos run: the hub with SPRING_PROFILES_ACTIVE=production on a
 * fresh PostgreSQL database (127.0.0.1:5432, trust auth) and a standalone Artemis broker made
 * from the distribution (target/artemis, unpacked by the build in generate-test-resources) with the rights
 * docs/queue-contract/README.md asks of an external broker: the demo users and roles files,
 * populate-validated-user, one security setting per task queue, the queues made up front,
 * redelivery with back-off and DLQ.-prefixed dead letters, a persisted duplicate-id cache.
 * Only the hub is killed; the broker and the database stay up, as they would in production.
 */
final class ChaosProduction {
    /**
     * The hub's broker password on the standalone broker: the production profile refuses a demo one
     * (appealhub.config.ProductionSecrets), so the demo users file gets this for the hub user.
     */
    static final String HUB_BROKER_PASSWORD = "chaos-hub-broker-pw";
    final String database;
    final Path brokerInstance;
    private Process broker;
    String distribution = "apache-artemis";

    ChaosProduction(String runId, Path workDir) {
        this.database = "chaos_" + runId;
        this.brokerInstance = workDir.resolve("artemis");
    }

    /** The live/backup pair (--broker pair), else null: the single standalone broker. */
    appealhub.support.ArtemisPair pair;

    /** The broker URL the hubs and the driver's clients use. */
    String brokerUrl(int singlePort) {
        return pair != null ? pair.failoverUrl() : "tcp://127.0.0.1:" + singlePort;
    }

    /** deploy/artemis/pair.sh makes and starts the pair, with the demo users but the hub's own password. */
    void createAndStartPair(Path projectDir, Path workDir) throws IOException {
        Path users = workDir.resolve("pair-users.properties");
        Files.writeString(users, usersWithHubPassword(projectDir), StandardCharsets.ISO_8859_1);
        pair = new appealhub.support.ArtemisPair(workDir.resolve("artemis-pair"), 1000, 6, users).start();
    }

    /** The demo users file of config/, with the hub's own broker password (the production profile refuses the demo one). */
    static String usersWithHubPassword(Path projectDir) throws IOException {
        return Files.readString(projectDir.resolve("config/broker-users.properties"), StandardCharsets.ISO_8859_1)
                .replaceAll("(?m)^hub = .*$", "hub = " + HUB_BROKER_PASSWORD);
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:5432/" + database;
    }

    void createDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             Statement st = c.createStatement()) {
            st.execute("drop database if exists " + database);
            st.execute("create database " + database);
        }
    }

    /** Arguments that stand in for the production profile's environment. */
    List<String> hubArgs(ChaosRun.Options o, String mock, Path data) {
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
        return List.of(
                "--spring.profiles.active=production",
                "--spring.datasource.url=" + jdbcUrl(),
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=",
                "--spring.artemis.mode=native",
                // application.yml turns the embedded broker on and the production profile does not turn it
                // off: without this the hub starts an embedded Artemis too (and fails on hub.broker.users-file)
                "--spring.artemis.embedded.enabled=false",
                "--spring.artemis.broker-url=" + brokerUrl(o.brokerPort()),
                "--spring.artemis.user=hub",
                "--spring.artemis.password=" + HUB_BROKER_PASSWORD,
                "--hub.ops.users[0].name=operator",
                "--hub.ops.users[0].password=" + bcrypt.encode("operator-demo"),
                "--hub.ops.users[0].role=operator",
                "--hub.ops.users[1].name=viewer",
                "--hub.ops.users[1].password=" + bcrypt.encode("viewer-demo"),
                "--hub.ops.users[1].role=viewer",
                "--hub.channels.hotline12345.app-key=jizhou-hub",
                "--hub.channels.leaderboard.app-id=jizhou-hub",
                "--hub.channels.leaderboard.secret=chaos-leaderboard-secret",
                "--hub.channels.miniprogram.callback-key=chaos-miniprogram-callback-key",
                "--hub.channels.wechat.account=gh_3f2a1b0c9d8e",
                "--hub.channels.wechat.app-id=wx-demo-appid",
                "--hub.channels.wechat.app-secret=chaos-wechat-secret",
                "--hub.merge.phone-key=chaos-phone-key",
                "--hub.channels.supervision.inbox=" + data.resolve("supervision/inbox"),
                "--hub.channels.supervision.outbox=" + data.resolve("supervision/outbox"),
                "--hub.channels.supervision.processed=" + data.resolve("supervision/processed"));
    }

    /** artemis create, then the users, roles, security settings, queues and address settings of the contract. */
    void createBroker(Path projectDir, int port, List<String> orgs) throws Exception {
        Path home = null;
        Path dist = projectDir.resolve("target/artemis");
        if (Files.isDirectory(dist)) {
            try (var dirs = Files.list(dist)) {
                home = dirs.filter(d -> d.getFileName().toString().startsWith("apache-artemis-")).sorted().findFirst().orElse(null);
            }
        }
        if (home == null) {
            throw new IOException(dist + "/apache-artemis-* missing: the build unpacks it (./mvnw package -DskipTests)");
        }
        distribution = home.getFileName().toString();
        Process p = new ProcessBuilder(home.resolve("bin/artemis").toString(), "create", brokerInstance.toString(),
                "--user", "hub", "--password", HUB_BROKER_PASSWORD, "--require-login", "--no-web", "--no-autotune", "--silent",
                "--force", "--host", "127.0.0.1", "--default-port", Integer.toString(port), "--no-amqp-acceptor",
                "--no-mqtt-acceptor", "--no-stomp-acceptor", "--no-hornetq-acceptor", "--nio", "--java-memory", "512M")
                .redirectErrorStream(true).redirectOutput(brokerInstance.resolveSibling("artemis-create.log").toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("artemis create failed; see artemis-create.log");
        Path etc = brokerInstance.resolve("etc");
        // the demo users, but the hub's own password one the production profile accepts
        Files.writeString(etc.resolve("artemis-users.properties"), usersWithHubPassword(projectDir), StandardCharsets.ISO_8859_1);
        Files.copy(projectDir.resolve("config/broker-roles.properties"), etc.resolve("artemis-roles.properties"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        List<String> taskQueues = new ArrayList<>();
        for (String org : orgs) taskQueues.add((org.startsWith("D") ? "dept." : "township.") + org + ".tasks");
        StringBuilder security = new StringBuilder("<security-settings>\n");
        String hubAll = "<permission type=\"createNonDurableQueue\" roles=\"hub\"/><permission type=\"deleteNonDurableQueue\" roles=\"hub\"/>"
                + "<permission type=\"createDurableQueue\" roles=\"hub\"/><permission type=\"deleteDurableQueue\" roles=\"hub\"/>"
                + "<permission type=\"createAddress\" roles=\"hub\"/><permission type=\"deleteAddress\" roles=\"hub\"/>"
                + "<permission type=\"manage\" roles=\"hub\"/><permission type=\"view\" roles=\"hub\"/><permission type=\"edit\" roles=\"hub\"/>";
        security.append(setting("#", "hub", "hub", hubAll));
        for (int i = 0; i < orgs.size(); i++) security.append(setting(taskQueues.get(i), "hub", "hub," + orgs.get(i), hubAll));
        security.append(setting("hub.task.replies", "hub," + String.join(",", orgs), "hub", hubAll));
        security.append(setting("inbound.grid.reports", "hub,grid", "hub", hubAll));
        security.append(setting("outbound.grid.feedback", "hub", "hub,grid", hubAll));
        security.append(setting("hub.supervision", "hub", "hub,supervision", hubAll));
        security.append(setting("hub.duty.leader", "hub", "hub,duty", hubAll));
        security.append("</security-settings>");

        List<String> queues = new ArrayList<>(taskQueues);
        queues.addAll(List.of("hub.intake", "hub.task.replies", "hub.triage", "inbound.grid.reports", "outbound.grid.feedback",
                "hub.supervision", "hub.duty.leader", "hub.dead.replies", "hub.dead.grid"));
        StringBuilder addresses = new StringBuilder("<addresses>\n");
        for (String q : queues) {
            addresses.append("<address name=\"").append(q).append("\"><anycast><queue name=\"").append(q)
                    .append("\"/></anycast></address>\n");
        }
        addresses.append("<address name=\"DLA\"><anycast>");
        for (String q : List.of("hub.intake", "hub.task.replies", "hub.triage", "hub.supervision", "hub.duty.leader")) {
            addresses.append("<queue name=\"DLQ.").append(q).append("\"><filter string=\"_AMQ_ORIG_ADDRESS = '").append(q)
                    .append("'\"/></queue>");
        }
        for (String q : taskQueues) {
            addresses.append("<queue name=\"DLQ.").append(q).append("\"><filter string=\"_AMQ_ORIG_ADDRESS = '").append(q)
                    .append("'\"/></queue>");
        }
        addresses.append("</anycast></address>\n");
        addresses.append("<address name=\"ExpiryQueue\"><anycast><queue name=\"ExpiryQueue\"/></anycast></address>\n</addresses>");

        String addressSettings = "<address-settings>\n"
                + "<address-setting match=\"DLA\"><auto-create-queues>false</auto-create-queues>"
                + "<auto-create-addresses>false</auto-create-addresses></address-setting>\n"
                + "<address-setting match=\"#\"><dead-letter-address>DLA</dead-letter-address>"
                + "<auto-create-dead-letter-resources>true</auto-create-dead-letter-resources>"
                + "<dead-letter-queue-prefix>DLQ.</dead-letter-queue-prefix>"
                + "<expiry-address>ExpiryQueue</expiry-address><redelivery-delay>1000</redelivery-delay>"
                + "<redelivery-delay-multiplier>2.0</redelivery-delay-multiplier><max-redelivery-delay>30000</max-redelivery-delay>"
                + "<max-delivery-attempts>6</max-delivery-attempts><auto-create-queues>true</auto-create-queues>"
                + "<auto-create-addresses>true</auto-create-addresses><auto-delete-queues>false</auto-delete-queues>"
                + "<auto-delete-addresses>false</auto-delete-addresses></address-setting>\n</address-settings>";

        Path brokerXml = etc.resolve("broker.xml");
        String xml = Files.readString(brokerXml, StandardCharsets.UTF_8);
        xml = xml.replaceFirst("(?s)<security-settings>.*?</security-settings>", java.util.regex.Matcher.quoteReplacement(security.toString()));
        xml = xml.replaceFirst("(?s)<address-settings>.*?</address-settings>", java.util.regex.Matcher.quoteReplacement(addressSettings));
        xml = xml.replaceFirst("(?s)<addresses>.*?</addresses>", java.util.regex.Matcher.quoteReplacement(addresses.toString()));
        xml = xml.replaceFirst("<core xmlns=\"urn:activemq:core\"([^>]*)>", "<core xmlns=\"urn:activemq:core\"$1>\n"
                + "<populate-validated-user>true</populate-validated-user>\n<persist-id-cache>true</persist-id-cache>\n"
                + "<cluster-password>" + UUID.randomUUID() + "</cluster-password>\n");
        Files.writeString(brokerXml, xml, StandardCharsets.UTF_8);
    }

    private static String setting(String match, String send, String consume, String hubAll) {
        return "<security-setting match=\"" + match + "\"><permission type=\"send\" roles=\"" + send + "\"/>"
                + "<permission type=\"consume\" roles=\"" + consume + "\"/><permission type=\"browse\" roles=\"" + consume + "\"/>"
                + hubAll + "</security-setting>\n";
    }

    void startBroker(int port) throws Exception {
        broker = new ProcessBuilder(brokerInstance.resolve("bin/artemis").toString(), "run")
                .redirectErrorStream(true).redirectOutput(brokerInstance.resolveSibling("artemis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!broker.isAlive()) throw new IOException("artemis exited; see artemis.log");
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(300);
            }
        }
        throw new IOException("artemis not listening on " + port + " within 90 s; see artemis.log");
    }

    void stopBroker() throws InterruptedException {
        if (pair != null) pair.close();
        if (broker == null) return;
        broker.destroy();
        if (!broker.waitFor(30, TimeUnit.SECONDS)) broker.destroyForcibly();
    }
}
