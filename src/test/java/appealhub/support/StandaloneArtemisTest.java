package appealhub.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone broker of the external-broker tests: logins, rights, and a journal that survives kill -9. */
class StandaloneArtemisTest {
    @Test
    void aPersistentMessageSurvivesKillNineAndRestart(@TempDir Path dir) {
        try (StandaloneArtemis broker = new StandaloneArtemis(dir.resolve("broker"), 100, 3)) {
            broker.start();
            try (Department d = new Department(broker.url())) {
                d.sendAs(StandaloneArtemis.HUB_USER, "dept.D16.tasks", "{\"taskId\":\"TK1\"}"); // a department may only take its own tasks
            }
            broker.kill();
            broker.start();
            try (Department d = new Department(broker.url())) {
                assertThat(d.drain("dept.D16.tasks", 1000)).extracting(t -> t.path("taskId").asText()).containsExactly("TK1");
            }
            broker.stop();
            assertThat(broker.isRunning()).isFalse();
        }
    }
}
