package appealhub.wechat;

import static appealhub.wechat.WechatPlatform.nextMsgId;
import static org.assertj.core.api.Assertions.assertThat;

import appealhub.store.RawItemStore;
import appealhub.support.TestHub;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** A WeChat message the store cannot hold is an invalid message (kept INVALID, answered success); never a 500 and WeChat's retries. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WechatPoisonTest {
    static final String REFUSED = "POISON-REFUSED";

    WechatPlatform wechat;
    TestHub hub;

    @BeforeAll
    void start(@TempDir Path data) {
        wechat = new WechatPlatform();
        hub = new TestHub(data, "http://127.0.0.1:" + TestHub.freePort(), Map.of(
                "hub.channels.wechat.base-url", wechat.baseUrl(),
                "hub.channels.leaderboard.enabled", false,
                "hub.channels.miniprogram.enabled", false,
                "hub.channels.grid.enabled", false)).start();
        hub.bean(JdbcTemplate.class).execute(
                "alter table appeal add constraint poison_test check (title is null or title not like '%" + REFUSED + "%')");
    }

    @AfterAll
    void stop() {
        if (hub != null) hub.close();
        if (wechat != null) wechat.close();
    }

    @Test
    void aTextTheStoreRefusesIsKeptInvalid() {
        String msgId = nextMsgId();
        var answer = wechat.push(hub.url(""), "<xml><FromUserName>oPoison-1</FromUserName><MsgType>text</MsgType>"
                + "<Content>" + REFUSED + " 供暖不达标</Content><CreateTime>" + WechatPlatform.now() + "</CreateTime>"
                + "<MsgId>" + msgId + "</MsgId></xml>", "oPoison-1");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("success");
        assertThat(hub.bean(RawItemStore.class).byStatus("INVALID", 1)).singleElement()
                .satisfies(r -> assertThat(r.error()).startsWith("cannot be stored: "));
    }

    @Test
    void aLocationLabelOverTheAddressColumnIsKeptInvalid() {
        var answer = wechat.push(hub.url(""), "<xml><FromUserName>oPoison-2</FromUserName><MsgType>location</MsgType>"
                + "<Location_X>37.55</Location_X><Location_Y>115.57</Location_Y><Label>" + "冀州区".repeat(100) + "</Label>"
                + "<MsgId>" + nextMsgId() + "</MsgId></xml>", "oPoison-2");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("success");
        assertThat(hub.bean(RawItemStore.class).byStatus("INVALID", 1)).singleElement()
                .satisfies(r -> assertThat(r.error()).isEqualTo("Label longer than 256 characters (300)"));
    }
}
