package appealhub.wechat;

import static appealhub.wechat.WechatPlatform.ACCOUNT;
import static appealhub.wechat.WechatPlatform.nextMsgId;
import static appealhub.wechat.WechatPlatform.now;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.connectors.wechat.WechatSignature;
import appealhub.demo.wechat.WechatPushes;
import appealhub.model.Appeal;
import appealhub.store.CaseStore;
import appealhub.store.RawItemStore;
import appealhub.support.Department;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What WeChat pushes to /api/wechat: verification, texts, locations and images, events, bad input
 * (answered success, never 4xx/5xx, and kept with the reason), replays, and the phone number asked
 * for in the passive reply.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WechatInboundTest {
    WechatPlatform wechat;
    TestHub hub;
    Department department;
    CaseStore cases;
    RawItemStore raws;

    @BeforeAll
    void start(@TempDir Path data) {
        wechat = new WechatPlatform();
        hub = new TestHub(data, "http://127.0.0.1:" + TestHub.freePort(),
                Map.of("hub.channels.wechat.base-url", wechat.baseUrl())).start();
        department = new Department(hub.brokerUrl());
        cases = hub.bean(CaseStore.class);
        raws = hub.bean(RawItemStore.class);
    }

    @AfterAll
    void stop() {
        department.close();
        hub.close();
        wechat.close();
    }

    // ------------------------------------------------------------------ verification

    @Test
    void serverVerificationEchoesEchostrOnlyWithTheRightSignature() {
        String ts = Long.toString(now());
        String good = "signature=" + WechatSignature.sign(WechatPlatform.TOKEN, ts, "n0nce") + "&timestamp=" + ts
                + "&nonce=n0nce&echostr=7093482711350985541";
        var ok = wechat.verify(hub.url(""), good);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.contentType()).startsWith("text/plain");
        assertThat(ok.body()).isEqualTo("7093482711350985541");

        String wrongToken = "signature=" + WechatSignature.sign("not-the-token", ts, "n0nce") + "&timestamp=" + ts
                + "&nonce=n0nce&echostr=7093482711350985541";
        var bad = wechat.verify(hub.url(""), wrongToken);
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.body()).doesNotContain("7093482711350985541");
        assertThat(wechat.verify(hub.url(""), "echostr=123").status()).as("no signature at all").isEqualTo(401);
    }

    // ------------------------------------------------------------------ text → appeal → task

    @Test
    void aTextBecomesAnAppealAnsweredByThePassiveReplyAndATask() {
        String openid = "oHappy-path-01";
        String msgId = nextMsgId();
        var answer = wechat.push(hub.url(""), WechatPushes.text(ACCOUNT, openid, now(),
                "冀州镇滏阳花园小区南门外的路灯坏了半个多月，晚上出行不安全。", msgId), openid);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).contains("xml");
        String appealId = answer.appealId();
        assertThat(appealId).startsWith("AP");
        assertThat(answer.body()).contains("<ToUserName><![CDATA[" + openid + "]]></ToUserName>")
                .contains("<FromUserName><![CDATA[" + ACCOUNT + "]]></FromUserName>")
                .contains("<MsgType><![CDATA[text]]></MsgType>")
                .contains("<Content><![CDATA[您的诉求已受理，编号 " + appealId + "。如需工作人员电话联系您，请直接回复您的手机号码。]]></Content>")
                .containsPattern("<CreateTime>\\d{10}</CreateTime>");

        JsonNode task = taskFor("dept.D16.tasks", appealId);
        assertThat(task.path("appeal").path("content").asText()).contains("路灯坏了半个多月");
        assertThat(task.path("townshipCode").asText()).isEqualTo("T01");
        assertThat(cases.appealIdBySource("wechat", msgId)).contains(appealId);
        assertThat(raws.bySource("wechat", msgId)).extracting(RawItemStore.RawItem::status).containsExactly("ACCEPTED");
    }

    @Test
    void wechatRetriesOfTheSameMsgIdAreOneAppealWithTheSameReply() {
        String openid = "oRetry-02";
        String msgId = nextMsgId();
        String xml = WechatPushes.text(ACCOUNT, openid, now(), "官道李镇霍家庄村集中供暖暖气不热，室内只有十二度。", msgId);
        Set<String> ids = new HashSet<>();
        Set<String> contents = new HashSet<>();
        for (int i = 0; i < 4; i++) { // the first push and WeChat's three retries
            var answer = wechat.push(hub.url(""), xml, openid);
            assertThat(answer.status()).isEqualTo(200);
            ids.add(answer.appealId());
            contents.add(answer.body().replaceAll("<CreateTime>\\d+</CreateTime>", ""));
        }
        assertThat(ids).hasSize(1).doesNotContainNull();
        assertThat(contents).as("the same passive reply").hasSize(1);
        String appealId = ids.iterator().next();
        taskFor("dept.D44.tasks", appealId);
        assertThat(department.receive("dept.D44.tasks", 1500)).as("no second task").isNull();
        assertThat(raws.bySource("wechat", msgId)).extracting(RawItemStore.RawItem::status)
                .containsExactly("ACCEPTED", "DUPLICATE", "DUPLICATE", "DUPLICATE");
    }

    // ------------------------------------------------------------------ location and image

    @Test
    void aLocationAndAnImageAfterTheTextAreAttachedToItsAppeal() {
        String openid = "oAfter-03";
        long t = now();
        String appealId = wechat.push(hub.url(""), WechatPushes.text(ACCOUNT, openid, t,
                "西王镇西王村村口有人占道经营摆摊，孩子上学都过不去。", nextMsgId()), openid).appealId();
        assertThat(appealId).isNotNull();

        String locationId = nextMsgId();
        String location = WechatPushes.location(ACCOUNT, openid, t + 60, 37.498712, 115.641233,
                "河北省衡水市冀州区西王镇西王村", locationId);
        var first = wechat.push(hub.url(""), location, openid);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("success");
        assertThat(wechat.push(hub.url(""), location, openid).body()).as("retried location").isEqualTo("success");
        var image = wechat.push(hub.url(""), WechatPushes.image(ACCOUNT, openid, t + 120,
                "http://mmbiz.qpic.cn/mmbiz_jpg/after03/0", "MEDIA_after03", nextMsgId()), openid);
        assertThat(image.body()).isEqualTo("success");

        Appeal appeal = cases.appeal(appealId);
        assertThat(appeal.location()).isNotNull();
        assertThat(appeal.location().lat()).isEqualTo(37.498712);
        assertThat(appeal.location().lon()).isEqualTo(115.641233);
        assertThat(appeal.location().address()).isEqualTo("河北省衡水市冀州区西王镇西王村");
        assertThat(appeal.attachments()).extracting(Appeal.Attachment::url).containsExactly("http://mmbiz.qpic.cn/mmbiz_jpg/after03/0");
        List<CaseStore.CaseEvent> attached = cases.events(cases.caseIdOfAppeal(appealId)).stream()
                .filter(e -> e.type().equals("attached")).toList();
        assertThat(attached).as("location once (the retry recognised), image once").hasSize(2);
        assertThat(attached.get(0).detail()).contains(locationId).contains("location");
        assertThat(attached.get(1).detail()).contains("image").contains("after03");
        assertThat(raws.bySource("wechat", locationId)).extracting(RawItemStore.RawItem::status)
                .containsExactly("ACCEPTED", "DUPLICATE");
    }

    @Test
    void aLocationAndAnImageSentBeforeTheTextAreHeldAndAttachedWhenItComes() {
        String openid = "oBefore-04";
        long t = now();
        assertThat(wechat.push(hub.url(""), WechatPushes.location(ACCOUNT, openid, t - 300, 37.623511, 115.446822,
                "河北省衡水市冀州区码头李镇码头李村", nextMsgId()), openid).body()).isEqualTo("success");
        assertThat(wechat.push(hub.url(""), WechatPushes.image(ACCOUNT, openid, t - 240,
                "http://mmbiz.qpic.cn/mmbiz_jpg/before04/0", "MEDIA_before04", nextMsgId()), openid).body()).isEqualTo("success");

        var answer = wechat.push(hub.url(""), WechatPushes.text(ACCOUNT, openid, t,
                "附近的厂子夜里偷偷排污，河沟里的水都黑了，还有很大的异味。", nextMsgId()), openid);
        String appealId = answer.appealId();
        assertThat(appealId).isNotNull();
        Appeal appeal = cases.appeal(appealId);
        assertThat(appeal.location().address()).isEqualTo("河北省衡水市冀州区码头李镇码头李村");
        assertThat(appeal.location().lat()).isEqualTo(37.623511);
        assertThat(appeal.attachments()).extracting(Appeal.Attachment::url).containsExactly("http://mmbiz.qpic.cn/mmbiz_jpg/before04/0");
        assertThat(cases.events(cases.caseIdOfAppeal(appealId))).extracting(CaseStore.CaseEvent::type)
                .containsSubsequence("received", "attached", "attached");
        // Held from the start, the label's township reaches the department's task.
        JsonNode task = taskFor("dept.D14.tasks", appealId);
        assertThat(task.path("townshipCode").asText()).isEqualTo("T05");
    }

    @Test
    void aLocationMoreThanTenMinutesFromTheTextIsNotAttached() {
        // Text first, location 15 minutes later.
        String late = "oLate-05";
        long t = now();
        String appealLate = wechat.push(hub.url(""), WechatPushes.text(ACCOUNT, late, t - 900,
                "周村镇周村这几天频繁停电，冰箱里的东西都坏了。", nextMsgId()), late).appealId();
        assertThat(wechat.push(hub.url(""), WechatPushes.location(ACCOUNT, late, t, 37.5114, 115.4931,
                "河北省衡水市冀州区周村镇周村", nextMsgId()), late).body()).isEqualTo("success");
        assertThat(cases.appeal(appealLate).location()).isNull();

        // Location first, the text 20 minutes later.
        String early = "oEarly-06";
        assertThat(wechat.push(hub.url(""), WechatPushes.location(ACCOUNT, early, t - 1200, 37.5231, 115.7012,
                "河北省衡水市冀州区北漳淮乡河东村", nextMsgId()), early).body()).isEqualTo("success");
        String appealEarly = wechat.push(hub.url(""), WechatPushes.text(ACCOUNT, early, t,
                "村道坑坑洼洼，下雨天积水很深，希望修一修。", nextMsgId()), early).appealId();
        assertThat(cases.appeal(appealEarly).location()).isNull();

        for (String appealId : List.of(appealLate, appealEarly)) {
            assertThat(cases.events(cases.caseIdOfAppeal(appealId))).extracting(CaseStore.CaseEvent::type)
                    .doesNotContain("attached");
        }
    }

    // ------------------------------------------------------------------ not appeals, bad input

    @Test
    void eventsAreKeptAndAnsweredButAreNotAppeals() {
        String openid = "oEvent-07";
        var subscribe = wechat.push(hub.url(""), WechatPushes.event(ACCOUNT, openid, now(), "subscribe", null), openid);
        assertThat(subscribe.status()).isEqualTo(200);
        assertThat(subscribe.body()).isEqualTo("success");
        var click = wechat.push(hub.url(""), WechatPushes.event(ACCOUNT, openid, now(), "CLICK", "MENU_GUIDE"), openid);
        assertThat(click.body()).isEqualTo("success");

        List<RawItemStore.RawItem> kept = raws.byStatus("ACCEPTED", 200).stream()
                .filter(r -> new String(r.body(), StandardCharsets.UTF_8).contains(openid)).toList();
        assertThat(kept).hasSize(2);
        assertThat(kept).extracting(RawItemStore.RawItem::error)
                .containsExactlyInAnyOrder("not an appeal: event subscribe", "not an appeal: event CLICK");
        assertThat(kept).extracting(RawItemStore.RawItem::appealId).containsOnlyNulls();
    }

    @Test
    void aBadSignatureIsAnsweredSuccessAndOnlyAPrefixIsKeptRejected() {
        String msgId = nextMsgId();
        String xml = WechatPushes.text(ACCOUNT, "oBadSig-08", now(), "伪造的消息", msgId);
        var answer = wechat.push(hub.url(""), xml.getBytes(StandardCharsets.UTF_8), "oBadSig-08", "not-the-token");
        assertThat(answer.status()).as("never 4xx: WeChat would tell the follower the account is out of service").isEqualTo(200);
        assertThat(answer.body()).isEqualTo("success");
        assertThat(raws.byStatus("REJECTED", 50)).filteredOn(r -> new String(r.body(), StandardCharsets.UTF_8).contains(msgId))
                .singleElement().satisfies(r -> assertThat(r.error()).startsWith("bad signature"));
        assertThat(cases.appealIdBySource("wechat", msgId)).isEmpty();

        // A large unsigned body: only its first 1024 bytes are kept.
        String big = WechatPushes.text(ACCOUNT, "oBadSig-08", now(), "伪造".repeat(3000), nextMsgId());
        assertThat(wechat.push(hub.url(""), big.getBytes(StandardCharsets.UTF_8), "oBadSig-08", "not-the-token").body())
                .isEqualTo("success");
        assertThat(raws.byStatus("REJECTED", 50)).filteredOn(r -> r.error().contains("first 1024 kept"))
                .singleElement().satisfies(r -> assertThat(r.body()).hasSize(1024));
        // The verification GET is still refused: there the spec says 401 (serverVerification... above).
    }

    // ------------------------------------------------------------------ replay (issue 14, item 11)

    @Test
    void aTimestampOutsideTheWindowIsNotTaken() {
        for (long offset : new long[] {-301, 301, -86_400}) {
            String msgId = nextMsgId();
            var answer = wechat.push(hub.url(""), WechatPushes.text(ACCOUNT, "oStale-12", now(), "过期的推送" + offset, msgId),
                    now() + offset, "stale" + offset, "oStale-12");
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("success");
            assertThat(cases.appealIdBySource("wechat", msgId)).as("offset " + offset).isEmpty();
        }
        assertThat(raws.byStatus("REJECTED", 50)).filteredOn(r -> new String(r.body(), StandardCharsets.UTF_8).contains("oStale-12"))
                .hasSize(3).allSatisfy(r -> assertThat(r.error()).contains("away from the hub's clock"));
        // Within the window (a little clock skew) it is taken.
        String msgId = nextMsgId();
        var ok = wechat.push(hub.url(""), WechatPushes.text(ACCOUNT, "oStale-12", now(), "冀州镇东关村路灯不亮。", msgId),
                now() - 120, "skewed-1", "oStale-12");
        assertThat(ok.appealId()).isNotNull();
    }

    @Test
    void aCapturedSignedQueryWithANewBodyIsARefusedReplay() {
        long ts = now();
        String nonce = "nonce-" + nextMsgId();
        String first = nextMsgId();
        var original = wechat.push(hub.url(""), WechatPushes.text(ACCOUNT, "oReplay-13", ts, "冀州镇西关村下水道堵塞。", first),
                ts, nonce, "oReplay-13");
        assertThat(original.appealId()).isNotNull();

        // The same signed query, seconds later, with another body (the body is not signed): not taken.
        String forged = nextMsgId();
        var replay = wechat.push(hub.url(""), WechatPushes.text(ACCOUNT, "oReplay-13", ts, "伪造的第二条诉求", forged),
                ts, nonce, "oReplay-13");
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.body()).isEqualTo("success");
        assertThat(cases.appealIdBySource("wechat", forged)).isEmpty();
        assertThat(raws.byStatus("REJECTED", 50)).filteredOn(r -> new String(r.body(), StandardCharsets.UTF_8).contains(forged))
                .singleElement().satisfies(r -> assertThat(r.error()).contains("nonce already used"));
        // The nonce is in the replay guard every channel shares (scope wechat), and only the first push is marked
        // as checked (what the recovery may take in).
        var jdbc = hub.bean(org.springframework.jdbc.core.JdbcTemplate.class);
        assertThat(jdbc.queryForObject("select count(*) from replay_nonce where scope = 'wechat' and nonce_hash = ?",
                Integer.class, sha256Hex(nonce))).isEqualTo(1);
        String marked = "select count(*) from wechat_checked_push where raw_item_id = ?";
        assertThat(jdbc.queryForObject(marked, Integer.class, raws.bySource("wechat", first).get(0).id())).isEqualTo(1);
        long refused = raws.byStatus("REJECTED", 50).stream()
                .filter(r -> new String(r.body(), StandardCharsets.UTF_8).contains(forged)).findFirst().orElseThrow().id();
        assertThat(jdbc.queryForObject(marked, Integer.class, refused)).isZero();

        // The same body again under the used nonce (a re-sent capture) is refused just the same.
        var again = wechat.push(hub.url(""), WechatPushes.text(ACCOUNT, "oReplay-13", ts, "冀州镇西关村下水道堵塞。", first),
                ts, nonce, "oReplay-13");
        assertThat(again.body()).isEqualTo("success");
        assertThat(raws.byStatus("REJECTED", 50)).filteredOn(r -> new String(r.body(), StandardCharsets.UTF_8).contains(first))
                .singleElement().satisfies(r -> assertThat(r.error()).contains("nonce already used").contains("same body"));
    }

    @Test
    void aBodyForAnotherFollowerThanTheQuerysOpenidIsNotTaken() {
        String msgId = nextMsgId();
        var answer = wechat.push(hub.url(""), WechatPushes.text(ACCOUNT, "oVictim-14", now(), "冒名的诉求", msgId),
                now(), "spoof-" + msgId, "oAttacker-14");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("success");
        assertThat(cases.appealIdBySource("wechat", msgId)).isEmpty();
        assertThat(raws.byStatus("REJECTED", 50)).filteredOn(r -> new String(r.body(), StandardCharsets.UTF_8).contains(msgId))
                .singleElement().satisfies(r -> assertThat(r.error()).contains("FromUserName does not match"));
        String noOpenid = nextMsgId();
        assertThat(wechat.push(hub.url(""), WechatPushes.text(ACCOUNT, "oVictim-14", now(), "没有openid的推送", noOpenid),
                now(), "no-openid-" + noOpenid, null).body()).isEqualTo("success");
        assertThat(cases.appealIdBySource("wechat", noOpenid)).isEmpty();
    }

    @Test
    void aViewerSeesTheTitleWithItsNumbersMasked() throws Exception {
        String openid = "oTitle-16";
        String appealId = wechat.push(hub.url(""), WechatPushes.text(ACCOUNT, openid, now(),
                "请打0318-8621234或139 1234 5678，冀州镇北关村下水道堵了", nextMsgId()), openid).appealId();
        String caseId = cases.caseIdOfAppeal(appealId);
        var page = java.net.http.HttpClient.newHttpClient().send(hub.viewerRequest("/ops/cases/" + caseId).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        JsonNode view = new com.fasterxml.jackson.databind.ObjectMapper().readTree(page.body());
        assertThat(view.path("appeals").get(0).path("title").asText()).startsWith("请打0318-****34或139****5678");
        assertThat(page.body()).doesNotContain("8621234", "1234 5678", "13912345678");
    }

    // ------------------------------------------------------------------ a phone number for the call-back (45015)

    @Test
    void theReplyAsksForAPhoneNumberAndAPhoneOnlyTextIsThatPhone() {
        String openid = "oContact-15";
        var text = wechat.push(hub.url(""), WechatPushes.text(ACCOUNT, openid, now(), "冀州镇南关村垃圾三天没人清运。", nextMsgId()), openid);
        String appealId = text.appealId();
        assertThat(text.body()).contains("您的诉求已受理，编号 " + appealId + "。如需工作人员电话联系您，请直接回复您的手机号码。");

        String contactId = nextMsgId();
        String contactXml = WechatPushes.text(ACCOUNT, openid, now(), "我的手机：139 1234 5678", contactId);
        var contact = wechat.push(hub.url(""), contactXml, openid);
        assertThat(contact.status()).isEqualTo(200);
        assertThat(contact.body()).contains("已收到您的联系电话 139****5678").contains(appealId).doesNotContain("13912345678");
        assertThat(cases.appealIdBySource("wechat", contactId)).as("not an appeal of its own").isEmpty();
        Appeal appeal = cases.appeal(appealId);
        assertThat(appeal.citizen().phone()).isEqualTo("13912345678");
        assertThat(appeal.citizen().anonymous()).isFalse();
        assertThat(cases.events(cases.caseIdOfAppeal(appealId))).filteredOn(e -> e.type().equals("contact-added"))
                .singleElement().satisfies(e -> assertThat(e.detail()).contains("139****5678").doesNotContain("13912345678"));
        // WeChat re-sends it: the same reply, nothing else.
        assertThat(wechat.push(hub.url(""), contactXml, openid).body()).contains("已收到您的联系电话 139****5678");
        assertThat(raws.bySource("wechat", contactId)).extracting(RawItemStore.RawItem::status).containsExactly("ACCEPTED", "DUPLICATE");

        // The follower's next text is an appeal of its own, and its reply asks again (each appeal has its own contact).
        var again = wechat.push(hub.url(""), WechatPushes.text(ACCOUNT, openid, now(), "冀州镇南关村路灯也不亮。", nextMsgId()), openid);
        assertThat(again.appealId()).isNotNull().isNotEqualTo(appealId);
        assertThat(again.body()).contains("请直接回复您的手机号码");
    }

    @Test
    void anXxePayloadIsRefusedAndNoFileOrUrlIsRead(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "XXE-SECRET-4711");
        String msgId = nextMsgId();
        String fileEntity = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE xml [<!ENTITY xxe SYSTEM \""
                + secret.toUri() + "\">]>\n<xml><ToUserName><![CDATA[" + ACCOUNT + "]]></ToUserName>"
                + "<FromUserName><![CDATA[oXxe-09]]></FromUserName><CreateTime>" + now() + "</CreateTime>"
                + "<MsgType><![CDATA[text]]></MsgType><Content>&xxe;</Content><MsgId>" + msgId + "</MsgId></xml>";
        var answer = wechat.push(hub.url(""), fileEntity, "oXxe-09");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("success");

        // An external DTD and a parameter entity pointing at a URL the test watches: never fetched.
        String externalDtd = "<?xml version=\"1.0\"?><!DOCTYPE xml SYSTEM \"" + wechat.baseUrl() + "/evil.dtd\">"
                + "<xml><FromUserName>oXxe-09</FromUserName><MsgType>text</MsgType><Content>x</Content><MsgId>" + nextMsgId() + "</MsgId></xml>";
        assertThat(wechat.push(hub.url(""), externalDtd, "oXxe-09").body()).isEqualTo("success");
        String parameterEntity = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY % remote SYSTEM \"" + wechat.baseUrl()
                + "/evil-param.dtd\"> %remote;]><xml><FromUserName>oXxe-09</FromUserName><MsgType>text</MsgType>"
                + "<Content>x</Content><MsgId>" + nextMsgId() + "</MsgId></xml>";
        assertThat(wechat.push(hub.url(""), parameterEntity, "oXxe-09").body()).isEqualTo("success");
        // An entity used without any DOCTYPE is not resolved either.
        String undeclared = "<xml><FromUserName>oXxe-09</FromUserName><MsgType>text</MsgType><Content>&xxe;</Content><MsgId>"
                + nextMsgId() + "</MsgId></xml>";
        assertThat(wechat.push(hub.url(""), undeclared, "oXxe-09").body()).isEqualTo("success");

        wechat.wireMock().verify(0, anyRequestedFor(anyUrl()).withUrl("/evil.dtd"));
        wechat.wireMock().verify(0, anyRequestedFor(anyUrl()).withUrl("/evil-param.dtd"));
        assertThat(cases.appealIdBySource("wechat", msgId)).isEmpty();
        List<RawItemStore.RawItem> invalid = raws.byStatus("INVALID", 50).stream()
                .filter(r -> new String(r.body(), StandardCharsets.UTF_8).contains("oXxe-09")).toList();
        assertThat(invalid).hasSize(4);
        assertThat(invalid).extracting(RawItemStore.RawItem::error).contains("DOCTYPE is not allowed");
        assertThat(invalid).allSatisfy(r -> assertThat(new String(r.body(), StandardCharsets.UTF_8)).doesNotContain("XXE-SECRET-4711"));
    }

    @Test
    void anOversizedBodyIsNotTakenAndKeptTruncated() {
        String msgId = nextMsgId();
        String xml = WechatPushes.text(ACCOUNT, "oBig-10", now(), "很长的内容".repeat(6000), msgId); // ~90 KB
        assertThat(xml.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(65536);
        var answer = wechat.push(hub.url(""), xml, "oBig-10");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("success");
        assertThat(cases.appealIdBySource("wechat", msgId)).isEmpty();
        RawItemStore.RawItem kept = raws.byStatus("INVALID", 50).stream()
                .filter(r -> new String(r.body(), StandardCharsets.UTF_8).contains("oBig-10")).findFirst().orElseThrow();
        assertThat(kept.body()).hasSize(65536);
        assertThat(kept.error()).contains("larger than 65536 bytes");
    }

    @Test
    void malformedMessagesAreAnsweredSuccessAndKeptWithTheReason() {
        var notXml = wechat.push(hub.url(""), "this is not xml", "oBad-11");
        assertThat(notXml.status()).isEqualTo(200);
        assertThat(notXml.body()).isEqualTo("success");
        var noContent = wechat.push(hub.url(""), "<xml><FromUserName>oBad-11</FromUserName><MsgType>text</MsgType>"
                + "<MsgId>" + nextMsgId() + "</MsgId></xml>", "oBad-11");
        assertThat(noContent.status()).isEqualTo(200);
        assertThat(noContent.body()).isEqualTo("success");
        var badLocation = wechat.push(hub.url(""), "<xml><FromUserName>oBad-11</FromUserName><MsgType>location</MsgType>"
                + "<Location_X>north</Location_X><Location_Y>115.5</Location_Y><MsgId>" + nextMsgId() + "</MsgId></xml>", "oBad-11");
        assertThat(badLocation.status()).isEqualTo(200);
        assertThat(badLocation.body()).isEqualTo("success");
        var unknownType = wechat.push(hub.url(""), "<xml><FromUserName>oBad-11</FromUserName><MsgType>shortvideo</MsgType>"
                + "<MsgId>" + nextMsgId() + "</MsgId></xml>", "oBad-11");
        assertThat(unknownType.body()).isEqualTo("success");
        assertThat(raws.byStatus("INVALID", 50)).extracting(RawItemStore.RawItem::error)
                .contains("body is not well-formed XML", "Content is required");
        assertThat(raws.byStatus("INVALID", 50)).extracting(RawItemStore.RawItem::error)
                .anyMatch(e -> e.startsWith("Location_X must be a number"));
        assertThat(raws.byStatus("ACCEPTED", 50)).extracting(RawItemStore.RawItem::error).contains("not an appeal: shortvideo");
    }

    private JsonNode taskFor(String queue, String appealId) {
        JsonNode task;
        do {
            task = department.receive(queue, 20_000);
            assertThat(task).as("task for " + appealId + " on " + queue).isNotNull();
        } while (!appealId.equals(task.path("appeal").path("appealId").asText()));
        return task;
    }

    private static String sha256Hex(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
