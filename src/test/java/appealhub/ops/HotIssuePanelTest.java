package appealhub.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.store.CaseStore;
import appealhub.support.HeadlessChromium;
import appealhub.support.Platform12345;
import appealhub.support.TestHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard's hot-issue panel (热点诉求) in headless Chromium: hot issues listed hottest first with
 * their heat index (appealhub.merge.HeatIndex, computed by the hub, shown as it comes), after real
 * near-duplicate reports from several citizens were merged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HotIssuePanelTest {
    TestHub hub;
    Platform12345 platform;
    ChromeDriver browser;

    @BeforeAll
    void start(@TempDir Path data) throws Exception {
        platform = new Platform12345();
        Map<String, Object> overrides = new LinkedHashMap<>();
        overrides.put("hub.merge.enabled", true);
        overrides.put("hub.merge.hot-citizens", 3);
        hub = new TestHub(data, platform.baseUrl(), overrides).start();
        browser = HeadlessChromium.start(1600, 1200, Files.createDirectories(data.resolveSibling(data.getFileName() + "-dl")));
    }

    @AfterAll
    void stop() {
        if (browser != null) browser.quit();
        if (hub != null) hub.close();
        if (platform != null) platform.close();
    }

    @Test
    void hotIssuesAreListedHottestFirstWithTheirHeatIndex() throws Exception {
        String light = "信都大街与人民路交叉口的红绿灯坏了两天，路口车辆乱成一团，早晚高峰堵得厉害，也很容易出事故，请尽快修复。";
        String lightCase = report("GD20250409152", 3, "信都大街人民路口红绿灯坏了", light, "冀州区冀州镇信都大街与人民路交叉口");
        String water = "滏阳花园小区三号楼从前天开始停水，物业说是总管破裂，到现在还没有来水，老人孩子生活很不方便，请尽快抢修。";
        String waterCase = report("GD20250409153", 4, "滏阳花园小区停水两天", water, "冀州区冀州镇滏阳花园小区");
        // 4 citizens are hotter than 3 reported just as recently: 4.0 vs 3.0 (no votes, minutes old)
        HeadlessChromium.submitLogin(loginPage(), TestHub.VIEWER, TestHub.VIEWER_PASSWORD);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("user-name")));
        browser.get(hub.url("/ops/dashboard.html"));
        wait.until(d -> d.findElements(By.cssSelector("#hot-table tbody tr[data-case]")).size() >= 2);
        List<WebElement> rows = browser.findElements(By.cssSelector("#hot-table tbody tr[data-case]"));
        assertThat(rows.get(0).getAttribute("data-case")).isEqualTo(waterCase);
        assertThat(rows.get(1).getAttribute("data-case")).isEqualTo(lightCase);
        assertThat(rows.get(0).findElement(By.cssSelector("td.heat")).getText()).isEqualTo("4.0");
        assertThat(rows.get(1).findElement(By.cssSelector("td.heat")).getText()).isEqualTo("3.0");
        assertThat(browser.findElement(By.cssSelector("#hot-table thead")).getText()).contains("热度");
        HeadlessChromium.screenshot(browser, "hot-issues");

        // The API ranks the same way, with the same heat.
        JsonNode api = new ObjectMapper().readTree(HttpClient.newHttpClient().send(hub.viewerRequest("/ops/hot-issues").build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(api.get(0).path("caseId").asText()).isEqualTo(waterCase);
        assertThat(api.get(0).path("heat").asDouble()).isEqualTo(4.0);
        assertThat(api.get(1).path("caseId").asText()).isEqualTo(lightCase);
        assertThat(api.get(1).path("heat").asDouble()).isEqualTo(3.0);
    }

    private ChromeDriver loginPage() {
        browser.get(hub.url("/login.html"));
        return browser;
    }

    /** The same problem reported by {@code citizens} different callers; the case they end up in. */
    private String report(String gdbhPrefix, int citizens, String title, String content, String address) {
        String first = null;
        for (int i = 0; i < citizens; i++) {
            Map<String, Object> order = Platform12345.order(gdbhPrefix + "00" + i, title, content, address);
            order.put("lxdh", "1380000" + gdbhPrefix.substring(gdbhPrefix.length() - 2) + "0" + i);
            String appealId = platform.push(hub.url(""), order).appealId();
            CaseStore cases = hub.bean(CaseStore.class);
            if (first == null) {
                first = appealId;
                String a = appealId;
                await().atMost(Duration.ofSeconds(20)).until(() -> cases.caseIdOfAppeal(a) != null
                        && "DISPATCHED".equals(cases.findCase(cases.caseIdOfAppeal(a)).status().name()));
            } else {
                String a = appealId, f = first;
                await().atMost(Duration.ofSeconds(20)).until(() -> cases.caseIdOfAppeal(f).equals(cases.caseIdOfAppeal(a)));
            }
        }
        String caseId = hub.bean(CaseStore.class).caseIdOfAppeal(first);
        assertThat(hub.bean(CaseStore.class).findCase(caseId).hot()).isTrue();
        return caseId;
    }
}
