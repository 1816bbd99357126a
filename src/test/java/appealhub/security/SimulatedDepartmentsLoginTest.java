package appealhub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.store.CaseStore;
import appealhub.support.Department;
import appealhub.support.Platform12345;
import appealhub.support.TestHub;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default run's simulated departments log in as their own organisations: their replies
 * pass the hub's sender check (JMSXUserID = the task's organisation) and close the case.
 */
class SimulatedDepartmentsLoginTest {

    @Test
    void simulatedDepartmentsAnswerAsTheirOwnBrokerUsers(@TempDir Path data) {
        try (Platform12345 platform = new Platform12345();
             TestHub hub = new TestHub(data, platform.baseUrl(), Map.of(
                     "hub.demo.departments", true,
                     "hub.demo.accept-after-ms", 200,
                     "hub.demo.resolve-after-ms", 600)).start();
             Department operations = new Department(hub.brokerUrl())) {
            String appealId = platform.push(hub.url(""), Platform12345.streetLight("GDSIM0000001")).appealId();
            CaseStore cases = hub.bean(CaseStore.class);
            String caseId = cases.caseIdOfAppeal(appealId);
            await().atMost(Duration.ofSeconds(20)).until(() -> "RESOLVED".equals(String.valueOf(cases.findCase(caseId).status())));
            assertThat(operations.count("hub.dead.replies")).as("no simulated reply refused").isZero();
        }
    }
}
