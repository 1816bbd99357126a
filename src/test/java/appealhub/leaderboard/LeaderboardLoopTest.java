package appealhub.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.awaitility.Awaitility.await;

import appealhub.connectors.leaderboard.LeaderboardCursorStore;
import appealhub.model.Appeal;
import appealhub.model.Ids;
import appealhub.store.CaseStore;
import appealhub.store.RawItemStore;
import appealhub.support.Department;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The board channel end to end: the hub pulls a signed page, the message becomes a task on a
 * department's queue, 已受理 goes back at once, the department's accept and result come back as
 * 办理中 and as the public reply, stripped of personal data; ALREADY_REPLIED, 退回 and bad messages.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeaderboardLoopTest {
    LeaderboardBoard board;
    TestHub hub;
    Department department;
    CaseStore cases;
    JdbcTemplate jdbc;

    @BeforeAll
    void start(@TempDir Path data) {
        board = new LeaderboardBoard();
        hub = new TestHub(data, board.baseUrl(), board.hubSettings(100)).start();
        department = new Department(hub.brokerUrl());
        cases = hub.bean(CaseStore.class);
        jdbc = hub.bean(JdbcTemplate.class);
    }

    @AfterAll
    void stop() {
        department.close();
        hub.close();
        board.close();
    }

    @Test
    void aBoardMessageBecomesATaskAndTheAnswersArePublishedOnTheBoard() {
        ObjectNode message = board.post(LeaderboardBoard.message(880001, "滏阳花园小区南门路灯不亮",
                "尊敬的领导：<br/>滏阳花园小区南门外的路灯坏了半个多月&nbsp;&nbsp;晚上出行不安全。<p>请尽快&ldquo;修复&rdquo;！</p>",
                "河北省/衡水市/冀州区"));

        JsonNode task = department.receive("dept.D16.tasks", 30_000);
        assertThat(task).as("task on the street-light department's queue").isNotNull();
        JsonNode appeal = task.path("appeal");
        assertThat(appeal.path("channel").asText()).isEqualTo("leaderboard");
        assertThat(appeal.path("title").asText()).isEqualTo("滏阳花园小区南门路灯不亮");
        assertThat(appeal.path("content").asText())
                .isEqualTo("尊敬的领导：\n滏阳花园小区南门外的路灯坏了半个多月 晚上出行不安全。\n请尽快“修复”！");
        assertThat(Instant.parse(appeal.path("occurredAt").asText()))
                .isEqualTo(Instant.ofEpochMilli(message.path("createTime").asLong()));
        assertThat(appeal.path("channelType").asText()).isEqualTo("投诉");
        assertThat(appeal.path("citizen").path("anonymous").asBoolean()).isTrue();
        assertThat(appeal.path("citizen").has("name")).isFalse();
        assertThat(task.path("townshipCode").asText()).isEqualTo("T01");
        String appealId = appeal.path("appealId").asText();
        assertThat(cases.appealIdBySource("leaderboard", "880001")).contains(appealId);
        assertThat(cases.appeal(appealId).channelFields()).containsEntry("domainName", "城建").containsEntry("typeName", "投诉");

        // 受理 right after intake, before any department has done anything.
        await().atMost(Duration.ofSeconds(30)).until(() -> !board.bodies("/open/messages/880001/progress").isEmpty());
        assertThat(board.bodies("/open/messages/880001/progress").get(0).path("status").asText()).isEqualTo("已受理");
        LoggedRequest ack = board.requests("POST", "/open/messages/880001/progress").get(0);
        assertThat(ack.getHeader("Authorization")).matches(LeaderboardBoard.AUTH_FORM);
        assertThat(ack.getHeader("Date")).endsWith(" GMT");

        department.reply(task, "accept", null);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(board.bodies("/open/messages/880001/progress"))
                .extracting(b -> b.path("status").asText()).containsExactly("已受理", "办理中"));

        long before = System.currentTimeMillis();
        department.reply(task, "resolve", "经综合行政执法局核实，滏阳花园南门路灯已于今日修复。感谢您的监督。");
        await().atMost(Duration.ofSeconds(30)).until(() -> !board.bodies("/open/messages/880001/reply").isEmpty());
        JsonNode reply = board.bodies("/open/messages/880001/reply").get(0);
        assertThat(reply.path("replyOrg").asText()).isEqualTo("综合行政执法局");
        assertThat(reply.path("replyContent").asText()).isEqualTo("经综合行政执法局核实，滏阳花园南门路灯已于今日修复。感谢您的监督。");
        assertThat(reply.path("replyTime").isIntegralNumber()).isTrue();
        assertThat(reply.path("replyTime").asLong()).isBetween(before - 1000, System.currentTimeMillis() + 1000);

        String caseId = cases.caseIdOfAppeal(appealId);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(cases.events(caseId))
                .extracting(CaseStore.CaseEvent::type)
                .containsSubsequence("received", "fed-back", "accepted", "fed-back", "resolved", "fed-back"));
        assertThat(cases.findCase(caseId).status()).hasToString("RESOLVED");
        assertThat(hub.bean(LeaderboardCursorStore.class).load()).isPresent();
    }

    @Test
    void thePublicReplyCarriesNoPhoneNoIdNumberAndNoCitizenName() {
        ObjectNode message = LeaderboardBoard.message(880002, "魏家庄村停水两天", "小寨乡魏家庄村停水两天了，<br/>村民生活用水困难。",
                "河北省/衡水市/冀州区/小寨乡");
        message.put("phone", "13800001111");
        board.post(message);
        JsonNode task = department.receive("dept.D43.tasks", 30_000);
        assertThat(task).isNotNull();
        assertThat(task.path("appeal").path("citizen").path("phone").asText()).as("the department may call back").isEqualTo("13800001111");
        String appealId = task.path("appeal").path("appealId").asText();
        String caseId = cases.caseIdOfAppeal(appealId);
        // The same citizen also called 12345 with a name; that appeal belongs to the same case (as a merge would do).
        cases.insertAppeal(new Appeal(Ids.appeal(), caseId,
                List.of(new Appeal.Source("hotline12345", "GDMERGED0001", Instant.now(), null)),
                new Appeal.Citizen("王建国", "13912345678", false), "停水", "魏家庄村停水", Instant.now(), Instant.now(),
                null, "03", null, false, List.of(), Map.of()));

        department.reply(task, "accept", null);
        department.reply(task, "resolve", "王建国您好：您反映的魏家庄村停水问题，经供水公司核实系管道破裂，已于今日修复。"
                + "王先生如有疑问可拨打13912345678，身份证号130181198805061234的登记信息已核对，联系电话13800001111。");
        await().atMost(Duration.ofSeconds(30)).until(() -> !board.bodies("/open/messages/880002/reply").isEmpty());
        LoggedRequest published = board.requests("POST", "/open/messages/880002/reply").get(0);
        String body = published.getBodyAsString();
        assertThat(body).doesNotContain("王建国", "王先生", "13912345678", "130181198805061234", "13800001111");
        String text = board.bodies("/open/messages/880002/reply").get(0).path("replyContent").asText();
        assertThat(text).startsWith("网友您好：您反映的魏家庄村停水问题").contains("已于今日修复", "网友如有疑问",
                "139****5678", "130181********1234", "138****1111");
        assertThat(board.bodies("/open/messages/880002/reply").get(0).path("replyOrg").asText()).isEqualTo("供水公司");
    }

    @Test
    void aReplyThatStillLooksPersonalIsRefusedForOperationsAndNotPublished() {
        board.post(LeaderboardBoard.message(880003, "霍家庄村暖气不热", "官道李镇霍家庄村集中供暖暖气不热，室内只有十二度。",
                "河北省/衡水市/冀州区"));
        JsonNode task = department.receive("dept.D44.tasks", 30_000);
        assertThat(task).isNotNull();
        // A local number without its area code: not a phone shape masking knows, but the final guard sees 7 digits.
        department.reply(task, "resolve", "已联系热力公司排查管网，如仍不热请拨打8621234找维修师傅。");
        await().atMost(Duration.ofSeconds(30)).until(() -> "REFUSED".equals(outboxStatus("880003", "result")));
        String error = jdbc.queryForObject("select last_error from feedback_outbox where channel = 'leaderboard' "
                + "and source_item_id = '880003' and kind = 'result'", String.class);
        assertThat(error).contains("not published").contains("long number").doesNotContain("8621234");
        assertThat(board.requests("POST", "/open/messages/880003/reply")).isEmpty();
        String caseId = cases.caseIdOfAppeal(task.path("appeal").path("appealId").asText());
        assertThat(cases.events(caseId)).extracting(CaseStore.CaseEvent::type).contains("feedback-refused");
    }

    @Test
    void aBusyBoardIsAskedAgainWithBackOffAndThePublicReplyGoesOutInTheEnd() {
        // The board answers HTTP 200 result error SYSTEM_BUSY twice, then RATE_LIMITED, then takes the reply.
        String scenario = "busy-880008";
        String url = "/open/messages/880008/reply";
        board.wireMock().stubFor(post(urlPathEqualTo(url)).atPriority(1).inScenario(scenario)
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("busy-again")
                .willReturn(LeaderboardBoard.jsonAnswer(200, "{\"result\":\"error\",\"code\":\"SYSTEM_BUSY\",\"message\":\"系统繁忙\"}")));
        board.wireMock().stubFor(post(urlPathEqualTo(url)).atPriority(1).inScenario(scenario)
                .whenScenarioStateIs("busy-again").willSetStateTo("limited")
                .willReturn(LeaderboardBoard.jsonAnswer(200, "{\"result\":\"error\",\"code\":\"SYSTEM_BUSY\",\"message\":\"系统繁忙\"}")));
        board.wireMock().stubFor(post(urlPathEqualTo(url)).atPriority(1).inScenario(scenario)
                .whenScenarioStateIs("limited").willSetStateTo("free")
                .willReturn(LeaderboardBoard.jsonAnswer(200, "{\"result\":\"error\",\"code\":\"RATE_LIMITED\",\"message\":\"too many requests\"}")));
        board.wireMock().stubFor(post(urlPathEqualTo(url)).atPriority(1).inScenario(scenario)
                .whenScenarioStateIs("free")
                .willReturn(LeaderboardBoard.jsonAnswer(200, "{\"result\":\"success\"}")));
        board.post(LeaderboardBoard.message(880008, "冀州镇农贸市场周边占道经营", "冀州镇农贸市场周边占道经营严重，<br/>早上堵车。",
                "河北省/衡水市/冀州区"));
        JsonNode task = taskOf("880008", "dept.D16.tasks");
        department.reply(task, "resolve", "已组织综合执法队员清理占道摊点，并设置临时疏导点。");

        await().atMost(Duration.ofSeconds(60)).until(() -> "DONE".equals(outboxStatus("880008", "result")));
        assertThat(board.requests("POST", url)).as("busy twice, limited once, then taken").hasSize(4);
        List<Instant> tries = board.requests("POST", url).stream().map(LeaderboardBoard::at).toList();
        for (int i = 1; i < tries.size(); i++) {
            assertThat(Duration.between(tries.get(i - 1), tries.get(i))).as("back-off between tries").isGreaterThanOrEqualTo(Duration.ofMillis(900));
        }
        String caseId = cases.caseIdOfAppeal(task.path("appeal").path("appealId").asText());
        assertThat(cases.events(caseId)).extracting(CaseStore.CaseEvent::type).doesNotContain("feedback-refused");
        assertThat(cases.events(caseId)).filteredOn(e -> e.type().equals("fed-back"))
                .anyMatch(e -> e.detail().contains("public reply published"));
    }

    @Test
    void aPermanentErrorAnswerIsStillRefusedForOperations() {
        board.wireMock().stubFor(post(urlPathEqualTo("/open/messages/880009/reply")).atPriority(1)
                .willReturn(LeaderboardBoard.jsonAnswer(200, "{\"result\":\"error\",\"code\":\"INVALID_PARAM\",\"message\":\"replyOrg too long\"}")));
        board.post(LeaderboardBoard.message(880009, "冀州镇建设路路灯不亮", "冀州镇建设路东段路灯不亮一周了，<br/>晚上很黑。",
                "河北省/衡水市/冀州区"));
        JsonNode task = taskOf("880009", "dept.D16.tasks");
        department.reply(task, "resolve", "已更换建设路东段路灯控制箱，路灯恢复照明。");
        await().atMost(Duration.ofSeconds(30)).until(() -> "REFUSED".equals(outboxStatus("880009", "result")));
        assertThat(board.requests("POST", "/open/messages/880009/reply")).hasSize(1);
    }

    @Test
    void alreadyRepliedOnTheBoardCountsAsDelivered() {
        board.post(LeaderboardBoard.message(889901, "魏家庄村频繁停电", "小寨乡魏家庄村最近频繁停电，<br/>冰箱里的东西都坏了。",
                "河北省/衡水市/冀州区"));
        JsonNode task = department.receive("dept.D41.tasks", 30_000);
        assertThat(task).isNotNull();
        department.reply(task, "resolve", "供电公司已更换故障变压器，供电恢复正常。");
        await().atMost(Duration.ofSeconds(30)).until(() -> "DONE".equals(outboxStatus("889901", "result")));
        assertThat(board.requests("POST", "/open/messages/889901/reply")).hasSize(1);
        String caseId = cases.caseIdOfAppeal(task.path("appeal").path("appealId").asText());
        assertThat(cases.events(caseId)).filteredOn(e -> e.type().equals("fed-back"))
                .anyMatch(e -> e.detail().contains("ALREADY_REPLIED"));
    }

    @Test
    void aReturnUpstreamSendsNothingToTheBoardAndIsReportedDelivered() throws Exception {
        board.post(LeaderboardBoard.message(880004, "桃城区某超市销售过期食品", "桃城区某超市销售过期食品，存在食品安全隐患。",
                "河北省/衡水市/桃城区"));
        await().atMost(Duration.ofSeconds(30)).until(() -> cases.appealIdBySource("leaderboard", "880004").isPresent());
        String caseId = cases.caseIdOfAppeal(cases.appealIdBySource("leaderboard", "880004").orElseThrow());
        await().atMost(Duration.ofSeconds(30)).until(() -> "DONE".equals(outboxStatus("880004", "ack")));

        HttpResponse<String> response = HttpClient.newHttpClient().send(hub.opsRequest("/ops/cases/" + caseId + "/return-upstream")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"非本区事项，属桃城区管辖\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> "DONE".equals(outboxStatus("880004", "return")));
        assertThat(cases.events(caseId)).filteredOn(e -> e.type().equals("fed-back"))
                .anyMatch(e -> e.detail().contains("return") && e.detail().contains("nothing sent"));
        // Only the 已受理 ever went to the board for this message.
        assertThat(board.requests("POST", "/open/messages/880004/")).extracting(LoggedRequest::getUrl)
                .containsExactly("/open/messages/880004/progress");
    }

    @Test
    void aMalformedMessageIsKeptWithItsReasonAndDoesNotHoldUpTheOthers() {
        ObjectNode bad = LeaderboardBoard.message(880005, "空白留言", "<br/>&nbsp;", "河北省/衡水市/冀州区");
        ObjectNode badTime = LeaderboardBoard.message(880007, "时间不对", "时间字段是文本", "河北省/衡水市/冀州区");
        badTime.put("createTime", "昨天");
        ObjectNode good = LeaderboardBoard.message(880006, "冀州镇公交车发车太少", "冀州镇到官道李镇的公交车发车太少，<br/>等车要四十分钟。",
                "河北省/衡水市/冀州区");
        board.post(bad);
        board.post(badTime);
        board.post(good);

        await().atMost(Duration.ofSeconds(30)).until(() -> cases.appealIdBySource("leaderboard", "880006").isPresent());
        RawItemStore raw = hub.bean(RawItemStore.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> raw.bySource("leaderboard", "880005").size() == 1);
        RawItemStore.RawItem kept = raw.bySource("leaderboard", "880005").get(0);
        assertThat(kept.status()).hasToString("INVALID");
        assertThat(kept.error()).startsWith("content is required");
        assertThat(new String(kept.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("空白留言");
        assertThat(raw.bySource("leaderboard", "880007")).singleElement()
                .satisfies(r -> assertThat(r.error()).isEqualTo("createTime must be epoch milliseconds"));
        assertThat(cases.appealIdBySource("leaderboard", "880005")).isEmpty();
        // The cursor moved past them all: they are not pulled (nor stored) again.
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.bean(LeaderboardCursorStore.class).load()
                .map(LeaderboardBoard.cursorOf(good)::equals).orElse(false));
        assertThat(raw.bySource("leaderboard", "880005")).hasSize(1);
    }

    /** The task of one board message on a department's queue (others on the way are taken off). */
    private JsonNode taskOf(String tid, String queue) {
        await().atMost(Duration.ofSeconds(30)).until(() -> cases.appealIdBySource("leaderboard", tid).isPresent());
        String appealId = cases.appealIdBySource("leaderboard", tid).orElseThrow();
        return Department.json(department.awaitMessage(queue,
                m -> appealId.equals(Department.json(m).path("appeal").path("appealId").asText())));
    }

    private String outboxStatus(String tid, String kind) {
        return jdbc.queryForList("select status from feedback_outbox where channel = 'leaderboard' and source_item_id = ? "
                + "and kind = ? order by id desc", String.class, tid, kind).stream().findFirst().orElse(null);
    }
}
