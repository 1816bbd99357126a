package appealhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.support.CuttableProxy;
import appealhub.support.Department;
import appealhub.support.GridReports;
import appealhub.support.Platform12345;
import appealhub.support.ScratchPostgres;
import appealhub.support.TestHub;
import static appealhub.support.TestHub.with;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * PostgreSQL goes away in the middle of the work (the hub's connections break, new ones are
 * refused) and comes back. Pushes meanwhile are not answered as taken (the platform sends them
 * again), grid reports wait on their queue instead of being dead-lettered, and afterwards every
 * item is in the database and placed.
 */
class DatabaseOutageTest {

    @Test
    void aDatabaseOutageLosesNothingAndDeadLettersNothing(@TempDir Path data) throws Exception {
        try (ScratchPostgres db = new ScratchPostgres("appealhub_outage");
             CuttableProxy postgres = new CuttableProxy(5432);
             Platform12345 platform = new Platform12345();
             TestHub hub = new TestHub(data, platform.baseUrl(), with(db.hubProperties(db.urlThroughPort(postgres.port())),
                     Map.of("spring.datasource.hikari.connection-timeout", 1000,
                             "spring.datasource.hikari.validation-timeout", 500))).start();
             Department broker = new Department(hub.brokerUrl())) {
            assertThat(platform.push(hub.url(""), Platform12345.streetLight("GDOUTAGE-BEFORE")).status()).isEqualTo(200);

            postgres.cut();
            // Pushes while the database is away: none may be answered as taken.
            List<String> unanswered = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String gdbh = "GDOUTAGE-DURING-" + i;
                var answer = platform.push(hub.url(""), Platform12345.streetLight(gdbh));
                assertThat(answer.status()).as("answer to a push during the outage").isGreaterThanOrEqualTo(500);
                unanswered.add(gdbh);
            }
            // Grid reports meanwhile: the test hub's broker gives up after 3 deliveries 100 ms apart,
            // far shorter than the outage.
            for (int i = 0; i < 3; i++) broker.send(GridReports.QUEUE, GridReports.report("EV-OUTAGE-" + i));
            Thread.sleep(6000);
            postgres.restore();

            // The platform sends each unanswered order again until it is taken, as 12345 does.
            for (String gdbh : unanswered) {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() ->
                        platform.push(hub.url(""), Platform12345.streetLight(gdbh)).status() == 200);
            }
            JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(db.url(), ScratchPostgres.USER, ""));
            await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                    "select count(*) from appeal_source where channel = 'grid'", Integer.class) == 3);
            await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                    "select count(*) from hub_case where status = 'RECEIVED'", Integer.class) == 0);
            assertThat(jdbc.queryForObject("select count(*) from appeal", Integer.class)).isEqualTo(7);
            assertThat(broker.count("DLA::DLQ.inbound.grid.reports")).as("grid reports dead-lettered").isZero();
            assertThat(broker.count("hub.dead.grid")).as("grid reports parked as bad").isZero();
            assertThat(broker.count("DLA::DLQ.hub.intake")).as("hand-overs dead-lettered").isZero();
        }
    }
}
