package appealhub.hotline12345;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.store.CaseStore;
import appealhub.store.RawItemStore;
import appealhub.support.Platform12345;
import appealhub.support.TestHub;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** Pull mode: token expiry and refresh, paging until empty, 签收 after storing, push and pull of one order. */
class Hotline12345PullTest {

    @Test
    void pullsAllPagesRefreshesAnExpiredTokenAndSignsWhatItStored(@TempDir Path data) throws Exception {
        try (Platform12345 platform = new Platform12345()) {
            var wm = platform.wireMock();
            // These stubs take priority 1, and being added last they win over mocks/ mappings of the same priority.
            // The first token handed out is already expired for the platform; the second one works.
            wm.stubFor(post(urlEqualTo("/api/v1/auth/token")).inScenario("token").whenScenarioStateIs(Scenario.STARTED)
                    .atPriority(1).willReturn(json(200, "{\"code\":0,\"msg\":\"ok\",\"data\":{\"token\":\"tok-old\",\"expiresIn\":7200}}"))
                    .willSetStateTo("renewed"));
            wm.stubFor(post(urlEqualTo("/api/v1/auth/token")).inScenario("token").whenScenarioStateIs("renewed")
                    .atPriority(1).willReturn(json(200, "{\"code\":0,\"msg\":\"ok\",\"data\":{\"token\":\"tok-new\",\"expiresIn\":7200}}")));
            wm.stubFor(get(urlPathEqualTo("/api/v1/workorders/pending")).withHeader("X-Auth-Token", equalTo("tok-old"))
                    .atPriority(1).willReturn(json(401, "{\"code\":40101,\"msg\":\"token expired\"}")));
            wm.stubFor(get(urlEqualTo("/api/v1/workorders/pending?page=1&size=50")).withHeader("X-Auth-Token", equalTo("tok-new"))
                    .atPriority(1).willReturn(json(200, page(1, List.of(order("GDPULL0001", "路灯"), order("GDPULL0002", "供暖"))))));
            wm.stubFor(get(urlEqualTo("/api/v1/workorders/pending?page=2&size=50")).withHeader("X-Auth-Token", equalTo("tok-new"))
                    .atPriority(1).willReturn(json(200, page(2, List.of(order("GDPULL0003", "停水"), malformed("GDPULL0004"))))));
            wm.stubFor(get(urlEqualTo("/api/v1/workorders/pending?page=3&size=50")).withHeader("X-Auth-Token", equalTo("tok-new"))
                    .atPriority(1).willReturn(json(200, page(3, List.of()))));
            wm.stubFor(post(com.github.tomakehurst.wiremock.client.WireMock.urlMatching("/api/v1/workorders/.+/sign"))
                    .withHeader("X-Auth-Token", equalTo("tok-new"))
                    .atPriority(1).willReturn(json(200, "{\"code\":0,\"msg\":\"ok\"}")));

            try (TestHub hub = new TestHub(data, platform.baseUrl(), Map.of(
                    "hub.channels.hotline12345.pull.enabled", true,
                    "hub.channels.hotline12345.pull.initial-delay-ms", 3000,
                    "hub.channels.hotline12345.pull.interval-ms", 2000)).start()) {
                // The same order also arrives by push before the first poll.
                var pushed = platform.push(hub.url(""), Platform12345.JSON.readValue(order("GDPULL0002", "供暖"), Map.class));
                assertThat(pushed.status()).isEqualTo(200);

                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    for (String gdbh : List.of("GDPULL0001", "GDPULL0002", "GDPULL0003")) {
                        wm.verify(postRequestedFor(urlEqualTo("/api/v1/workorders/" + gdbh + "/sign")));
                    }
                });
                CaseStore cases = hub.bean(CaseStore.class);
                assertThat(cases.appealIdBySource("hotline12345", "GDPULL0002")).contains(pushed.appealId());
                assertThat(cases.appealIdBySource("hotline12345", "GDPULL0001")).isPresent();
                assertThat(cases.appealIdBySource("hotline12345", "GDPULL0003")).isPresent();
                assertThat(hub.bean(JdbcTemplate.class).queryForObject("select count(*) from appeal", Integer.class)).isEqualTo(3);

                // The malformed order is kept once, reported, and never signed (the platform keeps it pending).
                wm.verify(0, postRequestedFor(urlEqualTo("/api/v1/workorders/GDPULL0004/sign")));
                List<RawItemStore.RawItem> bad = hub.bean(RawItemStore.class).bySource("hotline12345", "GDPULL0004");
                assertThat(bad).hasSize(1);
                assertThat(bad.get(0).status()).hasToString("INVALID");
                assertThat(bad.get(0).error()).isEqualTo("sqnr is required");

                // One expired token, one refresh; paging went to the empty page.
                wm.verify(1, getRequestedFor(urlPathEqualTo("/api/v1/workorders/pending")).withHeader("X-Auth-Token", equalTo("tok-old")));
                wm.verify(2, postRequestedFor(urlEqualTo("/api/v1/auth/token")));
                wm.verify(getRequestedFor(urlEqualTo("/api/v1/workorders/pending?page=3&size=50")));
            }
        }
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json;charset=UTF-8").withBody(body);
    }

    private static String order(String gdbh, String topic) throws Exception {
        return Platform12345.JSON.writeValueAsString(Platform12345.order(gdbh, topic + "问题", "反映" + topic + "问题，请尽快处理。",
                "冀州区周村镇张庄村"));
    }

    private static String malformed(String gdbh) throws Exception {
        Map<String, Object> o = new java.util.HashMap<>(Platform12345.order(gdbh, "x", "x", "冀州区"));
        o.remove("sqnr");
        return Platform12345.JSON.writeValueAsString(o);
    }

    private static String page(int page, List<String> records) {
        return "{\"code\":0,\"msg\":\"ok\",\"data\":{\"total\":" + records.size() + ",\"page\":" + page
                + ",\"size\":50,\"records\":[" + String.join(",", records) + "]}}";
    }
}
