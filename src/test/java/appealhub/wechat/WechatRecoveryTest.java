package appealhub.wechat;

import static appealhub.wechat.WechatPlatform.ACCOUNT;
import static appealhub.wechat.WechatPlatform.nextMsgId;
import static appealhub.wechat.WechatPlatform.now;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.connectors.wechat.WechatFollowers;
import appealhub.demo.wechat.WechatPushes;
import appealhub.store.CaseStore;
import appealhub.store.RawItemStore;
import appealhub.support.TestHub;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The hub fails on a push (a table gone, as a database failing half way would): once the push is
 * stored WeChat still gets success, and the recovery takes it in and tells the follower the appeal
 * id; only a push that could not be stored at all is answered 500, so that WeChat sends it again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WechatRecoveryTest {
    WechatPlatform wechat;
    TestHub hub;
    JdbcTemplate jdbc;
    CaseStore cases;
    RawItemStore raws;

    @BeforeAll
    void start(@TempDir Path data) {
        wechat = new WechatPlatform();
        hub = new TestHub(data, "http://127.0.0.1:" + TestHub.freePort(), Map.of(
                "hub.channels.wechat.base-url", wechat.baseUrl(),
                "hub.channels.wechat.recovery.after-seconds", 1,
                "hub.channels.wechat.recovery.interval-ms", 500)).start();
        jdbc = hub.bean(JdbcTemplate.class);
        cases = hub.bean(CaseStore.class);
        raws = hub.bean(RawItemStore.class);
    }

    @AfterAll
    void stop() {
        if (hub != null) hub.close();
        if (wechat != null) wechat.close();
    }

    @Test
    void aPushStoredBeforeTheHubFailedIsAnsweredSuccessAndTakenInLater() {
        String openid = "oRecover-01";
        String msgId = nextMsgId();
        WechatPlatform.Answer answer;
        jdbc.execute("alter table wechat_message rename to wechat_message_away");
        try {
            answer = wechat.push(hub.url(""), WechatPushes.text(ACCOUNT, openid, now(), "冀州镇北关村自来水浑浊发黄，不敢喝。", msgId), openid);
        } finally {
            jdbc.execute("alter table wechat_message_away rename to wechat_message");
        }
        assertThat(answer.status()).as("never a 5xx once the push is kept").isEqualTo(200);
        assertThat(answer.body()).isEqualTo("success");

        await().atMost(Duration.ofSeconds(30)).until(() -> cases.appealIdBySource("wechat", msgId).isPresent());
        String appealId = cases.appealIdBySource("wechat", msgId).orElseThrow();
        // The follower got no passive reply: the appeal id comes by a customer-service message.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> wechat.wireMock().verify(1, sendTo(openid)
                .withRequestBody(matchingJsonPath("$.text.content", containing("编号 " + appealId)))
                .withRequestBody(matchingJsonPath("$.text.content", containing("您的诉求已受理")))));
        assertThat(hub.bean(WechatFollowers.class).message(msgId)).hasValueSatisfying(m -> assertThat(m.appealId()).isEqualTo(appealId));
        assertThat(raws.bySource("wechat", msgId)).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo("ACCEPTED"));
    }

    @Test
    void aTextWhoseAppealWasStoredButNotItsFollowerIsFinishedLater() {
        String openid = "oRecover-02";
        String msgId = nextMsgId();
        WechatPlatform.Answer answer;
        jdbc.execute("alter table wechat_follower rename to wechat_follower_away");
        try {
            answer = wechat.push(hub.url(""), WechatPushes.text(ACCOUNT, openid, now(), "冀州镇南关村小学门口没有减速带。", msgId), openid);
        } finally {
            jdbc.execute("alter table wechat_follower_away rename to wechat_follower");
        }
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("success");
        String appealId = cases.appealIdBySource("wechat", msgId).orElseThrow();

        await().atMost(Duration.ofSeconds(30)).until(() -> hub.bean(WechatFollowers.class).message(msgId).isPresent());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> wechat.wireMock().verify(1, sendTo(openid)
                .withRequestBody(matchingJsonPath("$.text.content", containing("编号 " + appealId)))));
        // Its location now finds the appeal.
        var location = wechat.push(hub.url(""), WechatPushes.location(ACCOUNT, openid, now(), 37.56, 115.58,
                "河北省衡水市冀州区冀州镇南关村小学", nextMsgId()), openid);
        assertThat(location.body()).isEqualTo("success");
        assertThat(cases.appeal(appealId).location()).isNotNull();
    }

    @Test
    void aPushThatCouldNotBeStoredAtAllIs500AndWechatsRetryIsTaken() {
        String openid = "oRecover-03";
        String msgId = nextMsgId();
        String xml = WechatPushes.text(ACCOUNT, openid, now(), "冀州镇东关村路口信号灯不亮。", msgId);
        WechatPlatform.Answer answer;
        jdbc.execute("alter table wechat_checked_push rename to wechat_checked_push_away");
        try {
            answer = wechat.push(hub.url(""), xml, openid);
        } finally {
            jdbc.execute("alter table wechat_checked_push_away rename to wechat_checked_push");
        }
        assertThat(answer.status()).as("the single exception: nothing kept, so WeChat must send it again").isEqualTo(500);
        assertThat(raws.byStatus("RECEIVED", 500)).noneMatch(r -> new String(r.body(), StandardCharsets.UTF_8).contains(msgId));

        var retry = wechat.push(hub.url(""), xml, openid);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.appealId()).isNotNull();
        assertThat(cases.appealIdBySource("wechat", msgId)).contains(retry.appealId());
    }

    @Test
    void aPushThatKeepsFailingIsGivenToOperationsAndDoesNotHoldUpTheOthers() {
        String openid = "oRecover-04";
        String msgId = nextMsgId();
        jdbc.execute("alter table wechat_follower rename to wechat_follower_gone");
        try {
            var answer = wechat.push(hub.url(""), WechatPushes.text(ACCOUNT, openid, now(), "冀州镇西关村垃圾站满了没人清。", msgId), openid);
            assertThat(answer.body()).isEqualTo("success");
            long rawId = raws.bySource("wechat", msgId).get(0).id();
            // Every pass fails on it (the table stays away): counted, and after the last attempt it is INVALID.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(raws.find(rawId)).satisfies(r -> {
                assertThat(r.status()).isEqualTo("INVALID");
                assertThat(r.error()).startsWith("not taken in after 10 attempts of the recovery");
            }));
        } finally {
            jdbc.execute("alter table wechat_follower_gone rename to wechat_follower");
        }
    }

    @Test
    void onlyARawPushMarkedAsCheckedIsTakenIn() {
        // Two pushes left RECEIVED at the same moment: one passed the signature and replay checks (its mark is
        // written with it), the other never did (a refused push whose REJECTED mark never came, or a row put
        // there some other way). The recovery's pass takes in the first and leaves the second.
        String checkedMsgId = nextMsgId();
        String uncheckedMsgId = nextMsgId();
        long checkedRaw = raws.store("wechat", "message", "text/xml", WechatPushes.text(ACCOUNT, "oRecover-05", now(),
                "冀州镇北关村桥头护栏断了。", checkedMsgId).getBytes(StandardCharsets.UTF_8));
        jdbc.update("insert into wechat_checked_push (raw_item_id, push_timestamp, openid, checked_at) values (?,?,?,?)",
                checkedRaw, now(), "oRecover-05", java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC));
        long uncheckedRaw = raws.store("wechat", "message", "text/xml", WechatPushes.text(ACCOUNT, "oRecover-06", now(),
                "冀州镇北关村桥头护栏也断了。", uncheckedMsgId).getBytes(StandardCharsets.UTF_8));

        await().atMost(Duration.ofSeconds(30)).until(() -> cases.appealIdBySource("wechat", checkedMsgId).isPresent());
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(raws.find(uncheckedRaw).status()).isEqualTo("RECEIVED");
            assertThat(cases.appealIdBySource("wechat", uncheckedMsgId)).isEmpty();
        });
        // The mark of a finished push is dropped by a later pass.
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "select count(*) from wechat_checked_push where raw_item_id = ?", Integer.class, checkedRaw) == 0);
    }

    private static RequestPatternBuilder sendTo(String openid) {
        return postRequestedFor(urlPathEqualTo("/cgi-bin/message/custom/send"))
                .withRequestBody(matchingJsonPath("$.touser", equalTo(openid)));
    }
}
