package appealhub.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.support.HeadlessChromium;
import appealhub.support.Platform12345;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import org.openqa.selenium.WebElement;
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
    static final String FEEDBACK_ROUTE = "org.apache.camel:context=appeal-hub,type=routes,name=\"feedback-hotline12345\"";

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
        // the details for logged-in users only (issue 14): here a viewer
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            last.set(http.send(hub.viewerRequest("/actuator/health").build(), HttpResponse.BodyHandlers.ofString()));
            return last.get().statusCode() == 200;
        });
        HttpResponse<String> r = last.get();
        JsonNode health = JSON.readTree(r.body());
        assertThat(health.path("status").asText()).isEqualTo("UP");
        JsonNode camel = health.path("components").path("camelHealth");
        assertThat(camel.path("status").asText()).isEqualTo("UP");
        JsonNode checks = camel.path("details");
        assertThat(checks.path("context").asText()).isEqualTo("UP");
        for (String id : List.of("dispatch", "task-replies", "feedback-hotline12345", "hotline12345-push")) {
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

    /** A stranger (a scraper, a load balancer) sees that the hub is UP, and nothing of its insides. */
    @Test
    void healthDetailsOnlyForLoggedInUsers() throws Exception {
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(hub.url("/actuator/health"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(200);
        JsonNode health = JSON.readTree(anonymous.body());
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(health.has("components")).as(anonymous.body()).isFalse();
        assertThat(anonymous.body()).doesNotContain("camel").doesNotContain("route").doesNotContain("db");

        JsonNode asViewer = okJson(send(hub.viewerRequest("/actuator/health")));
        assertThat(asViewer.path("components").path("camelHealth").path("status").asText()).isEqualTo("UP");
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

    /** hawtio reads Camel's route MBeans through Jolokia (here as an operator; viewers below). */
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
                "org.apache.camel:context=appeal-hub,type=routes,name=\"feedback-hotline12345\"",
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

    /** Viewers watch the routes through Jolokia: reads, searches and bulks of them pass, by GET and POST. */
    @Test
    void aViewerReadsAndSearchesThroughJolokia() throws Exception {
        for (String base : List.of("/actuator/jolokia", "/actuator/hawtio/jolokia")) {
            JsonNode read = okJson(send(hub.viewerRequest(base + "/read/" + path(DISPATCH_ROUTE) + "/ExchangesTotal").GET()));
            assertThat(read.path("status").asInt()).as(base).isEqualTo(200);
            assertThat(read.path("value").isNumber()).as(base).isTrue();
            assertThat(read.path("value").asLong()).as(base).isGreaterThanOrEqualTo(1);

            JsonNode search = okJson(send(hub.viewerRequest(base + "/search/org.apache.camel:type=routes,*").GET()));
            List<String> mbeans = new ArrayList<>();
            search.path("value").forEach(v -> mbeans.add(v.asText()));
            assertThat(mbeans).as(base).contains(DISPATCH_ROUTE, FEEDBACK_ROUTE);
        }
        JsonNode version = okJson(send(hub.viewerRequest("/actuator/jolokia/version").GET()));
        assertThat(version.path("value").path("protocol").asText()).isNotEmpty();

        // hawtio's own way: one POST with several requests
        JsonNode bulk = okJson(post(hub.viewerRequest("/actuator/hawtio/jolokia/"), List.of(
                Map.of("type", "read", "mbean", FEEDBACK_ROUTE, "attribute", List.of("ExchangesTotal", "State")),
                Map.of("type", "search", "mbean", "org.apache.camel:type=routes,*"),
                Map.of("type", "list", "path", "org.apache.camel"))));
        assertThat(bulk.size()).isEqualTo(3);
        bulk.forEach(r -> assertThat(r.path("status").asInt()).as(r.toString()).isEqualTo(200));
        assertThat(bulk.get(0).path("value").path("State").asText()).isEqualTo("Started");
        assertThat(bulk.get(0).path("value").has("ExchangesTotal")).isTrue();
        assertThat(bulk.get(1).path("value").size()).isGreaterThanOrEqualTo(4);

        // hawtio asks its JMX security MBean what may be invoked before it shows the tree: allowed
        JsonNode acl = okJson(send(hub.viewerRequest("/actuator/jolokia/search/hawtio:type=security,area=jmx,*").GET()));
        String aclMBean = acl.path("value").path(0).asText();
        assertThat(aclMBean).startsWith("hawtio:");
        JsonNode canInvoke = okJson(post(hub.viewerRequest("/actuator/hawtio/jolokia/"), List.of(Map.of("type", "exec",
                "mbean", aclMBean, "operation", "canInvoke(java.lang.String)", "arguments", List.of(FEEDBACK_ROUTE)))));
        assertThat(canInvoke.get(0).path("status").asInt()).isEqualTo(200);
    }

    /**
     * hawtio's Route Diagram draws the hub's flow from Camel's route dump: the dispatch route splits
     * placement's messages to route to-queue, which sends them to their queues with toD. Viewers may
     * read it (an exec, but a read); anything else on the same MBean stays refused.
     */
    @Test
    void aViewerReadsTheRouteDiagramOfTheFlow() throws Exception {
        String context = "org.apache.camel:context=appeal-hub,type=context,name=\"appeal-hub\"";
        JsonNode dump = okJson(post(hub.viewerRequest("/actuator/hawtio/jolokia/"), List.of(
                Map.of("type", "exec", "mbean", context, "operation", "dumpRoutesAsXml()"),
                Map.of("type", "exec", "mbean", context, "operation", "dumpRoutesStatsAsXml(boolean,boolean)",
                        "arguments", List.of(true, true)))));
        dump.forEach(r -> assertThat(r.path("status").asInt()).as(r.toString()).isEqualTo(200));
        String routes = dump.get(0).path("value").asText();
        assertThat(routes).contains("id=\"dispatch\"", "id=\"to-queue\"", "id=\"task-replies\"", "id=\"dead-letter\"",
                "<split", "<toD", "hubjms:queue:${exchangeProperty.hubQueue}", "uri=\"direct:to-queue\"");
        assertThat(dump.get(1).path("value").asText()).contains("routeStat", "id=\"dispatch\"");

        HttpResponse<String> stop = http.send(json(hub.viewerRequest("/actuator/hawtio/jolokia/"),
                        Map.of("type", "exec", "mbean", context, "operation", "stop()")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(stop.statusCode()).isEqualTo(403);
        HttpResponse<String> pattern = http.send(json(hub.viewerRequest("/actuator/hawtio/jolokia/"),
                        Map.of("type", "exec", "mbean", "org.apache.camel:type=context,*", "operation", "dumpRoutesAsXml()")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(pattern.statusCode()).isEqualTo(403);
    }

    /** Stopping a route, writing an attribute: not for viewers, in whatever form they come. */
    @Test
    void aViewerCannotStopARouteOrWriteThroughJolokia() throws Exception {
        Map<String, Object> stop = Map.of("type", "exec", "mbean", FEEDBACK_ROUTE, "operation", "stop()");
        List<HttpRequest.Builder> attempts = List.of(
                json(hub.viewerRequest("/actuator/hawtio/jolokia/"), stop),
                json(hub.viewerRequest("/actuator/jolokia"), stop),
                json(hub.viewerRequest("/actuator/jolokia/"), Map.of("type", "EXEC", "mbean", FEEDBACK_ROUTE, "operation", "stop()")),
                hub.viewerRequest("/actuator/jolokia/exec/" + path(FEEDBACK_ROUTE) + "/stop()").GET(),
                hub.viewerRequest("/actuator/hawtio/jolokia/exec/" + path(FEEDBACK_ROUTE) + "/stop()").GET(),
                hub.viewerRequest("/actuator/jolokia/exec/" + path(FEEDBACK_ROUTE) + "/stop()")
                        .method("HEAD", HttpRequest.BodyPublishers.noBody()),
                hub.viewerRequest("/actuator/jolokia/?p=" + URLEncoder.encode("/exec/" + FEEDBACK_ROUTE.replace("/", "!/")
                        + "/stop()", StandardCharsets.UTF_8)).GET(),
                // a bulk is refused whole when one of its requests is not a read
                json(hub.viewerRequest("/actuator/hawtio/jolokia/"), List.of(
                        Map.of("type", "read", "mbean", FEEDBACK_ROUTE, "attribute", "State"), stop)),
                json(hub.viewerRequest("/actuator/jolokia/"), List.of(Map.of("type", "read", "mbean", FEEDBACK_ROUTE), "stop()")),
                json(hub.viewerRequest("/actuator/jolokia/"), Map.of("mbean", FEEDBACK_ROUTE, "operation", "stop()")),
                json(hub.viewerRequest("/actuator/jolokia/"), Map.of("type", "write", "mbean", "java.lang:type=Memory",
                        "attribute", "Verbose", "value", true)),
                hub.viewerRequest("/actuator/jolokia/write/java.lang:type=Memory/Verbose/true").GET(),
                json(hub.viewerRequest("/actuator/jolokia/"), Map.of("type", "notification", "command", "register")),
                // canInvoke is let through only as hawtio's permission query, on its security MBean
                json(hub.viewerRequest("/actuator/jolokia/"), Map.of("type", "exec", "mbean", "java.lang:type=Memory",
                        "operation", "canInvoke(java.lang.String)", "arguments", List.of("x"))),
                json(hub.viewerRequest("/actuator/jolokia/"), Map.of("type", "exec", "mbean", "hawtio:type=security,area=jmx,*",
                        "operation", "canInvoke(java.lang.String)", "arguments", List.of("x"))),
                json(hub.viewerRequest("/actuator/jolokia/"), Map.of("type", "exec", "mbean",
                        "hawtio:type=security,area=jmx,name=HawtioDummyJMXSecurity", "operation", "gc()")),
                hub.viewerRequest("/actuator/jolokia/").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"read\",")));
        for (HttpRequest.Builder attempt : attempts) {
            HttpRequest request = attempt.build();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(request.method() + " " + request.uri()).isEqualTo(403);
            if (!"HEAD".equals(request.method())) {
                assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
                JsonNode error = JSON.readTree(r.body());
                assertThat(error.path("status").asInt()).isEqualTo(403);
                assertThat(error.path("error").asText()).contains("only operators may exec");
            }
        }
        JsonNode state = okJson(post(hub.viewerRequest("/actuator/jolokia/"),
                Map.of("type", "read", "mbean", FEEDBACK_ROUTE, "attribute", "State")));
        assertThat(state.path("value").asText()).isEqualTo("Started");
        JsonNode verbose = okJson(send(hub.viewerRequest("/actuator/jolokia/read/java.lang:type=Memory/Verbose").GET()));
        assertThat(verbose.path("value").asBoolean()).isFalse();
    }

    /** Operators stop and start a route, by POST. */
    @Test
    void anOperatorStopsAndStartsARouteThroughJolokia() throws Exception {
        String purge = "org.apache.camel:context=appeal-hub,type=routes,name=\"merge-index-purge\"";
        JsonNode stopped = okJson(post(hub.opsRequest("/actuator/hawtio/jolokia/"), List.of(
                Map.of("type", "exec", "mbean", purge, "operation", "stop()"),
                Map.of("type", "read", "mbean", purge, "attribute", "State"))));
        assertThat(stopped.get(0).path("status").asInt()).isEqualTo(200);
        assertThat(stopped.get(1).path("value").asText()).isEqualTo("Stopped");

        // exec only by POST (issue 14): a GET link, even an operator's, runs nothing
        for (String base : List.of("/actuator/jolokia/exec/", "/actuator/hawtio/jolokia/exec/")) {
            HttpResponse<String> byGet = send(hub.opsRequest(base + path(purge) + "/start()").GET());
            assertThat(byGet.statusCode()).as(base).isEqualTo(403);
            assertThat(JSON.readTree(byGet.body()).path("error").asText()).contains("only by POST");
        }
        assertThat(okJson(send(hub.opsRequest("/actuator/jolokia/read/" + path(purge) + "/State").GET()))
                .path("value").asText()).isEqualTo("Stopped");
        JsonNode started = okJson(post(hub.opsRequest("/actuator/jolokia/"),
                Map.of("type", "exec", "mbean", purge, "operation", "start()")));
        assertThat(started.path("status").asInt()).isEqualTo(200);
        JsonNode state = okJson(send(hub.opsRequest("/actuator/jolokia/read/" + path(purge) + "/State").GET()));
        assertThat(state.path("value").asText()).isEqualTo("Started");
    }

    /**
     * The operators' restrictor (issue 14): the documented operations only. No heap dump, no
     * DiagnosticCommand, no attribute write, no broker security change, no stopping the whole context;
     * a bulk with one of them in it runs nothing.
     */
    @Test
    void anOperatorRunsOnlyTheDocumentedOperations() throws Exception {
        String context = "org.apache.camel:context=appeal-hub,type=context,name=\"appeal-hub\"";
        JsonNode brokers = okJson(post(hub.opsRequest("/actuator/jolokia/"),
                Map.of("type", "search", "mbean", "org.apache.activemq.artemis:broker=*")));
        String broker = brokers.path("value").get(0).asText();
        List<Map<String, Object>> refused = List.of(
                Map.of("type", "exec", "mbean", "com.sun.management:type=HotSpotDiagnostic", "operation",
                        "dumpHeap(java.lang.String,boolean)", "arguments", List.of("/tmp/hub-heap.hprof", true)),
                Map.of("type", "exec", "mbean", "com.sun.management:type=DiagnosticCommand", "operation",
                        "vmSystemProperties()"),
                Map.of("type", "exec", "mbean", "java.lang:type=Memory", "operation", "gc()"),
                Map.of("type", "write", "mbean", "java.lang:type=Memory", "attribute", "Verbose", "value", true),
                Map.of("type", "exec", "mbean", broker, "operation", "removeSecuritySettings(java.lang.String)",
                        "arguments", List.of("#")),
                Map.of("type", "exec", "mbean", broker, "operation", "resetUser(java.lang.String,java.lang.String,java.lang.String)",
                        "arguments", List.of("hub", "x", "admin")),
                Map.of("type", "exec", "mbean", context, "operation", "stop()"),
                Map.of("type", "exec", "mbean", FEEDBACK_ROUTE, "operation", "remove()"));
        for (Map<String, Object> one : refused) {
            for (Object body : List.of(one, List.of(Map.of("type", "read", "mbean", FEEDBACK_ROUTE, "attribute", "State"), one))) {
                HttpResponse<String> r = post(hub.opsRequest("/actuator/hawtio/jolokia/"), body);
                assertThat(r.statusCode()).as(one.toString()).isEqualTo(403);
                assertThat(JSON.readTree(r.body()).path("error").asText()).contains("operators may stop and start routes");
            }
        }
        assertThat(java.nio.file.Files.exists(Path.of("/tmp/hub-heap.hprof"))).isFalse();
        assertThat(okJson(post(hub.opsRequest("/actuator/jolokia/"), Map.of("type", "read", "mbean", context,
                "attribute", "State"))).path("value").asText()).isEqualTo("Started");

        // a queue's purge (here with a filter nothing matches) and the route diagram's dumps are documented: they run
        JsonNode queues = okJson(post(hub.opsRequest("/actuator/jolokia/"), Map.of("type", "search", "mbean",
                "org.apache.activemq.artemis:component=addresses,subcomponent=queues,*")));
        String intake = null;
        for (JsonNode q : queues.path("value")) if (q.asText().contains("queue=\"hub.intake\"")) intake = q.asText();
        assertThat(intake).as(queues.toString()).isNotNull();
        JsonNode purged = okJson(post(hub.opsRequest("/actuator/jolokia/"), List.of(
                Map.of("type", "exec", "mbean", intake, "operation", "removeMessages(java.lang.String)",
                        "arguments", List.of("caseId = 'no-such-case'")),
                Map.of("type", "exec", "mbean", intake, "operation", "countMessages()"),
                Map.of("type", "exec", "mbean", context, "operation", "dumpRoutesAsXml()"))));
        for (JsonNode one : purged) assertThat(one.path("status").asInt()).as(one.toString()).isEqualTo(200);
    }

    /**
     * A logged-in operator's browser session: exec only with the CSRF token (a forged cross-site POST
     * carries the cookie, not the token).
     */
    @Test
    void aSessionsExecNeedsTheCsrfToken() throws Exception {
        java.net.CookieManager cookies = new java.net.CookieManager();
        HttpClient browser = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();
        browser.send(HttpRequest.newBuilder(URI.create(hub.url("/login.html"))).GET().build(), HttpResponse.BodyHandlers.ofString());
        String token = xsrf(cookies);
        HttpResponse<String> login = browser.send(HttpRequest.newBuilder(URI.create(hub.url("/login")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + TestHub.OPERATOR + "&password="
                        + TestHub.OPERATOR_PASSWORD + "&_csrf=" + URLEncoder.encode(token, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location").orElse("")).doesNotContain("error");
        // the token changes at login; the next page load writes the new one
        HttpResponse<String> me = browser.send(HttpRequest.newBuilder(URI.create(hub.url("/ops/me")))
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(me.statusCode()).isEqualTo(200);
        token = xsrf(cookies);

        String route = "org.apache.camel:context=appeal-hub,type=routes,name=\"merge-index-purge\"";
        String stop = JSON.writeValueAsString(Map.of("type", "exec", "mbean", route, "operation", "stop()"));
        HttpResponse<String> forged = browser.send(HttpRequest.newBuilder(URI.create(hub.url("/actuator/jolokia/")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(stop)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
        HttpResponse<String> byLink = browser.send(HttpRequest.newBuilder(URI.create(hub.url("/actuator/jolokia/exec/"
                + path(route) + "/stop()"))).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(byLink.statusCode()).isEqualTo(403);
        assertThat(okJson(send(hub.opsRequest("/actuator/jolokia/read/" + path(route) + "/State").GET()))
                .path("value").asText()).isEqualTo("Started");

        HttpResponse<String> withToken = browser.send(HttpRequest.newBuilder(URI.create(hub.url("/actuator/jolokia/")))
                .header("Content-Type", "application/json").header("X-XSRF-TOKEN", token)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(List.of(
                        Map.of("type", "exec", "mbean", route, "operation", "stop()"),
                        Map.of("type", "exec", "mbean", route, "operation", "start()"))))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(withToken.statusCode()).as(withToken.body()).isEqualTo(200);
        for (JsonNode one : JSON.readTree(withToken.body())) assertThat(one.path("status").asInt()).isEqualTo(200);
    }

    private static String xsrf(java.net.CookieManager cookies) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN"))
                .map(java.net.HttpCookie::getValue).findFirst().orElseThrow();
    }

    /** A viewer opens 路由监控 from the pages' nav and sees the routes with their counts; Stop is refused. */
    @Test
    void aViewerSeesTheRoutesInHawtioButCannotStopOne() throws Exception {
        ChromeDriver browser = HeadlessChromium.start(1600, 1000, null);
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            browser.get(hub.url("/login.html"));
            HeadlessChromium.submitLogin(browser, TestHub.VIEWER, TestHub.VIEWER_PASSWORD);
            wait.until(ExpectedConditions.textToBe(By.id("user-role"), "查看员"));

            wait.until(ExpectedConditions.elementToBeClickable(By.linkText("路由监控"))).click();
            wait.until(ExpectedConditions.urlContains("/actuator/hawtio/"));
            browser.get(hub.url("/actuator/hawtio/camel/routes"));
            wait.until(d -> d.getPageSource().contains("feedback-hotline12345") && d.getPageSource().contains("hotline12345-push"));
            HeadlessChromium.screenshot(browser, "hawtio-viewer-routes");
            assertThat(browser.getPageSource()).contains("appeal-hub").contains("dispatch").contains("Started");
            // the pushed order went through dispatch: its row shows a count, read through Jolokia
            assertThat(routeRowText(browser, "dispatch")).matches("(?s).*\\b[1-9][0-9]*\\b.*");

            String before = browser.getCurrentUrl();
            WebElement row = routeRow(browser, "feedback-hotline12345");
            row.findElement(By.cssSelector("input[type=checkbox]")).click();
            wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//button[normalize-space()='Stop']"))).click();
            // the exec was refused (hawtio says so); the route runs on and the viewer stays in hawtio, still logged in
            wait.until(d -> d.getPageSource().contains("stop the route: 403"));
            HeadlessChromium.screenshot(browser, "hawtio-viewer-stop-refused");
            JsonNode state = okJson(send(hub.opsRequest("/actuator/jolokia/read/" + path(FEEDBACK_ROUTE) + "/State").GET()));
            assertThat(state.path("value").asText()).isEqualTo("Started");
            assertThat(browser.getCurrentUrl()).isEqualTo(before);
            assertThat(browser.getPageSource()).contains("hotline12345-push");
        } finally {
            HeadlessChromium.screenshot(browser, "hawtio-viewer-last");
            browser.quit();
        }
    }

    @Test
    void anOperatorSeesTheHubsRoutesInHawtio() {
        ChromeDriver browser = HeadlessChromium.start(1600, 1000, null);
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            browser.get(hub.url("/login.html"));
            HeadlessChromium.submitLogin(browser, TestHub.OPERATOR, TestHub.OPERATOR_PASSWORD);
            wait.until(ExpectedConditions.not(ExpectedConditions.urlContains("/login")));

            browser.get(hub.url("/actuator/hawtio/camel/routes"));
            wait.until(d -> d.getPageSource().contains("feedback-hotline12345") && d.getPageSource().contains("hotline12345-push"));
            HeadlessChromium.screenshot(browser, "hawtio-camel-routes");
            assertThat(browser.getPageSource()).contains("appeal-hub").contains("dispatch");
        } finally {
            HeadlessChromium.screenshot(browser, "hawtio-last");
            browser.quit();
        }
    }

    private static WebElement routeRow(ChromeDriver browser, String routeId) {
        return browser.findElement(By.xpath("//tr[td[normalize-space()='" + routeId + "']]"));
    }

    private static String routeRowText(ChromeDriver browser, String routeId) {
        return routeRow(browser, routeId).getText();
    }

    /** An MBean name as a Jolokia GET path element ("/" escaped as "!/", then URL-encoded). */
    static String path(String mbean) {
        return URLEncoder.encode(mbean.replace("!", "!!").replace("/", "!/"), StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    private HttpRequest.Builder json(HttpRequest.Builder request, Object body) throws Exception {
        return request.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    }

    private HttpResponse<String> post(HttpRequest.Builder request, Object body) throws Exception {
        return send(json(request, body));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode okJson(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.uri() + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
