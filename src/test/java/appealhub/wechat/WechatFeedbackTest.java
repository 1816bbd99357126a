package appealhub.wechat;

import static appealhub.wechat.WechatPlatform.ACCOUNT;
import static appealhub.wechat.WechatPlatform.nextMsgId;
import static appealhub.wechat.WechatPlatform.now;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.connectors.wechat.WechatClient;
import appealhub.demo.wechat.WechatPushes;
import appealhub.store.CaseStore;
import appealhub.store.FeedbackOutbox;
import appealhub.support.Department;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop back to the follower: the department's answers go out as customer-service messages,
 * with the access token refreshed when WeChat says it is stale, and the 48-hour rule handed to
 * operations instead of retried.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WechatFeedbackTest {
    static final String SEND = "/cgi-bin/message/custom/send";
    WechatPlatform wechat;
    TestHub hub;
    Department department;
    CaseStore cases;
    FeedbackOutbox outbox;

    @BeforeAll
    void start(@TempDir Path data) {
        wechat = new WechatPlatform();
        hub = new TestHub(data, "http://127.0.0.1:" + TestHub.freePort(),
                Map.of("hub.channels.wechat.base-url", wechat.baseUrl())).start();
        department = new Department(hub.brokerUrl());
        cases = hub.bean(CaseStore.class);
        outbox = hub.bean(FeedbackOutbox.class);
    }

    @AfterAll
    void stop() {
        department.close();
        hub.close();
        wechat.close();
    }

    @Test
    void textToPassiveReplyToTaskToDepartmentAnswersToCustomerServiceMessages() {
        String openid = "oLoop-follower-01";
        hub.bean(WechatClient.class).invalidateToken();
        int tokenFetches = wechat.wireMock().findAll(getRequestedFor(urlPathEqualTo("/cgi-bin/token"))).size();
        var answer = wechat.push(hub.url(""), WechatPushes.text(ACCOUNT, openid, now(),
                "长安路社区门口的路灯坏了好几天了，晚上出门很不安全。", nextMsgId()), openid);
        assertThat(answer.status()).isEqualTo(200);
        String appealId = answer.appealId();
        assertThat(appealId).startsWith("AP");

        JsonNode task = taskFor("dept.D16.tasks", appealId);
        department.reply(task, "accept", null);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> wechat.wireMock().verify(1, sendTo(openid)
                .withQueryParam("access_token", equalTo("mock-wechat-token-1"))
                .withRequestBody(matchingJsonPath("$.msgtype", equalTo("text")))
                .withRequestBody(matchingJsonPath("$.text.content", containing("【诉求办理进度】编号 " + appealId)))
                .withRequestBody(matchingJsonPath("$.text.content", containing("综合行政执法局")))));

        // The department's result carries a phone number: the follower reads it masked.
        department.reply(task, "resolve", "路灯已于今日修复，如仍有问题请联系13912345678。");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> wechat.wireMock().verify(1, sendTo(openid)
                .withRequestBody(matchingJsonPath("$.text.content", containing("【诉求办理结果】编号 " + appealId)))
                .withRequestBody(matchingJsonPath("$.text.content", containing("路灯已于今日修复")))
                .withRequestBody(matchingJsonPath("$.text.content", containing("139****5678")))));
        wechat.wireMock().verify(0, sendTo(openid).withRequestBody(containing("13912345678")));
        // The intake was acknowledged by the passive reply: no ack is owed, two messages in all.
        wechat.wireMock().verify(2, sendTo(openid));
        // One token for both messages (cached), fetched as WeChat wants it.
        assertThat(wechat.wireMock().findAll(getRequestedFor(urlPathEqualTo("/cgi-bin/token"))
                .withQueryParam("grant_type", equalTo("client_credential"))
                .withQueryParam("appid", equalTo("wx-demo-appid"))
                .withQueryParam("secret", equalTo("demo-wechat-secret")))).hasSize(tokenFetches + 1);
        wechat.wireMock().verify(2, sendTo(openid).withQueryParam("access_token", equalTo("mock-wechat-token-1")));

        String caseId = cases.caseIdOfAppeal(appealId);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(cases.events(caseId))
                .extracting(CaseStore.CaseEvent::type)
                .containsSubsequence("received", "dispatched", "accepted", "fed-back", "resolved", "fed-back"));
        assertThat(outbox.ofCase(caseId)).extracting(FeedbackOutbox.Item::kind).containsExactly("progress", "result");
    }

    @Test
    void anInvalidTokenIsReplacedAndTheMessageSentOnce_40001() {
        tokenRefreshedAfter("stale-token-1", "oToken-40001", 40001);
    }

    @Test
    void anExpiredTokenIsReplacedAndTheMessageSentOnce_42001() {
        tokenRefreshedAfter("expired-token-1", "oToken-42001", 42001);
    }

    private void tokenRefreshedAfter(String badToken, String openid, int errcode) {
        // WeChat hands out a token that it then refuses; the next token is good.
        String scenario = "token-" + errcode;
        MappingBuilder first = get(urlPathEqualTo("/cgi-bin/token")).atPriority(1)
                .inScenario(scenario).whenScenarioStateIs(Scenario.STARTED).willSetStateTo("refreshed")
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\":\"" + badToken + "\",\"expires_in\":7200}"));
        MappingBuilder then = get(urlPathEqualTo("/cgi-bin/token")).atPriority(1)
                .inScenario(scenario).whenScenarioStateIs("refreshed")
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\":\"mock-wechat-token-" + errcode + "\",\"expires_in\":7200}"));
        // Nothing else on its way to WeChat: this delivery is the one that meets the stale token.
        await().atMost(Duration.ofSeconds(30)).until(() -> outbox.byStatus("PENDING", 10).isEmpty());
        wechat.wireMock().stubFor(first);
        wechat.wireMock().stubFor(then);
        hub.bean(WechatClient.class).invalidateToken();
        try {
            String appealId = pushAndAccept(openid, "周村镇周村这几天频繁停电，冰箱里的东西都坏了。", "dept.D41.tasks");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> wechat.wireMock().verify(1, sendTo(openid)
                    .withQueryParam("access_token", equalTo("mock-wechat-token-" + errcode))
                    .withRequestBody(matchingJsonPath("$.text.content", containing(appealId)))));
            wechat.wireMock().verify(1, sendTo(openid).withQueryParam("access_token", equalTo(badToken)));
            wechat.wireMock().verify(2, sendTo(openid));
            FeedbackOutbox.Item progress = outbox.ofCase(cases.caseIdOfAppeal(appealId)).get(0);
            await().atMost(Duration.ofSeconds(5)).until(() -> "DONE".equals(String.valueOf(
                    outbox.ofCase(cases.caseIdOfAppeal(appealId)).get(0).status())));
            assertThat(outbox.ofCase(cases.caseIdOfAppeal(appealId)).get(0).attempts())
                    .as("refreshed and re-sent within one delivery, not by the dispatcher's retry").isEqualTo(1);
            assertThat(progress.kind()).isEqualTo("progress");
        } finally {
            wechat.wireMock().resetScenarios();
            wechat.wireMock().removeStub(first);
            wechat.wireMock().removeStub(then);
        }
    }

    @Test
    void theFortyEightHourRuleGoesToOperationsForAPhoneCallAndIsNeverRetried() {
        String openid = "o48h-quiet-follower";
        String appealId = pushAndAccept(openid, "码头李镇码头李村超市销售过期食品，存在食品安全隐患。", "dept.D13.tasks");
        String caseId = cases.caseIdOfAppeal(appealId);
        await().atMost(Duration.ofSeconds(30)).until(() -> outbox.ofCase(caseId).stream()
                .anyMatch(i -> "REFUSED".equals(String.valueOf(i.status()))));
        FeedbackOutbox.Item refused = outbox.ofCase(caseId).get(0);
        assertThat(refused.status()).hasToString("REFUSED");
        assertThat(refused.lastError()).contains("45015").contains("phone").contains(appealId)
                .contains("no phone number left");
        assertThat(cases.events(caseId)).filteredOn(e -> e.type().equals("feedback-refused")).hasSize(1)
                .allSatisfy(e -> assertThat(e.detail()).contains("45015").contains("call the citizen back by phone"));
        // Back-off in tests is 1-2 s: had it been retried, WeChat would have seen it again by now.
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                .untilAsserted(() -> wechat.wireMock().verify(1, sendTo(openid)));
    }

    @Test
    void aFollowerWhoLeftAPhoneNumberCanBeCalledBackWhenTheFortyEightHoursArePast() {
        String openid = "o48h-caller-follower";
        var text = wechat.push(hub.url(""), WechatPushes.text(ACCOUNT, openid, now(),
                "官道李镇堤北村从昨天开始停水，到现在一直没来水。", nextMsgId()), openid);
        String appealId = text.appealId();
        assertThat(text.body()).contains("请直接回复您的手机号码");
        assertThat(wechat.push(hub.url(""), WechatPushes.text(ACCOUNT, openid, now(), "13912345678", nextMsgId()), openid)
                .body()).contains("已收到您的联系电话 139****5678");
        department.reply(taskFor("dept.D43.tasks", appealId), "accept", null);
        String caseId = cases.caseIdOfAppeal(appealId);
        await().atMost(Duration.ofSeconds(30)).until(() -> outbox.ofCase(caseId).stream()
                .anyMatch(i -> "REFUSED".equals(String.valueOf(i.status()))));
        assertThat(outbox.ofCase(caseId).get(0).lastError()).contains("45015").contains("the follower left a phone number")
                .doesNotContain("13912345678");
        assertThat(cases.appeal(appealId).citizen().phone()).as("what operations call").isEqualTo("13912345678");
    }

    @Test
    void aTokenWechatWillNotGiveGoesToOperationsInsteadOfBeingRetriedForEver() {
        // The AppSecret was changed on the WeChat platform: every token request answers 40125.
        var refusing = wechat.wireMock().stubFor(get(urlPathEqualTo("/cgi-bin/token")).atPriority(1)
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"errcode\":40125,\"errmsg\":\"invalid appsecret, rid: 6613c3b1-1b2e\"}")));
        hub.bean(WechatClient.class).invalidateToken();
        try {
            String openid = "oSecret-follower-07";
            String appealId = pushAndAccept(openid, "信都路社区门口的路灯坏了好几天了，晚上出门很不安全。", "dept.D16.tasks");
            String caseId = cases.caseIdOfAppeal(appealId);
            await().atMost(Duration.ofSeconds(30)).until(() -> outbox.ofCase(caseId).stream()
                    .anyMatch(i -> "REFUSED".equals(String.valueOf(i.status()))));
            FeedbackOutbox.Item refused = outbox.ofCase(caseId).get(0);
            assertThat(refused.lastError()).contains("40125").contains("app-secret");
            assertThat(refused.attempts()).as("refused at the first try, not retried").isEqualTo(1);
            assertThat(cases.events(caseId)).extracting(CaseStore.CaseEvent::type).contains("feedback-refused");
            wechat.wireMock().verify(0, sendTo(openid));
            int fetches = wechat.wireMock().findAll(getRequestedFor(urlPathEqualTo("/cgi-bin/token"))).size();
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() ->
                    wechat.wireMock().findAll(getRequestedFor(urlPathEqualTo("/cgi-bin/token"))).size() == fetches);
        } finally {
            wechat.wireMock().removeStub(refusing);
            hub.bean(WechatClient.class).invalidateToken();
        }
    }

    @Test
    void aBusyWechatIsTriedAgainLater() {
        String openid = "obusy-follower-05";
        String appealId = pushAndAccept(openid, "官道李镇堤北村从前天开始停水，一直没来水。", "dept.D43.tasks");
        String caseId = cases.caseIdOfAppeal(appealId);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> wechat.wireMock().verify(
                com.github.tomakehurst.wiremock.client.WireMock.moreThanOrExactly(2), sendTo(openid)));
        FeedbackOutbox.Item pending = outbox.ofCase(caseId).get(0);
        assertThat(pending.status()).hasToString("PENDING");
        assertThat(pending.lastError()).contains("-1");
        assertThat(cases.events(caseId)).extracting(CaseStore.CaseEvent::type).doesNotContain("feedback-refused");

        // WeChat recovers: the next try goes through, and nothing is left retrying for the other tests.
        var recovered = wechat.wireMock().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo(SEND))
                .atPriority(1).withRequestBody(matchingJsonPath("$.touser", equalTo(openid)))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"errcode\":0,\"errmsg\":\"ok\"}")));
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> "DONE".equals(String.valueOf(outbox.ofCase(caseId).get(0).status())));
        } finally {
            wechat.wireMock().removeStub(recovered);
        }
    }

    @Test
    void aReturnedCaseTellsTheFollowerPolitelyThatItIsOutsideTheDistrict() throws Exception {
        String openid = "oReturn-follower-06";
        var answer = wechat.push(hub.url(""), WechatPushes.text(ACCOUNT, openid, now(),
                "桃城区某路段道路破损严重，希望尽快修复。", nextMsgId()), openid);
        String caseId = cases.caseIdOfAppeal(answer.appealId());
        var response = HttpClient.newHttpClient().send(hub.opsRequest("/ops/cases/" + caseId + "/return-upstream")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"该路段属桃城区管辖，请联系桃城区相关部门。\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> wechat.wireMock().verify(1, sendTo(openid)
                .withRequestBody(matchingJsonPath("$.text.content", containing("编号 " + answer.appealId())))
                .withRequestBody(matchingJsonPath("$.text.content", containing("不在本区职责范围内")))
                .withRequestBody(matchingJsonPath("$.text.content", containing("属桃城区管辖")))));
    }

    private String pushAndAccept(String openid, String content, String queue) {
        var answer = wechat.push(hub.url(""), WechatPushes.text(ACCOUNT, openid, now(), content, nextMsgId()), openid);
        assertThat(answer.status()).isEqualTo(200);
        String appealId = answer.appealId();
        department.reply(taskFor(queue, appealId), "accept", null);
        return appealId;
    }

    private static RequestPatternBuilder sendTo(String openid) {
        return postRequestedFor(urlPathEqualTo(SEND)).withRequestBody(matchingJsonPath("$.touser", equalTo(openid)));
    }

    private JsonNode taskFor(String queue, String appealId) {
        JsonNode task;
        do {
            task = department.receive(queue, 20_000);
            assertThat(task).as("task for " + appealId + " on " + queue).isNotNull();
        } while (!appealId.equals(task.path("appeal").path("appealId").asText()));
        return task;
    }
}
