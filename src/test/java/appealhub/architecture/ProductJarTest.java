package appealhub.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.support.TestHub;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo of the default run (src/demo/java: mock upstreams on WireMock, feeders, simulated
 * departments) and WireMock stay out of the product. The product's classes are checked in every
 * test run; the repackaged jar by the surefire execution bound to verify, after the jar is built
 * (pom.xml: it sets hub.product.jar). That execution also starts the jar as an operator would,
 * with the default configuration (hub.demo.mocks=true): it must start, without the demo, and say so.
 */
class ProductJarTest {
    /** The repackaged jar; set only by the surefire execution after package. */
    static final String JAR = "hub.product.jar";
    private static final Path BUILD = Path.of(System.getProperty("hub.build.dir", "target"));

    @Test
    void theProductClassesHoldNoClassOfTheDemo() throws IOException {
        Set<String> demo = demoClasses();
        Set<String> product = classesUnder(BUILD.resolve("classes"));
        assertThat(product).as("product classes").contains("appealhub/AppealHubApplication.class");
        assertThat(product.stream().filter(c -> demo.contains(c) || c.startsWith("appealhub/demo/")))
                .as("demo classes among the product's (target/classes)").isEmpty();
    }

    @Test
    void theRepackagedJarHoldsNeitherTheDemoNorWireMock() throws IOException {
        Path jar = productJar();
        Set<String> demo = demoClasses();
        List<String> entries;
        try (JarFile file = new JarFile(jar.toFile())) {
            entries = file.stream().map(ZipEntry::getName).toList();
        }
        assertThat(entries).as("a Spring Boot jar with the hub and its libraries")
                .contains("BOOT-INF/classes/appealhub/AppealHubApplication.class")
                .anyMatch(e -> e.startsWith("BOOT-INF/lib/camel-core-engine-"));
        String classes = "BOOT-INF/classes/";
        assertThat(entries.stream().filter(e -> e.startsWith(classes + "appealhub/demo/")
                || e.startsWith(classes) && demo.contains(e.substring(classes.length()))))
                .as("demo classes in " + jar).isEmpty();
        assertThat(entries.stream().filter(e -> e.startsWith("BOOT-INF/lib/") && e.toLowerCase().contains("wiremock")
                || e.contains("com/github/tomakehurst/")))
                .as("WireMock in " + jar).isEmpty();
    }

    @Test
    void theJarStartsWithTheDefaultConfigurationWithoutTheDemoAndSaysSo(@TempDir Path data) throws Exception {
        Path jar = productJar();
        Path log = data.resolve("hub.log");
        // The default configuration (hub.demo.mocks=true, departments=true), on free ports and a fresh data folder.
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
                "--server.port=" + TestHub.freePort(), "--hub.broker.port=" + TestHub.freePort(),
                "--hub.broker.amqp-port=0", "--hub.broker.stomp-port=0",
                "--hub.demo.mock-port=" + TestHub.freePort(), "--hub.data-dir=" + data.resolve("data"));
        Process hub = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long until = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while (!read(log).contains("Started AppealHubApplication")) {
                assertThat(hub.isAlive()).as("the jar exited at start: see " + log + "\n" + read(log)).isTrue();
                assertThat(System.nanoTime()).as("the jar not started within 180 s: " + log).isLessThan(until);
                Thread.sleep(500);
            }
            String text = read(log);
            assertThat(text).contains("the demo is not in this build")
                    .doesNotContain("mock upstreams (WireMock)")
                    .doesNotContain("ClassNotFoundException")
                    .doesNotContain("NoClassDefFoundError");
            assertThat(hub.isAlive()).isTrue();
        } finally {
            hub.destroy();
            if (!hub.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) hub.destroyForcibly().waitFor();
        }
    }

    private static Path productJar() {
        String jar = System.getProperty(JAR);
        assertThat(jar).as("system property " + JAR + ": this test runs after package (surefire execution product-jar in verify)")
                .isNotNull();
        Path path = Path.of(jar);
        assertThat(path).as("the repackaged jar").isRegularFile();
        return path;
    }

    /** The demo's classes as built (target/demo-classes), relative paths; never empty. */
    private static Set<String> demoClasses() throws IOException {
        Set<String> demo = classesUnder(BUILD.resolve("demo-classes"));
        assertThat(demo).as("the demo's classes (target/demo-classes)").contains("appealhub/demo/MockUpstreams.class");
        return demo;
    }

    private static Set<String> classesUnder(Path dir) throws IOException {
        assertThat(dir).isDirectory();
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
    }
}
