package appealhub.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.connectors.leaderboard.LeaderboardCursorStore;
import appealhub.store.CaseStore;
import appealhub.store.RawItemStore;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A board message too long for the store, or one the store refuses, is INVALID with its reason
 * and the cursor moves past it; before, the page's intake failed, the cursor stayed, and the same
 * page was pulled again on every poll, forever, holding back every message after it.
 */
class LeaderboardPoisonTest {
    static final String REFUSED = "POISON-REFUSED";

    @Test
    void badMessagesInAPageAreKeptInvalidAndTheCursorMovesPastThem(@TempDir Path data) {
        try (LeaderboardBoard board = new LeaderboardBoard()) {
            Map<String, Object> settings = board.hubSettings(10);
            settings.put("hub.channels.miniprogram.enabled", false);
            settings.put("hub.channels.wechat.enabled", false);
            settings.put("hub.channels.grid.enabled", false);
            settings.put("hub.channels.leaderboard.pull.initial-delay-ms", 4000);
            try (TestHub hub = new TestHub(data, "http://127.0.0.1:9", settings).start()) {
                hub.bean(JdbcTemplate.class).execute(
                        "alter table appeal add constraint poison_test check (title is null or title not like '%" + REFUSED + "%')");
                ObjectNode good = LeaderboardBoard.message(7100001, "村道坑洼", "我村主街道年久失修。", "河北省/衡水市/冀州区/西王镇");
                ObjectNode longArea = LeaderboardBoard.message(7100002, "地区太长", "地区字段超长。", "河北省/衡水市/冀州区/".repeat(30));
                ObjectNode refused = LeaderboardBoard.message(7100003, REFUSED + " 标题", "数据库拒收的一条。", "河北省/衡水市/冀州区");
                ObjectNode odd = LeaderboardBoard.message(7100004, "路灯不亮", "小区路灯坏了。", "河北省/衡水市/冀州区/冀州镇");
                odd.put("typeName", "吐槽"); // not in the spec's example: tolerated, the spec lists no values
                board.post(good, longArea, refused, odd);

                CaseStore cases = hub.bean(CaseStore.class);
                LeaderboardCursorStore cursors = hub.bean(LeaderboardCursorStore.class);
                await().atMost(Duration.ofSeconds(30)).until(() -> cursors.load(),
                        c -> c.equals(Optional.of(LeaderboardBoard.cursorOf(odd))));
                assertThat(cases.appealIdBySource("leaderboard", "7100001")).isPresent();
                assertThat(cases.appealIdBySource("leaderboard", "7100004")).as("after the bad ones, typeName tolerated").isPresent();

                RawItemStore raw = hub.bean(RawItemStore.class);
                assertThat(raw.bySource("leaderboard", "7100002")).singleElement().satisfies(r -> {
                    assertThat(r.status()).hasToString("INVALID");
                    assertThat(r.error()).startsWith("address longer than 256 characters");
                });
                assertThat(raw.bySource("leaderboard", "7100003")).singleElement().satisfies(r -> {
                    assertThat(r.status()).hasToString("INVALID");
                    assertThat(r.error()).startsWith("cannot be stored: ");
                });
            }
        }
    }
}
