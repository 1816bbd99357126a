package appealhub.leaderboard;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.connectors.leaderboard.LeaderboardCursorStore;
import appealhub.store.CaseStore;
import appealhub.store.RawItemStore;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The cursor is durable: a hub stopped after a fully processed page and started again on the
 * same data folder asks with the stored since, so nothing is skipped and nothing processed is
 * pulled again.
 */
class LeaderboardRestartTest {

    @Test
    void aRestartedHubResumesFromTheStoredCursor(@TempDir Path data) {
        try (LeaderboardBoard board = new LeaderboardBoard()) {
            ObjectNode m1 = msg(660001, "冀州镇长安路修了一年还没修好");
            ObjectNode m2 = msg(660002, "滏阳花园小区门口车辆乱停乱放");
            ObjectNode m3 = msg(660003, "冀城嘉园高层住户水压不正常");
            ObjectNode m4 = msg(660004, "南关村工地夜间施工噪声扰民");
            String c2 = LeaderboardBoard.cursorOf(m2);
            // The board has a hiccup after the first page: the first hub gets m1, m2 and nothing more.
            StubMapping hiccup = board.wireMock().stubFor(get(urlPathEqualTo("/open/messages")).atPriority(1)
                    .withQueryParam("since", equalTo(c2))
                    .willReturn(LeaderboardBoard.jsonAnswer(200, "{\"result\":\"error\",\"code\":\"SYSTEM_BUSY\",\"message\":\"系统繁忙\"}")));
            board.post(m1, m2, m3, m4);

            TestHub first = new TestHub(data, board.baseUrl(), board.hubSettings(2)).start();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> board.pulls().stream()
                        .anyMatch(p -> c2.equals(LeaderboardBoard.since(p))));
                assertThat(first.bean(LeaderboardCursorStore.class).load()).contains(c2);
                CaseStore cases = first.bean(CaseStore.class);
                assertThat(cases.appealIdBySource("leaderboard", "660001")).isPresent();
                assertThat(cases.appealIdBySource("leaderboard", "660002")).isPresent();
                assertThat(cases.appealIdBySource("leaderboard", "660003")).isEmpty();
                // Of the first hub's pulls only the very first had no since.
                assertThat(board.pulls()).filteredOn(p -> LeaderboardBoard.since(p) == null).hasSize(1);
            } finally {
                first.stop();
            }

            board.wireMock().removeStub(hiccup);
            board.wireMock().resetRequests();
            try (TestHub second = new TestHub(data, board.baseUrl(), board.hubSettings(2)).start()) {
                CaseStore cases = second.bean(CaseStore.class);
                await().atMost(Duration.ofSeconds(30)).until(() -> cases.appealIdBySource("leaderboard", "660004").isPresent());
                List<ServeEvent> pulls = board.pulls();
                assertThat(LeaderboardBoard.since(pulls.get(0))).as("the second hub's first pull").isEqualTo(c2);
                assertThat(pulls).noneMatch(p -> LeaderboardBoard.since(p) == null);
                await().atMost(Duration.ofSeconds(10)).until(() -> second.bean(LeaderboardCursorStore.class).load()
                        .map(LeaderboardBoard.cursorOf(m4)::equals).orElse(false));

                // No skip: all four are in. No replay: m1, m2 were not pulled or stored again.
                JdbcTemplate jdbc = second.bean(JdbcTemplate.class);
                assertThat(jdbc.queryForObject("select count(*) from appeal_source where channel = 'leaderboard'", Integer.class))
                        .isEqualTo(4);
                RawItemStore raw = second.bean(RawItemStore.class);
                for (String tid : List.of("660001", "660002", "660003", "660004")) {
                    assertThat(raw.bySource("leaderboard", tid)).as("raw items of " + tid).hasSize(1)
                            .allSatisfy(r -> assertThat(r.status()).hasToString("ACCEPTED"));
                }
            }
        }
    }

    private static ObjectNode msg(long tid, String title) {
        return LeaderboardBoard.message(tid, title, title + "。<br/>恳请有关部门尽快解决！", "河北省/衡水市/冀州区");
    }
}
