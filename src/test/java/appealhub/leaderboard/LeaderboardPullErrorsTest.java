package appealhub.leaderboard;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.connectors.leaderboard.LeaderboardClient;
import appealhub.connectors.leaderboard.LeaderboardCursorStore;
import appealhub.store.CaseStore;
import appealhub.support.TestHub;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The board's error answers to the pull: HTTP 200 with result "error" stops the page loop and
 * keeps the cursor; 429 holds every call until Retry-After has passed; 403 is logged as a
 * credentials or clock problem and keeps the cursor. Pages of 2 messages, a poll every 400 ms.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LeaderboardPullErrorsTest {
    LeaderboardBoard board;
    TestHub hub;
    CaseStore cases;
    LeaderboardCursorStore cursors;
    long nextTid = 770001;

    @BeforeAll
    void start(@TempDir Path data) {
        board = new LeaderboardBoard();
        hub = new TestHub(data, board.baseUrl(), board.hubSettings(2)).start();
        cases = hub.bean(CaseStore.class);
        cursors = hub.bean(LeaderboardCursorStore.class);
    }

    @AfterAll
    void stop() {
        hub.close();
        board.close();
    }

    @Test
    @Order(1)
    void anErrorWithHttp200StopsThePageLoopAndKeepsTheCursor() {
        ObjectNode m1 = message("冀州镇长安路路面坑洼");
        ObjectNode m2 = message("滏阳花园路灯不亮");
        String c2 = LeaderboardBoard.cursorOf(m2);
        StubMapping busy = board.wireMock().stubFor(get(urlPathEqualTo("/open/messages")).atPriority(1)
                .withQueryParam("since", equalTo(c2))
                .willReturn(LeaderboardBoard.jsonAnswer(200, "{\"result\":\"error\",\"code\":\"SYSTEM_BUSY\",\"message\":\"系统繁忙\"}")));
        try {
            ObjectNode m3 = message("信都社区占道经营");
            board.post(m1, m2, m3); // at once: page 1 is m1, m2 (full), page 2 would start at m3
            // Page 1 (full) is taken, its cursor saved; page 2 answers an error, again and again.
            await().atMost(Duration.ofSeconds(30)).until(() -> pullsSince(c2) >= 3);
            assertThat(cursors.load()).contains(c2);
            assertThat(cases.appealIdBySource("leaderboard", tid(m1))).isPresent();
            assertThat(cases.appealIdBySource("leaderboard", tid(m2))).isPresent();
            assertThat(cases.appealIdBySource("leaderboard", tid(m3))).isEmpty();
            // After an error nothing further is asked for: every later pull starts again at c2.
            List<ServeEvent> pulls = board.pulls();
            int firstError = indexOfFirst(pulls, c2);
            assertThat(pulls.subList(firstError, pulls.size())).allSatisfy(p -> assertThat(LeaderboardBoard.since(p)).isEqualTo(c2));
        } finally {
            board.wireMock().removeStub(busy);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> cursors.load().equals(Optional.of(LeaderboardBoard.cursorOf(lastPosted))));
    }

    @Test
    @Order(2)
    void a429IsHonouredNoCallBeforeRetryAfter() {
        String cursor = cursors.load().orElseThrow();
        board.wireMock().stubFor(get(urlPathEqualTo("/open/messages")).atPriority(1)
                .inScenario("rate").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("passed")
                .willReturn(LeaderboardBoard.jsonAnswer(429, "{\"result\":\"error\",\"code\":\"RATE_LIMITED\",\"message\":\"too many requests\"}")
                        .withHeader("Retry-After", "3")));
        ObjectNode m = board.post(message("南关村工地夜间施工噪音扰民"));
        await().atMost(Duration.ofSeconds(30)).until(() -> cases.appealIdBySource("leaderboard", tid(m)).isPresent());

        List<ServeEvent> pulls = board.pulls();
        ServeEvent limited = pulls.stream().filter(p -> LeaderboardBoard.status(p) == 429).findFirst().orElseThrow();
        Instant limitedAt = limited.getRequest().getLoggedDate().toInstant();
        assertThat(LeaderboardBoard.since(limited)).isEqualTo(cursor);
        // Nothing at all (pull or feedback) went to the board while Retry-After ran.
        List<LoggedRequest> after = board.wireMock().getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(r -> r.getLoggedDate().toInstant().isAfter(limitedAt)).toList();
        assertThat(after).isNotEmpty();
        assertThat(after).allSatisfy(r -> assertThat(Duration.between(limitedAt, r.getLoggedDate().toInstant()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(2900)));
        await().atMost(Duration.ofSeconds(10)).until(() -> cursors.load().equals(Optional.of(LeaderboardBoard.cursorOf(m))));
    }

    @Test
    @Order(3)
    void a403IsLoggedAsACredentialsOrClockProblemAndKeepsTheCursor() {
        Logger clientLog = (Logger) LoggerFactory.getLogger(LeaderboardClient.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        clientLog.addAppender(logged);
        String cursor = cursors.load().orElseThrow();
        StubMapping refused = board.wireMock().stubFor(get(urlPathEqualTo("/open/messages")).atPriority(1)
                .willReturn(LeaderboardBoard.jsonAnswer(403, "{\"result\":\"error\",\"code\":\"SIGNATURE_INVALID\",\"message\":\"signature mismatch\"}")));
        ObjectNode m = board.post(message("西王村主街道坑洼积水"));
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> board.pulls().stream().filter(p -> LeaderboardBoard.status(p) == 403).count() >= 2);
            assertThat(cursors.load()).contains(cursor);
            assertThat(cases.appealIdBySource("leaderboard", tid(m))).isEmpty();
            assertThat(logged.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                    .contains("refused our signature").contains("app-id / secret").contains("clock"));
        } finally {
            board.wireMock().removeStub(refused);
            clientLog.detachAppender(logged);
        }
        // Credentials fixed (here: the board accepts again): the same cursor goes on.
        await().atMost(Duration.ofSeconds(30)).until(() -> cases.appealIdBySource("leaderboard", tid(m)).isPresent());
        // The cursor follows once the whole page is taken in.
        await().atMost(Duration.ofSeconds(10)).until(() -> cursors.load().equals(Optional.of(LeaderboardBoard.cursorOf(m))));
    }

    private ObjectNode lastPosted;

    private ObjectNode message(String title) {
        lastPosted = LeaderboardBoard.message(nextTid++, title, title + "，<br/>请有关部门尽快处理。", "河北省/衡水市/冀州区");
        return lastPosted;
    }

    private static String tid(ObjectNode m) {
        return m.path("tid").asText();
    }

    private long pullsSince(String cursor) {
        return board.pulls().stream().filter(p -> cursor.equals(LeaderboardBoard.since(p))).count();
    }

    private static int indexOfFirst(List<ServeEvent> pulls, String since) {
        for (int i = 0; i < pulls.size(); i++) if (since.equals(LeaderboardBoard.since(pulls.get(i)))) return i;
        return -1;
    }
}
