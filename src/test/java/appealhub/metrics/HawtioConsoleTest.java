package appealhub.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.support.HeadlessChromium;
import appealhub.support.Platform12345;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Camel console for operations: hawtio at /actuator/hawtio behind the hub's login, its
 * Jolokia reading Camel's route MBeans, and Camel's route and consumer checks in the health.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HawtioConsoleTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String DISPATCH_ROUTE = "org.apache.camel:context=appeal-hub,type=routes,name=\"dispatch\"";

    Platform12345 platform;
    TestHub hub;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    void start(@TempDir Path data) {
        platform = new Platform12345();
        hub = new TestHub(data, platform.baseUrl(), Map.of()).start();
        assertThat(platform.push(hub.url(""), Platform12345.streetLight("GD20250602000001")).status()).isEqualTo(200);
    }

    @AfterAll
    void stop() {
        if (hub != null) hub.close();
        if (platform != null) platform.close();
    }

    @Test
    void healthListsEveryCamelRouteAndConsumerUp() throws Exception {
        // Right after start a consumer may still be connecting (DOWN, 503): health is what it settles to.
        java.util.concurrent.atomic.AtomicReference<HttpResponse<String>> last = new java.util.concurrent.atomic.AtomicReference<>();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            last.set(http.send(HttpRequest.newBuilder(URI.create(hub.url("/actuator/health"))).build(),
                    HttpResponse.BodyHandlers.ofString()));
            return last.get().statusCode() == 200;
        });
        HttpResponse<String> r = last.get();
        JsonNode health = JSON.readTree(r.body());
        assertThat(health.path("status").asText()).isEqualTo("UP");
        JsonNode camel = health.path("components").path("camelHealth");
        assertThat(camel.path("status").asText()).isEqualTo("UP");
        JsonNode checks = camel.path("details");
        assertThat(checks.path("context").asText()).isEqualTo("UP");
        for (String id : List.of("dispatch", "task-replies", "feedback-outbox", "hotline12345-push")) {
            assertThat(checks.path("route:" + id).asText()).as("route " + id).isEqualTo("UP");
            assertThat(checks.path("consumer:" + id).asText()).as("consumer of " + id).isEqualTo("UP");
        }
        List<String> notUp = new ArrayList<>();
        checks.fields().forEachRemaining(f -> {
            boolean check = f.getKey().startsWith("route:") || f.getKey().startsWith("consumer:");
            if (check && f.getValue().isTextual() && !"UP".equals(f.getValue().asText())) notUp.add(f.getKey());
        });
        assertThat(notUp).as("checks not UP").isEmpty();
        assertThat(health.path("components").path("camelReadinessState").path("status").asText()).isEqualTo("UP");
    }

    @Test
    void hawtioAnswersAtItsPathBehindTheHubsLogin() throws Exception {
        HttpResponse<String> page = http.send(hub.viewerRequest("/actuator/hawtio/").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("<title>Hawtio</title>").contains("<base href=\"/actuator/hawtio/\">");

        HttpResponse<String> noSlash = http.send(hub.viewerRequest("/actuator/hawtio").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noSlash.statusCode()).isEqualTo(302);
        assertThat(noSlash.headers().firstValue("Location").orElse("")).endsWith("/actuator/hawtio/");

        // hawtio's own login is off (hawtio.authenticationEnabled=false): the hub's login is what keeps strangers out.
        HttpResponse<String> stranger = http.send(HttpRequest.newBuilder(URI.create(hub.url("/actuator/hawtio/jolokia/version")))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stranger.statusCode()).isEqualTo(401);
    }

    /** Jolokia can also stop routes and purge queues: the hub lets only operators use it (OpsSecurity). */
    @Test
    void hawtiosJolokiaReadsCamelRouteMBeans() throws Exception {
        HttpResponse<String> search = http.send(hub.opsRequest("/actuator/hawtio/jolokia/search/org.apache.camel:type=routes,*")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(search.statusCode()).isEqualTo(200);
        JsonNode found = JSON.readTree(search.body());
        assertThat(found.path("status").asInt()).isEqualTo(200);
        List<String> mbeans = new ArrayList<>();
        found.path("value").forEach(v -> mbeans.add(v.asText()));
        assertThat(mbeans).contains(DISPATCH_ROUTE,
                "org.apache.camel:context=appeal-hub,type=routes,name=\"feedback-outbox\"",
                "org.apache.camel:context=appeal-hub,type=routes,name=\"hotline12345-push\"");

        // hawtio itself POSTs its reads; the pushed order went through the dispatch route once.
        String read = JSON.writeValueAsString(Map.of("type", "read", "mbean", DISPATCH_ROUTE,
                "attribute", List.of("ExchangesTotal", "ExchangesInflight", "ExchangesFailed", "State")));
        HttpResponse<String> r = http.send(hub.opsRequest("/actuator/hawtio/jolokia/")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(read)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode value = JSON.readTree(r.body()).path("value");
        assertThat(value.path("State").asText()).isEqualTo("Started");
        assertThat(value.path("ExchangesTotal").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(value.path("ExchangesFailed").asLong()).isZero();
        assertThat(value.has("ExchangesInflight")).isTrue();
    }

    @Test
    void anOperatorSeesTheHubsRoutesInHawtio() {
        ChromeDriver browser = HeadlessChromium.start(1600, 1000, null);
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            browser.get(hub.url("/login.html"));
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(TestHub.OPERATOR);
            browser.findElement(By.id("password")).sendKeys(TestHub.OPERATOR_PASSWORD);
            browser.findElement(By.id("login-submit")).click();
            wait.until(ExpectedConditions.not(ExpectedConditions.urlContains("/login")));

            browser.get(hub.url("/actuator/hawtio/camel/routes"));
            wait.until(d -> d.getPageSource().contains("feedback-outbox") && d.getPageSource().contains("hotline12345-push"));
            HeadlessChromium.screenshot(browser, "hawtio-camel-routes");
            assertThat(browser.getPageSource()).contains("appeal-hub").contains("dispatch");
        } finally {
            HeadlessChromium.screenshot(browser, "hawtio-last");
            browser.quit();
        }
    }
}
