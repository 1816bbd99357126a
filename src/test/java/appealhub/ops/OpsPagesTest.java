package appealhub.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.classify.FakeTopicModelConfig;
import appealhub.store.CaseStore;
import appealhub.store.FeedbackOutbox;
import appealhub.support.Department;
import appealhub.support.HeadlessChromium;
import appealhub.support.Platform12345;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import java.io.File;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operations pages as a person uses them, in Debian's headless Chromium: log in (a wrong
 * password refused, a viewer may look but not act), watch the dashboard's counters move while
 * 12345 orders flow, place an unplaced appeal on the triage page, fix and replay a refused
 * department reply, open and download the daily report. The actions' API is checked as scripts
 * use it (HTTP Basic): failed feedback re-sent and called back, case search by phone.
 * Screenshots go to ${hub.build.dir}/screenshots.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpsPagesTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();
    static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");

    TestHub hub;
    Platform12345 platform;
    Department department;
    ChromeDriver browser;
    WebDriverWait wait;
    Path downloads;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path data) throws Exception {
        platform = new Platform12345();
        hub = new TestHub(data, platform.baseUrl(), Map.of("spring.main.sources", FakeTopicModelConfig.class.getName())).start();
        department = new Department(hub.brokerUrl());
        downloads = Files.createDirectories(data.resolveSibling(data.getFileName() + "-downloads"));
        browser = HeadlessChromium.start(1600, 1500, downloads);
        wait = new WebDriverWait(browser, WAIT);
    }

    @AfterAll
    void stop() {
        if (browser != null) browser.quit();
        if (department != null) department.close();
        if (hub != null) hub.close();
        if (platform != null) platform.close();
    }

    @BeforeEach
    void loggedOut() {
        browser.get(hub.url("/login.html"));
        browser.manage().deleteAllCookies();
    }

    @Test
    void aPersonLogsInAndAViewerMayLookButNotAct() throws Exception {
        browser.get(hub.url("/ops/dashboard.html"));
        wait.until(ExpectedConditions.urlContains("/login.html"));
        login(TestHub.OPERATOR, "not-the-password");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error")));
        assertThat(browser.getCurrentUrl()).contains("/login.html?error");
        screenshot("login-refused");

        login(TestHub.VIEWER, TestHub.VIEWER_PASSWORD);
        wait.until(ExpectedConditions.textToBe(By.id("user-role"), "查看员"));
        assertThat(browser.getCurrentUrl()).as("back to the page asked for").contains("/ops/dashboard.html");
        browser.get(hub.url("/ops/triage.html"));
        wait.until(ExpectedConditions.textToBe(By.id("user-role"), "查看员"));
        assertThat(browser.findElement(By.tagName("body")).getAttribute("class")).contains("view-only");
        // The viewer's own session, with its CSRF token, still may not change anything.
        assertThat(script("Ops.api('/ops/routing/reload', {method: 'POST', body: {}}).then(function () { done('ok'); },"
                + " function (e) { done(e.message); });")).contains("无权限");

        // Scripts: HTTP Basic; no or wrong credentials get the Basic challenge, a viewer may read, not act.
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(java.net.URI.create(hub.url("/ops/stats"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        assertThat(send(HttpRequest.newBuilder(java.net.URI.create(hub.url("/ops/stats")))
                .header("Authorization", TestHub.basicAuth(TestHub.OPERATOR, "wrong"))).statusCode()).isEqualTo(401);
        assertThat(send(hub.viewerRequest("/ops/stats")).statusCode()).isEqualTo(200);
        assertThat(send(hub.viewerRequest("/ops/routing/reload").POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(403);
        assertThat(send(hub.opsRequest("/ops/routing/reload").POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(200);
        // Open without login: the channels' pushes (signed by the platform) and the health check.
        assertThat(platform.push(hub.url(""), Platform12345.streetLight("GDOPS0001")).status()).isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder(java.net.URI.create(hub.url("/actuator/health")))).statusCode()).isEqualTo(200);
    }

    @Test
    void theStatsCountCasesFromTheKeptCountsExactlyAsARecountWould() throws Exception {
        assertThat(platform.push(hub.url(""), Platform12345.streetLight("GDOPSSTATS1")).status()).isEqualTo(200);
        org.springframework.jdbc.core.JdbcTemplate jdbc = hub.bean(org.springframework.jdbc.core.JdbcTemplate.class);
        await().atMost(WAIT).untilAsserted(() -> {
            java.util.Map<String, Long> recount = new java.util.TreeMap<>();
            jdbc.query("select status, count(*) from hub_case group by status", rs -> {
                recount.put(rs.getString(1), rs.getLong(2));
            });
            JsonNode full = JSON.readTree(body(hub.viewerRequest("/ops/stats")));
            JsonNode only = JSON.readTree(body(hub.viewerRequest("/ops/stats?only=cases")));
            java.util.Map<String, Long> shown = new java.util.TreeMap<>();
            full.path("casesByStatus").fields().forEachRemaining(e -> shown.put(e.getKey(), e.getValue().asLong()));
            assertThat(shown).isEqualTo(recount);
            assertThat(only.path("casesByStatus")).isEqualTo(full.path("casesByStatus"));
            assertThat(only.has("rawByStatus")).as("only the cases").isFalse();
            assertThat(full.has("rawByStatus")).isTrue();
            assertThat(recount).doesNotContainKeys("RECEIVED", "PLACING");
        });
    }

    @Test
    void theDashboardsCountersMoveWhileAppealsFlow() throws Exception {
        loginAs(TestHub.VIEWER, TestHub.VIEWER_PASSWORD);
        browser.get(hub.url("/dashboard"));
        wait.until(ExpectedConditions.textMatches(By.id("kpi-receivedToday"), java.util.regex.Pattern.compile("\\d+")));
        long before = number(By.id("kpi-receivedToday"));
        long hotlineBefore = number(By.cssSelector("#inflow-table td[data-channel='hotline12345']"));
        ((JavascriptExecutor) browser).executeScript("window.sameDocument = 'yes';");

        JsonNode samples = JSON.readTree(new File("mocks/hotline12345/sample-orders.json"));
        for (int i = 0; i < 3; i++) push("GDOPSDASH" + i, samples.get(i));
        wait.until(d -> number(By.id("kpi-receivedToday")) >= before + 3
                && number(By.cssSelector("#inflow-table td[data-channel='hotline12345']")) >= hotlineBefore + 3);
        assertThat(((JavascriptExecutor) browser).executeScript("return window.sameDocument;"))
                .as("the numbers refresh in place, the page is not reloaded").isEqualTo("yes");

        // More flow, so the picture has something in every chart: the other samples, a department at work.
        for (int i = 3; i < samples.size(); i++) push("GDOPSDASH" + i, samples.get(i));
        String lit = platform.push(hub.url(""), Platform12345.streetLight("GDOPSDASHL1")).appealId();
        String fixed = platform.push(hub.url(""), Platform12345.streetLight("GDOPSDASHL2")).appealId();
        department.reply(taskFor("dept.D16.tasks", lit), "accept", null);
        JsonNode resolved = taskFor("dept.D16.tasks", fixed);
        department.reply(resolved, "accept", null);
        department.reply(resolved, "resolve", "路灯已更换，恢复照明。");
        long total = before + samples.size() + 2;
        wait.until(d -> number(By.id("kpi-receivedToday")) >= total && number(By.id("kpi-resolvedToday")) >= 1);
        Thread.sleep(1500); // let the charts finish their animation before the picture (not a wait for data)
        screenshot("dashboard");
    }

    @Test
    void anOperatorPlacesAnUnplacedAppealOnTheTriagePage() throws Exception {
        var order = Platform12345.order("GDOPSTRIAGE1", "反映一个问题", "【低】希望有关部门关注一下冀州镇的这个事情。", "冀州区冀州镇");
        String appealId = platform.push(hub.url(""), order).appealId();
        CaseStore cases = hub.bean(CaseStore.class);
        String caseId = cases.caseIdOfAppeal(appealId);
        await().atMost(WAIT).until(() -> "TRIAGE".equals(String.valueOf(cases.findCase(caseId).status())));

        loginAs(TestHub.OPERATOR, TestHub.OPERATOR_PASSWORD);
        browser.get(hub.url("/ops/triage.html"));
        WebElement card = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(caseId)));
        // CSRF: a change with the session cookie but without the token is refused, even for an operator.
        assertThat(script("fetch('/ops/triage/" + caseId + "', {method: 'POST', headers: {'Content-Type': 'application/json',"
                + " 'X-Requested-With': 'XMLHttpRequest'}, body: '{}'}).then(function (r) { done(String(r.status)); });"))
                .isEqualTo("403");
        new Select(card.findElement(By.className("f-category"))).selectByValue("民生服务");
        new Select(card.findElement(By.className("f-topic"))).selectByValue("城乡建设");
        new Select(card.findElement(By.className("f-lead"))).selectByValue("D07");
        new Select(card.findElement(By.className("f-township"))).selectByValue("T01");
        screenshot("triage");
        card.findElement(By.className("f-submit")).click();
        wait.until(ExpectedConditions.textMatches(By.id("message"), java.util.regex.Pattern.compile("已分拨")));
        assertThat(taskFor("dept.D07.tasks", appealId).path("role").asText()).isEqualTo("lead");

        browser.get(hub.url("/ops/case.html?id=" + caseId));
        WebElement triaged = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("li.event[data-type='triaged']")));
        assertThat(triaged.findElement(By.className("actor")).getText()).isEqualTo(TestHub.OPERATOR);
        assertThat(browser.findElement(By.id("case-lead")).getText()).isEqualTo("住房和城乡建设局");
        assertThat(browser.findElement(By.id("appeals")).getText()).contains("138****0000").doesNotContain("13800000000");
        screenshot("case");
        assertThat(cases.events(caseId)).filteredOn(e -> e.type().equals("triaged")).singleElement()
                .satisfies(e -> assertThat(e.actor()).isEqualTo(TestHub.OPERATOR));
    }

    @Test
    void anOperatorFixesARefusedReplyAndReplaysIt() throws Exception {
        String appealId = platform.push(hub.url(""), Platform12345.streetLight("GDOPSDEAD1")).appealId();
        JsonNode task = taskFor("dept.D16.tasks", appealId);
        String taskId = task.path("taskId").asText();
        // D16's system misspells the reply type: the hub refuses it and parks it with the reason.
        department.sendAs("D16", "hub.task.replies", JSON.writeValueAsString(Map.of("replyId", UUID.randomUUID().toString(),
                "taskId", taskId, "orgCode", "D16", "type", "resolved", "text", "路灯已修复，回访电话13812345678。")));
        await().atMost(WAIT).until(() -> body(hub.viewerRequest("/ops/dead-letters/items?queue=hub.dead.replies")).contains(taskId));

        loginAs(TestHub.OPERATOR, TestHub.OPERATOR_PASSWORD);
        browser.get(hub.url("/ops/dead-letters.html"));
        WebElement item = wait.until(d -> d.findElements(By.cssSelector(".dead-letter")).stream()
                .filter(e -> e.findElement(By.className("body")).getAttribute("value").contains(taskId)).findFirst().orElse(null));
        WebElement body = item.findElement(By.className("body"));
        String shown = body.getAttribute("value");
        assertThat(shown).contains("138****5678").doesNotContain("13812345678");
        assertThat(item.findElement(By.className("reason")).getText()).isNotBlank();
        body.clear();
        body.sendKeys(shown.replace("\"resolved\"", "\"resolve\""));
        screenshot("dead-letter");
        item.findElement(By.className("replay")).click();
        wait.until(ExpectedConditions.textMatches(By.id("message"), java.util.regex.Pattern.compile("已重放")));

        CaseStore cases = hub.bean(CaseStore.class);
        String caseId = cases.caseIdOfAppeal(appealId);
        await().atMost(WAIT).until(() -> "RESOLVED".equals(String.valueOf(cases.findCase(caseId).status())));
        assertThat(cases.events(caseId)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo("dead-letter-replayed");
            assertThat(e.actor()).isEqualTo(TestHub.OPERATOR);
            assertThat(e.detail()).contains("\"edited\":true");
        });
        // the number the operator saw masked went on as it was
        assertThat(cases.events(caseId)).filteredOn(e -> e.type().equals("resolved")).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("13812345678"));
        assertThat(body(hub.viewerRequest("/ops/dead-letters/items?queue=hub.dead.replies"))).doesNotContain(taskId);
    }

    @Test
    void theDailyReportShowsTheDayAndDownloadsAFileExcelOpensInChinese() throws Exception {
        String appealId = platform.push(hub.url(""), Platform12345.streetLight("GDOPSREPORT1")).appealId();
        JsonNode task = taskFor("dept.D16.tasks", appealId);
        department.reply(task, "accept", null);
        department.reply(task, "resolve", "路灯已修复。");
        CaseStore cases = hub.bean(CaseStore.class);
        await().atMost(WAIT).until(() -> "RESOLVED".equals(String.valueOf(cases.findCase(cases.caseIdOfAppeal(appealId)).status())));
        String hfsj = LocalDateTime.now(BEIJING).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
        assertThat(platform.evaluate(hub.url(""), Map.of("gdbh", "GDOPSREPORT1", "myd", "满意", "hfsj", hfsj)).status()).isEqualTo(200);

        loginAs(TestHub.VIEWER, TestHub.VIEWER_PASSWORD);
        browser.get(hub.url("/ops/report.html"));
        wait.until(ExpectedConditions.textMatches(By.id("r-satisfactionRate"), java.util.regex.Pattern.compile("\\d+(\\.\\d)?%")));
        assertThat(number(By.id("r-receivedTotal"))).isGreaterThanOrEqualTo(1);
        assertThat(number(By.id("r-resolved"))).isGreaterThanOrEqualTo(1);
        screenshot("report");
        browser.findElement(By.id("download")).click();

        Path file = await().atMost(WAIT).until(() -> {
            try (Stream<Path> files = Files.list(downloads)) {
                return files.filter(p -> p.toString().endsWith(".csv")).findFirst().orElse(null);
            }
        }, p -> p != null && p.toFile().length() > 0);
        byte[] bytes = Files.readAllBytes(file);
        assertThat(Arrays.copyOf(bytes, 3)).as("UTF-8 byte-order mark, so Excel and WPS read the Chinese").isEqualTo(DailyReportCsv.BOM);
        String text = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
        List<CSVRecord> rows = CSVFormat.RFC4180.parse(new StringReader(text)).getRecords();
        assertThat(rows.get(0).get(0)).endsWith("日汇总");
        assertThat(rows.get(1).values()).containsExactly("指标", "项目", "数值");
        assertThat(rows).anySatisfy(r -> {
            assertThat(r.values()).startsWith("收件", "12345热线");
            assertThat(Long.parseLong(r.get(2))).isGreaterThanOrEqualTo(1);
        });
        assertThat(rows).anySatisfy(r -> assertThat(r.values()).startsWith("满意度", "满意"));
        assertThat(rows).anySatisfy(r -> assertThat(r.values()).startsWith("分派（部门）", "综合行政执法局"));
    }

    @Test
    void failedFeedbackIsResentOrCalledBackInTheOperatorsName() throws Exception {
        StubMapping refuse = refuseRepliesFor("GDOPSFEED1");
        String first = platform.push(hub.url(""), Platform12345.streetLight("GDOPSFEED1")).appealId();
        CaseStore cases = hub.bean(CaseStore.class);
        FeedbackOutbox outbox = hub.bean(FeedbackOutbox.class);
        String caseId = cases.caseIdOfAppeal(first);
        department.reply(taskFor("dept.D16.tasks", first), "accept", null);
        FeedbackOutbox.Item refused = await().atMost(WAIT).until(() -> outbox.ofCase(caseId).stream()
                .filter(f -> String.valueOf(f.status()).equals("REFUSED")).findFirst().orElse(null), java.util.Objects::nonNull);
        assertThat(body(hub.viewerRequest("/ops/feedback/failed"))).contains("\"id\":" + refused.id());

        assertThat(send(hub.viewerRequest("/ops/feedback/" + refused.id() + "/resend").POST(HttpRequest.BodyPublishers.noBody()))
                .statusCode()).isEqualTo(403);
        platform.wireMock().removeStub(refuse);
        HttpResponse<String> resent = send(hub.opsRequest("/ops/feedback/" + refused.id() + "/resend").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(resent.statusCode()).as(resent.body()).isEqualTo(200);
        await().atMost(WAIT).until(() -> outbox.ofCase(caseId).stream().filter(f -> f.id() == refused.id())
                .allMatch(f -> String.valueOf(f.status()).equals("DONE")));
        assertThat(cases.events(caseId)).filteredOn(e -> e.type().equals("feedback-resent")).singleElement()
                .satisfies(e -> assertThat(e.actor()).isEqualTo(TestHub.OPERATOR));
        assertThat(send(hub.opsRequest("/ops/feedback/" + refused.id() + "/resend").POST(HttpRequest.BodyPublishers.noBody()))
                .statusCode()).as("delivered: nothing to re-send").isEqualTo(409);

        refuseRepliesFor("GDOPSFEED2");
        String second = platform.push(hub.url(""), Platform12345.streetLight("GDOPSFEED2")).appealId();
        String secondCase = cases.caseIdOfAppeal(second);
        department.reply(taskFor("dept.D16.tasks", second), "accept", null);
        FeedbackOutbox.Item again = await().atMost(WAIT).until(() -> outbox.ofCase(secondCase).stream()
                .filter(f -> String.valueOf(f.status()).equals("REFUSED")).findFirst().orElse(null), java.util.Objects::nonNull);
        HttpResponse<String> called = send(hub.opsRequest("/ops/feedback/" + again.id() + "/called-back")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"note\":\"已电话告知办理进展（13800000000）\"}")));
        assertThat(called.statusCode()).as(called.body()).isEqualTo(200);
        assertThat(outbox.ofCase(secondCase)).filteredOn(f -> f.id() == again.id()).singleElement()
                .satisfies(f -> assertThat(f.status()).hasToString("CALLED_BACK"));
        assertThat(cases.events(secondCase)).filteredOn(e -> e.type().equals("called-back")).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo(TestHub.OPERATOR);
            assertThat(e.detail()).contains("138****0000").doesNotContain("13800000000");
        });
    }

    @Test
    void casesAreFoundByPhoneWithoutShowingIt() throws Exception {
        var order = Platform12345.streetLight("GDOPSSEARCH1");
        order.put("lxdh", "13911112222");
        String appealId = platform.push(hub.url(""), order).appealId();

        // by POST: a viewer may search, the phone never in a URL
        String found = body(search(hub.viewerRequest("/ops/cases/search"), "{\"phone\":\"139-1111-2222\"}"));
        assertThat(found).contains(appealId).contains("139****2222").doesNotContain("13911112222");
        assertThat(JSON.readTree(body(search(hub.viewerRequest("/ops/cases/search"), "{\"phone\":\"13911113333\"}")))).isEmpty();
        assertThat(JSON.readTree(body(search(hub.viewerRequest("/ops/cases/search"),
                "{\"sourceItemId\":\"GDOPSSEARCH1\"}")))).hasSize(1);
        assertThat(send(search(hub.viewerRequest("/ops/cases/search"), "{\"phone\":\"12\"}")).statusCode()).isEqualTo(400);
        // a phone in a URL is refused, not searched
        HttpResponse<String> inUrl = send(hub.viewerRequest("/ops/cases?phone=13911112222"));
        assertThat(inUrl.statusCode()).isEqualTo(400);
        assertThat(inUrl.body()).contains("POST").doesNotContain(appealId);
        assertThat(JSON.readTree(body(hub.viewerRequest("/ops/cases?sourceItemId=GDOPSSEARCH1")))).hasSize(1);

        // the page: a viewer searches by phone (a POST with the CSRF token), the address shows no number
        loginAs(TestHub.VIEWER, TestHub.VIEWER_PASSWORD);
        browser.get(hub.url("/ops/cases.html"));
        wait.until(ExpectedConditions.textToBe(By.id("user-role"), "查看员"));
        browser.findElement(By.id("q-phone")).sendKeys("13911112222");
        browser.findElement(By.id("search-button")).click();
        WebElement phone = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#results td.phone")));
        assertThat(phone.getText()).isEqualTo("139****2222");
        assertThat(browser.getCurrentUrl()).doesNotContain("1391111").doesNotContain("phone");
        assertThat(browser.getPageSource()).doesNotContain("13911112222");
    }

    // ---- helpers ----

    private void login(String user, String password) {
        HeadlessChromium.submitLogin(browser, user, password);
    }

    private void loginAs(String user, String password) {
        browser.get(hub.url("/login.html"));
        login(user, password);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("user-name")));
    }

    /** Runs an async script in the page; it calls done(result). */
    private String script(String body) {
        Object r = ((JavascriptExecutor) browser).executeAsyncScript("var done = arguments[arguments.length - 1]; " + body);
        return String.valueOf(r);
    }

    private long number(By by) {
        String text = browser.findElement(by).getText().trim();
        return text.matches("\\d+") ? Long.parseLong(text) : -1;
    }

    private void screenshot(String name) {
        HeadlessChromium.screenshot(browser, name);
    }

    private void push(String gdbh, JsonNode sample) {
        var order = Platform12345.order(gdbh, sample.path("sqbt").asText(), sample.path("sqnr").asText(), sample.path("sqdz").asText());
        order.put("sqlx", sample.path("sqlx").asText("03"));
        assertThat(platform.push(hub.url(""), order).status()).isEqualTo(200);
    }

    private StubMapping refuseRepliesFor(String gdbh) {
        return platform.wireMock().stubFor(post(urlPathEqualTo("/api/v1/workorders/" + gdbh + "/reply")).atPriority(1)
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":40010,\"msg\":\"工单状态不允许回复\"}")));
    }

    /** Tasks taken off a queue while looking for another one (cases are placed in parallel, in any order). */
    private final java.util.Map<String, JsonNode> tasksSeen = new java.util.concurrent.ConcurrentHashMap<>();

    private JsonNode taskFor(String queue, String appealId) {
        long until = System.currentTimeMillis() + WAIT.toMillis();
        while (System.currentTimeMillis() < until) {
            JsonNode seen = tasksSeen.remove(appealId);
            if (seen != null) return seen;
            JsonNode t = department.receive(queue, 2000);
            if (t == null) continue;
            String of = t.path("appeal").path("appealId").asText();
            if (of.equals(appealId)) return t;
            tasksSeen.put(of, t);
        }
        throw new AssertionError("no task for " + appealId + " on " + queue);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static HttpRequest.Builder search(HttpRequest.Builder request, String json) {
        return request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    }

    private String body(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> r = send(request);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }
}
