package appealhub.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.organization.OrganizationRegistry;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * deploy/artemis against the hub: the committed parts of broker.xml are what ArtemisDeployFiles
 * writes from config/organizations.yaml today (every task queue, its rights, the dead letters),
 * and the demo users and roles the pair is made with have every organisation in them.
 */
class ArtemisDeployFilesTest {
    final OrganizationRegistry registry;

    ArtemisDeployFilesTest() throws Exception {
        registry = new OrganizationRegistry("config/organizations.yaml");
    }

    @Test
    void theCommittedBrokerPartsAreThoseOfTodaysOrganisations() throws Exception {
        for (Map.Entry<String, String> file : ArtemisDeployFiles.files(registry).entrySet()) {
            assertThat(Files.readString(ArtemisDeployFiles.DIR.resolve(file.getKey())))
                    .as("deploy/artemis/%s is stale: ./mvnw -q test-compile exec:java -Dexec.classpathScope=test "
                            + "-Dexec.mainClass=appealhub.deploy.ArtemisDeployFiles", file.getKey())
                    .isEqualTo(file.getValue());
        }
        String security = Files.readString(ArtemisDeployFiles.DIR.resolve(ArtemisDeployFiles.SECURITY));
        assertThat(security).contains("<security-setting match=\"dept.D16.tasks\">")
                .contains("<permission type=\"consume\" roles=\"hub,D16\"/>")
                .contains("<security-setting match=\"township.T10.tasks\">");
        String addresses = Files.readString(ArtemisDeployFiles.DIR.resolve(ArtemisDeployFiles.ADDRESSES));
        for (String queue : registry.taskQueues()) {
            assertThat(addresses).contains("<queue name=\"" + queue + "\"/>").contains("<queue name=\"DLQ." + queue + "\">");
        }
    }

    @Test
    void bothBrokersIncludeThemAndStampTheSender() throws Exception {
        for (String broker : new String[] {"broker-live.xml", "broker-backup.xml"}) {
            String xml = Files.readString(ArtemisDeployFiles.DIR.resolve(broker));
            for (String part : ArtemisDeployFiles.files(registry).keySet()) {
                assertThat(xml).as(broker).contains("<xi:include href=\"${artemis.instance.etc}/" + part + "\"/>");
            }
            assertThat(xml).as(broker).contains("<populate-validated-user>true</populate-validated-user>")
                    .contains("<persist-id-cache>true</persist-id-cache>")
                    .contains("<broker-plugin class-name=\"appealhub.broker.ValidatedUserPlugin\"/>")
                    .contains("protocols=AMQP;saslMechanisms=PLAIN").contains("protocols=STOMP");
        }
    }

    @Test
    void everyOrganisationHasADemoUserAndItsRole() throws Exception {
        Properties users = load(Path.of("config/broker-users.properties"));
        Properties roles = load(Path.of("config/broker-roles.properties"));
        TreeSet<String> missing = new TreeSet<>();
        for (String code : ArtemisDeployFiles.organisations(registry)) {
            if (users.getProperty(code) == null || !code.equals(roles.getProperty(code))) missing.add(code);
        }
        assertThat(missing).as("organisations without a demo user or role").isEmpty();
    }

    private static Properties load(Path file) throws Exception {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        return p;
    }
}
