package appealhub.ops;

import appealhub.support.Department;
import appealhub.support.HeadlessChromium;
import appealhub.support.Platform12345;
import appealhub.support.TestHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Not part of the test run (its name is not a test's): takes the README's picture of the domain
 * dashboard from a hub running as the default run does, with every channel's mock and demo
 * feeder (faster than by default) and the simulated departments, plus a few 12345 orders that
 * repeat each other (a hot issue), an urgent one and a refused department reply:
 * <pre>./mvnw -o -Dtest=DashboardScreenshot -Dsurefire.failIfNoSpecifiedTests=false -Dhub.docs.dashboard=$PWD/docs/dashboard.png verify</pre>
 */
@EnabledIfSystemProperty(named = "hub.docs.dashboard", matches = ".+")
class DashboardScreenshot {

    @Test
    void dashboardOfADefaultRun(@TempDir Path data) throws Exception {
        int mockPort = TestHub.freePort();
        Map<String, Object> demo = new java.util.LinkedHashMap<>();
        demo.put("hub.demo.mocks", true);
        demo.put("hub.demo.mock-port", mockPort);
        demo.put("hub.demo.departments", true);
        demo.put("hub.merge.enabled", true); // as in the default run (TestHub turns it off)
        demo.put("hub.channels.hotline12345.pull.enabled", true);
        demo.put("hub.channels.hotline12345.pull.interval-ms", 8000);
        demo.put("hub.channels.hotline12345.pull.initial-delay-ms", 1000);
        demo.put("hub.channels.leaderboard.pull.enabled", true);
        demo.put("hub.channels.leaderboard.pull.interval-ms", 10000);
        demo.put("hub.channels.leaderboard.pull.initial-delay-ms", 2000);
        demo.put("hub.channels.miniprogram.demo-feed.initial-delay-ms", 2000);
        demo.put("hub.channels.miniprogram.demo-feed.min-interval-ms", 4000);
        demo.put("hub.channels.miniprogram.demo-feed.max-interval-ms", 8000);
        demo.put("hub.channels.wechat.demo.initial-delay-ms", 2000);
        demo.put("hub.channels.wechat.demo.interval-ms", 6000);
        demo.put("hub.channels.supervision.demo.initial-delay-ms", 3000);
        demo.put("hub.channels.supervision.demo.interval-ms", 20000);
        demo.put("hub.channels.supervision.poll-delay-ms", 2000);
        demo.put("hub.channels.grid.demo.initial-delay-ms", 2000);
        demo.put("hub.channels.grid.demo.interval-ms", 5000);
        Platform12345 client = new Platform12345();
        try (TestHub hub = new TestHub(data, "http://127.0.0.1:" + mockPort, demo).start();
             Department department = new Department(hub.brokerUrl())) {
            String[] phones = {"13700001111", "13700002222", "13700003333", "13700004444"};
            for (int i = 0; i < phones.length; i++) {
                var order = Platform12345.order("GDSHOT" + i, "滏阳花园小区门口积水", "滏阳花园小区南门口下雨后大面积积水，"
                        + "一直排不出去，老人孩子出门很不方便，希望尽快疏通排水管道。", "冀州区冀州镇滏阳花园");
                order.put("lxdh", phones[i]);
                client.push(hub.url(""), order);
                Thread.sleep(1500);
            }
            var urgent = Platform12345.order("GDSHOTURGENT", "燃气泄漏", "周村镇张庄村一户人家院里有很浓的燃气味，疑似燃气管道泄漏，请马上派人处理。",
                    "冀州区周村镇张庄村");
            urgent.put("sfjj", "1");
            client.push(hub.url(""), urgent);
            department.sendAs("D16", "hub.task.replies", "{\"replyId\":\"R-SHOT-1\",\"taskId\":\"TK-UNKNOWN\",\"orgCode\":\"D16\","
                    + "\"type\":\"resolve\",\"text\":\"已处理\"}");

            ChromeDriver browser = HeadlessChromium.start(1600, 2250, null);
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
                browser.get(hub.url("/login.html"));
                HeadlessChromium.submitLogin(browser, TestHub.OPERATOR, TestHub.OPERATOR_PASSWORD);
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("user-name")));
                Thread.sleep(Long.getLong("hub.docs.wait-ms", 120_000)); // let the channels and departments work
                byte[] png = HeadlessChromium.screenshot(browser, "dashboard-default-run");
                Files.write(Path.of(System.getProperty("hub.docs.dashboard")), png);
                // the route dashboard beside it, for a look (build dir only)
                browser.get(hub.url("/actuator/hawtio/camel/routes"));
                Thread.sleep(8000);
                HeadlessChromium.screenshot(browser, "hawtio-default-run");
            } finally {
                browser.quit();
            }
        } finally {
            client.close();
        }
    }
}
