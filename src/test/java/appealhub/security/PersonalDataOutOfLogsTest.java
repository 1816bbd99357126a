package appealhub.security;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.demo.wechat.WechatPushes;
import appealhub.support.Department;
import appealhub.support.Platform12345;
import appealhub.support.TestHub;
import appealhub.wechat.WechatPlatform;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 14, item 14: no citizen's phone or name in any log line or metric. A 12345 order and a
 * WeChat follower's texts carry a name and phone numbers (in their fields and in their text); the
 * order goes the whole way (task, accept, resolve, 办理中 and 办结 at 12345), the follower leaves a
 * phone for the call-back, operations search the case by phone; then every log event of the hub
 * (message, arguments, exceptions) and the Prometheus scrape are read for them.
 */
class PersonalDataOutOfLogsTest {
    static final String NAME = "欧阳建国";
    static final String PHONE = "13977776666";
    static final String TEXT_PHONE = "13566667777";
    static final String WECHAT_PHONE = "13788889999";
    static final String LANDLINE = "0318-8625555";

    @Test
    void aCitizensNameAndPhonesReachNoLogLineAndNoMetric(@TempDir Path data) throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        try (Platform12345 platform = new Platform12345();
             WechatPlatform wechat = new WechatPlatform();
             TestHub hub = new TestHub(data, platform.baseUrl(), Map.of("hub.channels.wechat.base-url", wechat.baseUrl())).start();
             Department department = new Department(hub.brokerUrl())) {
            logs.start();
            root.addAppender(logs);

            Map<String, Object> order = Platform12345.streetLight("GDPIILOG1");
            order.put("ldrxm", NAME);
            order.put("lxdh", PHONE);
            order.put("sqnr", "滏阳花园小区南门外的路灯坏了半个多月。我是" + NAME + "，请回电" + TEXT_PHONE + "或" + LANDLINE + "。");
            assertThat(platform.push(hub.url(""), order).appealId()).isNotNull();
            JsonNode task = department.receive("dept.D16.tasks", 30_000);
            assertThat(task).isNotNull();
            department.reply(task, "accept", null);
            department.reply(task, "resolve", "路灯已于今日修复。");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(platform.wireMock()
                    .findAll(postRequestedFor(urlPathEqualTo("/api/v1/workorders/GDPIILOG1/reply")))).hasSize(2));

            String openid = "oPiiLog-01";
            var text = wechat.push(hub.url(""), WechatPushes.text(WechatPlatform.ACCOUNT, openid, WechatPlatform.now(),
                    "冀州镇北关村路灯不亮，我叫" + NAME + "，电话" + TEXT_PHONE, WechatPlatform.nextMsgId()), openid);
            assertThat(text.appealId()).isNotNull();
            assertThat(wechat.push(hub.url(""), WechatPushes.text(WechatPlatform.ACCOUNT, openid, WechatPlatform.now(),
                    WECHAT_PHONE, WechatPlatform.nextMsgId()), openid).body()).contains("137****9999");

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> found = http.send(hub.viewerRequest("/ops/cases/search").header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"phone\":\"" + PHONE + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(found.statusCode()).isEqualTo(200);
            assertThat(found.body()).contains("139****6666");

            String metrics = http.send(hub.viewerRequest("/actuator/prometheus").GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
            assertThat(metrics).as("the scrape").contains("app_info").doesNotContain(PHONE).doesNotContain(TEXT_PHONE)
                    .doesNotContain(WECHAT_PHONE).doesNotContain("8625555").doesNotContain(NAME);

            List<ILoggingEvent> events = List.copyOf(logs.list);
            assertThat(events).as("the hub logged the flow").isNotEmpty();
            for (ILoggingEvent e : events) {
                StringBuilder all = new StringBuilder(e.getFormattedMessage());
                for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) all.append(' ').append(t.getMessage());
                all.append(' ').append(e.getMDCPropertyMap());
                assertThat(all.toString()).as(e.getLoggerName() + " at " + e.getLevel())
                        .doesNotContain(PHONE).doesNotContain(TEXT_PHONE).doesNotContain(WECHAT_PHONE)
                        .doesNotContain("8625555").doesNotContain(NAME);
            }
        } finally {
            root.detachAppender(logs);
        }
    }
}
