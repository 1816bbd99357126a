package appealhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.support.Platform12345;
import appealhub.support.TestHub;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A key the hub generates that clashes with a stored row is the hub's trouble, never the item's: found
 * by bench/chaos.sh, where H2's identity for case_event fell behind its rows after a kill -9 and a good
 * grid report was parked and a good 12345 push answered 400 "cannot be stored". The start-up check
 * (H2IdentitiesTest) repairs what a crash left; a clash while running is taken in again with new keys.
 */
class GeneratedKeyClashTest {

    @Test
    void aClashOnAGeneratedKeyWhileRunningIsTakenInAgainNotRefused(@TempDir Path data) throws Exception {
        try (Platform12345 platform = new Platform12345();
             TestHub hub = new TestHub(data, platform.baseUrl(), Map.of()).start()) {
            for (int i = 0; i < 3; i++) {
                assertThat(platform.push(hub.url(""), Platform12345.streetLight("GDKEYCLASH" + i)).status()).isEqualTo(200);
            }
            JdbcTemplate jdbc = hub.bean(JdbcTemplate.class);
            long largest = jdbc.queryForObject("select max(id) from case_event", Long.class);
            assertThat(largest).isGreaterThanOrEqualTo(3);
            // the next two values the identity gives are taken by committed rows, as found after the crash
            jdbc.execute("alter table case_event alter column id restart with " + (largest - 1));

            var answer = platform.push(hub.url(""), Platform12345.streetLight("GDKEYCLASH9"));

            assertThat(answer.status()).as("a good order is taken, not refused for the hub's own key").isEqualTo(200);
            assertThat(answer.appealId()).isNotBlank();
            assertThat(jdbc.queryForObject("select count(*) from appeal where appeal_id = ?", Integer.class,
                    answer.appealId())).isEqualTo(1);
            assertThat(jdbc.queryForObject("select count(*) from raw_item where parse_status in ('INVALID', 'REJECTED')", Integer.class))
                    .as("no item was taken for bad input").isZero();
            assertThat(jdbc.queryForObject("select count(*) from case_event where type = 'received'", Integer.class))
                    .isEqualTo(4);
        }
    }
}
