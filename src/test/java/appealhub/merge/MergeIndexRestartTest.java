package appealhub.merge;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.support.TestHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;

/** The detector inside a whole hub: its V7 table, its config block, and a restart on the same data folder. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MergeIndexRestartTest {
    private TestHub hub;

    @Test
    void persistedIndexReloadsAfterRestartAndFindsTheSameCandidatesWithoutClearPhones() throws Exception {
        Path data = Files.createTempDirectory("merge-restart");
        hub = new TestHub(data, "http://127.0.0.1:9", Map.of("hub.merge.enabled", true)).start();
        Instant now = Instant.now();
        DuplicateDetector detector = hub.bean(DuplicateDetector.class);
        int before = detector.size();
        detector.index("CASE-ROAD", new Candidate(MergeEngineTest.ROAD_TITLE, MergeEngineTest.ROAD, "13812345678", "T01",
                "冀城嘉园", 37.5551, 115.5802, now));
        detector.index("CASE-LIGHTS", new Candidate("冀城嘉园门口路灯不亮", MergeEngineTest.LIGHTS, "13812345678", "T01",
                "冀城嘉园", 37.5551, 115.5802, now));
        Candidate reworded = new Candidate("长安路路面塌陷积水", MergeEngineTest.ROAD_REWORDED, "15000000000", null, null,
                null, null, now.plusSeconds(600));
        Candidate truncated = new Candidate(null, MergeEngineTest.ROAD.substring(0, 90), null, "T01", null, null, null,
                now.plusSeconds(600));
        List<MergeDecision> candidatesBefore = detector.candidates(reworded);
        assertThat(detector.findDuplicate(reworded)).map(MergeDecision::caseId).contains("CASE-ROAD");
        assertThat(detector.findDuplicate(truncated)).map(MergeDecision::caseId).contains("CASE-ROAD");

        // the phone is nowhere in the table in clear
        List<Map<String, Object>> rows = hub.bean(JdbcTemplate.class).queryForList(
                "select case_id, township_code, place, phone_hmac from merge_index");
        assertThat(rows).hasSize(2);
        assertThat(rows.toString()).doesNotContain("13812345678").doesNotContain("12345678");
        assertThat(rows).allSatisfy(r -> assertThat((String) r.get("phone_hmac")).hasSize(64));

        hub.stop();
        hub.start();                                        // restart: rebuilt from merge_index, no text read
        DuplicateDetector again = hub.bean(DuplicateDetector.class);
        assertThat(again).isNotSameAs(detector);
        assertThat(again.size()).isEqualTo(before + 2);
        assertThat(again.candidates(reworded)).isEqualTo(candidatesBefore);
        assertThat(again.findDuplicate(truncated)).map(MergeDecision::caseId).contains("CASE-ROAD");

        again.remove("CASE-ROAD");
        assertThat(again.findDuplicate(reworded)).isEmpty();
        assertThat(hub.bean(JdbcTemplate.class).queryForObject("select count(*) from merge_index", Integer.class)).isEqualTo(1);

        // A case received before the window leaves both the table and memory when purged.
        Candidate old = new Candidate("小寨村养殖场臭味扰民", MergeEngineTest.ROAD, null, "T01", null, null, null,
                now.minus(java.time.Duration.ofDays(40)));
        again.index("CASE-OLD", old);
        int sizeWithOld = again.size();
        assertThat(again.purgeExpired()).isEqualTo(1);
        assertThat(again.size()).isEqualTo(sizeWithOld - 1);
        assertThat(hub.bean(JdbcTemplate.class).queryForObject("select count(*) from merge_index where case_id = 'CASE-OLD'",
                Integer.class)).isZero();
    }

    @AfterAll
    void stop() {
        if (hub != null) {
            hub.stop();
        }
    }
}
