package appealhub.hotline12345;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static org.assertj.core.api.Assertions.assertThat;

import appealhub.connectors.hotline12345.Hotline12345Puller;
import appealhub.connectors.hotline12345.Hotline12345Signature;
import appealhub.store.CaseStore;
import appealhub.store.RawItemStore;
import appealhub.support.Platform12345;
import appealhub.support.TestHub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Poison from 12345 never loops: a value too long for the store, or one the store refuses, is a
 * malformed order (HTTP 400 code 40001 for a push, INVALID and unsigned for the pull), kept as an
 * INVALID raw item with its reason; never an HTTP 500 and a re-send, never a pull that stops.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Hotline12345PoisonTest {
    /** A title the store refuses (a check constraint this test adds): an integrity error other than a duplicate. */
    static final String REFUSED = "POISON-REFUSED";

    Platform12345 platform;
    TestHub hub;
    RawItemStore raw;
    CaseStore cases;

    @BeforeAll
    void start(@TempDir Path data) {
        platform = new Platform12345();
        hub = new TestHub(data, platform.baseUrl(), Map.of(
                "hub.channels.leaderboard.enabled", false,
                "hub.channels.miniprogram.enabled", false,
                "hub.channels.wechat.enabled", false,
                "hub.channels.grid.enabled", false)).start();
        raw = hub.bean(RawItemStore.class);
        cases = hub.bean(CaseStore.class);
        hub.bean(JdbcTemplate.class).execute(
                "alter table appeal add constraint poison_test check (title is null or title not like '%" + REFUSED + "%')");
    }

    @AfterAll
    void stop() {
        if (hub != null) hub.close();
        if (platform != null) platform.close();
    }

    @Test
    void aPushedTitleOverItsColumnIsA40001NamingTheTitleAndKeptInvalid() {
        var answer = platform.push(hub.url(""), Platform12345.order("GDPOISON01", "长".repeat(600), "内容可以很长。".repeat(2000),
                "冀州区冀州镇"));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().path("code").asInt()).isEqualTo(40001);
        assertThat(answer.body().path("msg").asText()).isEqualTo("sqbt (title) longer than 512 characters (600)");
        assertThat(lastInvalid().error()).isEqualTo("sqbt (title) longer than 512 characters (600)");
        assertThat(cases.appealIdBySource("hotline12345", "GDPOISON01")).isEmpty();

        // The same order again (the platform re-sends): the same answer, no 500.
        var again = platform.push(hub.url(""), Platform12345.order("GDPOISON01", "长".repeat(600), "内容", "冀州区冀州镇"));
        assertThat(again.status()).isEqualTo(400);
    }

    @Test
    void aPushedAddressOverItsColumnIsA40001NamingTheAddress() {
        var answer = platform.push(hub.url(""), Platform12345.order("GDPOISON02", "路灯不亮", "路灯坏了。", "冀州区".repeat(100)));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().path("code").asInt()).isEqualTo(40001);
        assertThat(answer.body().path("msg").asText()).startsWith("sqdz (address) longer than 256 characters");
    }

    @Test
    void aPushedOrderTheStoreRefusesIsA40001NotA500() {
        var answer = platform.push(hub.url(""), Platform12345.order("GDPOISON03", "标题 " + REFUSED, "内容。", "冀州区冀州镇"));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().path("code").asInt()).isEqualTo(40001);
        assertThat(answer.body().path("msg").asText()).startsWith("cannot be stored: ").containsIgnoringCase("POISON_TEST");
        RawItemStore.RawItem kept = lastInvalid();
        assertThat(kept.error()).startsWith("cannot be stored: ").doesNotContain("insert into");
    }

    @Test
    void codesOutsideTheSpecsTablesAreMalformed() {
        Map<String, Object> order = new HashMap<>(Platform12345.streetLight("GDPOISON04"));
        order.put("sqlx", "07");
        assertThat(platform.push(hub.url(""), order).body().path("msg").asText()).isEqualTo("sqlx must be one of 01..06");
        order.put("sqlx", "03");
        order.put("sfjj", "2");
        assertThat(platform.push(hub.url(""), order).body().path("msg").asText()).isEqualTo("sfjj must be \"0\" or \"1\"");
        order.put("sfjj", "0");
        order.put("sfnm", "yes");
        var answer = platform.push(hub.url(""), order);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().path("msg").asText()).isEqualTo("sfnm must be \"0\" or \"1\"");
    }

    @Test
    void aContentTypeOverItsColumnIsStoredCutAndTheOrderGoesIn() throws Exception {
        byte[] body = Platform12345.bytes(Platform12345.streetLight("GDPOISON05"));
        String ts = Long.toString(Instant.now().getEpochSecond());
        String contentType = "application/json;charset=UTF-8;" + "x".repeat(300);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(hub.url("/api/hotline12345/workorders")))
                .header("Content-Type", contentType)
                .header("X-Timestamp", ts).header("X-Nonce", "n-poison-05")
                .header("X-Signature", Hotline12345Signature.sign(Platform12345.SECRET, ts, "n-poison-05", body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        RawItemStore.RawItem item = raw.bySource("hotline12345", "GDPOISON05").get(0);
        assertThat(item.status()).hasToString("ACCEPTED");
        assertThat(item.contentType()).hasSize(128).startsWith("application/json");
    }

    @Test
    void aPulledPageWithBadOrdersInTheMiddleHasTheOthersTakenAndSigned() throws Exception {
        var wm = platform.wireMock();
        wm.stubFor(post(urlEqualTo("/api/v1/auth/token")).atPriority(1).willReturn(json(
                "{\"code\":0,\"msg\":\"ok\",\"data\":{\"token\":\"tok-poison\",\"expiresIn\":7200}}")));
        String longGdbh = "GD" + "9".repeat(198);
        List<Object> records = new ArrayList<>();
        records.add(Platform12345.order("GDPULLP001", "路灯问题", "反映路灯问题，请尽快处理。", "冀州区周村镇张庄村"));
        records.add(Platform12345.order("GDPULLP002", "长".repeat(600), "标题太长的一条。", "冀州区周村镇张庄村"));
        records.add(Platform12345.order(longGdbh, "编号太长", "工单编号超过数据库列长的一条。", "冀州区周村镇张庄村"));
        records.add(Platform12345.order("GDPULLP003", "标题 " + REFUSED, "数据库拒收的一条。", "冀州区周村镇张庄村"));
        records.add(Platform12345.order("GDPULLP004", "供暖问题", "反映供暖问题，请尽快处理。", "冀州区周村镇张庄村"));
        wm.stubFor(get(urlEqualTo("/api/v1/workorders/pending?page=1&size=50")).atPriority(1).willReturn(json(
                "{\"code\":0,\"msg\":\"ok\",\"data\":{\"total\":5,\"page\":1,\"size\":50,\"records\":"
                        + Platform12345.JSON.writeValueAsString(records) + "}}")));
        wm.stubFor(get(urlEqualTo("/api/v1/workorders/pending?page=2&size=50")).atPriority(1).willReturn(json(
                "{\"code\":0,\"msg\":\"ok\",\"data\":{\"total\":0,\"page\":2,\"size\":50,\"records\":[]}}")));
        wm.stubFor(post(urlMatching("/api/v1/workorders/.+/sign")).atPriority(1).willReturn(json("{\"code\":0,\"msg\":\"ok\"}")));

        Hotline12345Puller.PollResult result = hub.bean(Hotline12345Puller.class).poll();

        assertThat(result).isEqualTo(new Hotline12345Puller.PollResult(5, 2, 3));
        wm.verify(postRequestedFor(urlEqualTo("/api/v1/workorders/GDPULLP001/sign")));
        wm.verify(postRequestedFor(urlEqualTo("/api/v1/workorders/GDPULLP004/sign")));
        wm.verify(0, postRequestedFor(urlEqualTo("/api/v1/workorders/GDPULLP002/sign")));
        wm.verify(0, postRequestedFor(urlEqualTo("/api/v1/workorders/GDPULLP003/sign")));
        wm.verify(0, postRequestedFor(urlEqualTo("/api/v1/workorders/" + longGdbh + "/sign")));
        assertThat(cases.appealIdBySource("hotline12345", "GDPULLP001")).isPresent();
        assertThat(cases.appealIdBySource("hotline12345", "GDPULLP004")).isPresent();
        assertThat(raw.bySource("hotline12345", "GDPULLP002")).singleElement().satisfies(r -> {
            assertThat(r.status()).hasToString("INVALID");
            assertThat(r.error()).isEqualTo("sqbt (title) longer than 512 characters (600)");
        });
        assertThat(raw.bySource("hotline12345", "GDPULLP003")).singleElement().satisfies(r -> {
            assertThat(r.status()).hasToString("INVALID");
            assertThat(r.error()).startsWith("cannot be stored: ");
        });
        assertThat(raw.bySource("hotline12345", longGdbh)).singleElement().satisfies(r -> {
            assertThat(r.status()).hasToString("INVALID");
            assertThat(r.error()).isEqualTo("gdbh has an invalid format");
        });

        // The bad orders stay pending on the platform and come again: kept once, still unsigned, nothing stuck.
        Hotline12345Puller.PollResult again = hub.bean(Hotline12345Puller.class).poll();
        assertThat(again.rejected()).isEqualTo(3);
        assertThat(raw.bySource("hotline12345", "GDPULLP002")).hasSize(1);
        assertThat(raw.bySource("hotline12345", longGdbh)).hasSize(1);
        wm.verify(0, postRequestedFor(urlEqualTo("/api/v1/workorders/GDPULLP002/sign")));
    }

    private RawItemStore.RawItem lastInvalid() {
        return raw.byStatus("INVALID", 1).get(0);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json;charset=UTF-8").withBody(body);
    }
}
