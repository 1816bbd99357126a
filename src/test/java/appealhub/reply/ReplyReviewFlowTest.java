package appealhub.reply;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.store.CaseStore;
import appealhub.store.ReplyReviewStore;
import appealhub.store.TaskStore;
import appealhub.support.Department;
import appealhub.support.HeadlessChromium;
import appealhub.support.Platform12345;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Message;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The reply check (验收, issue 15): a lead's weak 办结 is held for operations instead of going to
 * 12345; an operator releases it (sent once) or sends it back (the department hears why, the case
 * stays open); a good reply goes through unchanged. Real broker, file H2, WireMock as 12345.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplyReviewFlowTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WEAK = "已处理。";
    private static final String GOOD = "您好！您反映的滏阳花园小区南门外路灯不亮问题，经我局工作人员现场核实，系线路老化所致，"
            + "已于4月10日更换损坏线路和灯具，现已恢复正常照明。感谢您的监督。";

    Platform12345 platform;
    TestHub hub;
    Department department;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path data) {
        platform = new Platform12345();
        hub = new TestHub(data, platform.baseUrl(), Map.of("hub.reply-quality.enabled", true)).start();
        department = new Department(hub.brokerUrl());
    }

    @AfterAll
    void stop() {
        if (department != null) department.close();
        if (hub != null) hub.close();
        if (platform != null) platform.close();
    }

    @Test
    void aWeakResolveIsHeldThroughARestartAndReleasedOnce() throws Exception {
        String gdbh = "GD20250409150001";
        String caseId = awaitCase(platform.push(hub.url(""), Platform12345.streetLight(gdbh)).appealId());
        JsonNode task = awaitTask(caseId);
        // The same resolve sent twice (a department's retry): one review.
        String resolve = resolve(task, "r15-weak-1", WEAK);
        department.sendAs(task.path("orgCode").asText(), "hub.task.replies", resolve);
        department.sendAs(task.path("orgCode").asText(), "hub.task.replies", resolve);
        await().atMost(Duration.ofSeconds(15)).until(() -> cases().events(caseId).stream().anyMatch(e -> "reply-held".equals(e.type())));
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(reviews().ofCase(caseId)).hasSize(1));
        ReplyReviewStore.Review review = reviews().ofCase(caseId).get(0);
        assertThat(review.status()).isEqualTo(ReplyReviewStore.Status.HELD);
        assertThat(review.reasons()).contains("TOO_SHORT", "IRRELEVANT");
        assertThat(cases().events(caseId).stream().filter(e -> "reply-held".equals(e.type()))).hasSize(1);
        // The citizen heard 办理中 (resolving implies accepting) and no 办结; the case is open.
        assertThat(cases().findCase(caseId).status()).hasToString("ACCEPTED");
        assertThat(tasks().find(task.path("taskId").asText()).status()).hasToString("ACCEPTED");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> platform.wireMock().verify(1, replies(gdbh, "办理中")));
        platform.wireMock().verify(0, replies(gdbh, "办结"));

        // Held means held: a restart changes nothing.
        department.close();
        hub.stop();
        hub.start();
        department = new Department(hub.brokerUrl());
        assertThat(reviews().find(review.id()).status()).isEqualTo(ReplyReviewStore.Status.HELD);

        // Viewers read the review (text masked) but may not decide.
        HttpResponse<String> list = http.send(hub.viewerRequest("/ops/reply-reviews?held=true").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode listed = JSON.readTree(list.body());
        assertThat(listed).anySatisfy(r -> {
            assertThat(r.path("id").asLong()).isEqualTo(review.id());
            assertThat(r.path("status").asText()).isEqualTo("HELD");
            assertThat(r.path("text").asText()).isEqualTo(WEAK);
            assertThat(r.path("reasons").toString()).contains("答复过短");
        });
        assertThat(post(hub.viewerRequest("/ops/reply-reviews/" + review.id() + "/release"), "{}").statusCode()).isEqualTo(403);
        platform.wireMock().verify(0, replies(gdbh, "办结"));

        // An operator releases it: 办结 once, however often the button is pressed.
        assertThat(post(hub.opsRequest("/ops/reply-reviews/" + review.id() + "/release"), "{\"note\":\"已电话核实，确已修复\"}")
                .statusCode()).isEqualTo(200);
        assertThat(post(hub.opsRequest("/ops/reply-reviews/" + review.id() + "/release"), "{}").statusCode()).isEqualTo(409);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> platform.wireMock().verify(1,
                replies(gdbh, "办结").withRequestBody(matchingJsonPath("$.bljg", equalTo(WEAK)))));
        assertThat(cases().findCase(caseId).status()).hasToString("RESOLVED");
        assertThat(reviews().find(review.id()).status()).isEqualTo(ReplyReviewStore.Status.RELEASED);
        assertThat(reviews().find(review.id()).decidedBy()).isEqualTo(TestHub.OPERATOR);
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                platform.wireMock().verify(1, replies(gdbh, "办结")));
    }

    @Test
    void aWeakResolveSentBackTellsTheDepartmentAndTheCaseStaysOpenUntilAGoodOne() throws Exception {
        String gdbh = "GD20250409150002";
        String caseId = awaitCase(platform.push(hub.url(""), Platform12345.streetLight(gdbh)).appealId());
        JsonNode task = awaitTask(caseId);
        String orgCode = task.path("orgCode").asText();
        department.reply(task, "accept", null);
        department.sendAs(orgCode, "hub.task.replies", resolve(task, "r15-weak-2", "网友：您好！留言已收悉"));
        await().atMost(Duration.ofSeconds(15)).until(() -> !reviews().ofCase(caseId).isEmpty());
        ReplyReviewStore.Review review = reviews().ofCase(caseId).get(0);
        assertThat(review.reasons()).contains("ACKNOWLEDGEMENT_ONLY");

        assertThat(post(hub.opsRequest("/ops/reply-reviews/" + review.id() + "/send-back"), "{}").statusCode())
                .as("a reason is required").isEqualTo(400);
        assertThat(post(hub.opsRequest("/ops/reply-reviews/" + review.id() + "/send-back"),
                "{\"reason\":\"只答复了收悉，请说明路灯是否修复\"}").statusCode()).isEqualTo(200);
        assertThat(post(hub.opsRequest("/ops/reply-reviews/" + review.id() + "/release"), "{}").statusCode())
                .as("sent back: no release after it").isEqualTo(409);

        // The department hears why, on its own queue, about its task.
        Message m = department.awaitMessage(task.path("queue").asText(orgQueue(orgCode)), x -> "task-update".equals(Department.property(x, "hubMessageType"))
                && "sent-back".equals(Department.json(x).path("kind").asText()));
        JsonNode update = Department.json(m);
        assertThat(update.path("taskId").asText()).isEqualTo(task.path("taskId").asText());
        assertThat(update.path("text").asText()).contains("只答复了收悉，请说明路灯是否修复");
        assertThat(update.path("review").path("reviewId").asLong()).isEqualTo(review.id());
        assertThat(update.path("review").path("findings").toString()).contains("ACKNOWLEDGEMENT_ONLY");
        // The task and the case stay open; nothing went to the citizen.
        assertThat(tasks().find(task.path("taskId").asText()).status()).hasToString("ACCEPTED");
        assertThat(cases().findCase(caseId).status()).hasToString("ACCEPTED");
        assertThat(cases().events(caseId)).extracting(CaseStore.CaseEvent::type).contains("reply-held", "reply-sent-back");
        platform.wireMock().verify(0, replies(gdbh, "办结"));

        // The department answers again, properly: through, unchanged, once.
        department.reply(task, "resolve", GOOD);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> platform.wireMock().verify(1,
                replies(gdbh, "办结").withRequestBody(matchingJsonPath("$.bljg", equalTo(GOOD)))));
        assertThat(cases().findCase(caseId).status()).hasToString("RESOLVED");
        assertThat(reviews().ofCase(caseId)).singleElement().extracting(ReplyReviewStore.Review::status)
                .isEqualTo(ReplyReviewStore.Status.SENT_BACK);
    }

    @Test
    void aGoodResolvePassesUnchanged() {
        String gdbh = "GD20250409150003";
        String caseId = awaitCase(platform.push(hub.url(""), Platform12345.streetLight(gdbh)).appealId());
        JsonNode task = awaitTask(caseId);
        department.reply(task, "accept", null);
        department.reply(task, "resolve", GOOD);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> platform.wireMock().verify(1,
                replies(gdbh, "办结").withRequestBody(matchingJsonPath("$.bljg", equalTo(GOOD)))));
        assertThat(cases().findCase(caseId).status()).hasToString("RESOLVED");
        assertThat(reviews().ofCase(caseId)).isEmpty();
        assertThat(cases().events(caseId).stream().filter(e -> "resolved".equals(e.type())).findFirst().orElseThrow().detail())
                .contains("\"quality\":");
    }

    @Test
    void anOperatorDecidesHeldRepliesOnTheReviewPageAndAViewerOnlyReadsThem() throws Exception {
        String gdbhReleased = "GD20250409150004", gdbhSentBack = "GD20250409150005";
        String releasedCase = awaitCase(platform.push(hub.url(""), Platform12345.streetLight(gdbhReleased)).appealId());
        String sentBackCase = awaitCase(platform.push(hub.url(""), Platform12345.streetLight(gdbhSentBack)).appealId());
        JsonNode releasedTask = awaitTask(releasedCase), sentBackTask = awaitTask(sentBackCase);
        department.sendAs(releasedTask.path("orgCode").asText(), "hub.task.replies", resolve(releasedTask, "r15-page-1", WEAK));
        department.sendAs(sentBackTask.path("orgCode").asText(), "hub.task.replies",
                resolve(sentBackTask, "r15-page-2", "已处理，联系电话13812345678。"));
        await().atMost(Duration.ofSeconds(15)).until(() -> !reviews().ofCase(releasedCase).isEmpty() && !reviews().ofCase(sentBackCase).isEmpty());
        long releasedId = reviews().ofCase(releasedCase).get(0).id(), sentBackId = reviews().ofCase(sentBackCase).get(0).id();
        // the dashboard counts what waits for a decision
        await().atMost(Duration.ofSeconds(15)).until(() -> JSON.readTree(http.send(hub.viewerRequest("/ops/dashboard").build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("totals").path("heldReplies").asInt() >= 2);

        ChromeDriver browser = HeadlessChromium.start(1400, 1200, null);
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            // A viewer sees the held replies, their reasons and masked text, and no decision buttons.
            logIn(browser, wait, TestHub.VIEWER, TestHub.VIEWER_PASSWORD);
            browser.get(hub.url("/ops/reply-reviews.html"));
            WebElement seen = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("review-" + sentBackId)));
            assertThat(seen.findElement(By.className("reply-text")).getText()).contains("138****5678").doesNotContain("13812345678");
            assertThat(seen.findElement(By.className("reasons")).getText()).isNotBlank();
            assertThat(seen.findElement(By.className("release")).isDisplayed()).isFalse();

            logIn(browser, wait, TestHub.OPERATOR, TestHub.OPERATOR_PASSWORD);
            browser.get(hub.url("/ops/reply-reviews.html"));
            WebElement release = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("review-" + releasedId)));
            assertThat(release.findElements(By.cssSelector(".reason[data-code='TOO_SHORT']"))).hasSize(1);
            release.findElement(By.className("f-text")).sendKeys("已电话核实，路灯已修复");
            HeadlessChromium.screenshot(browser, "reply-reviews");
            release.findElement(By.className("release")).click();
            wait.until(ExpectedConditions.textMatches(By.id("message"), java.util.regex.Pattern.compile("已放行")));
            wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("review-" + releasedId)));

            // Sending back without a reason is refused on the page; with one it goes to the department.
            WebElement back = browser.findElement(By.id("review-" + sentBackId));
            back.findElement(By.className("send-back")).click();
            wait.until(ExpectedConditions.textMatches(By.id("message"), java.util.regex.Pattern.compile("理由")));
            assertThat(reviews().find(sentBackId).status()).isEqualTo(ReplyReviewStore.Status.HELD);
            back.findElement(By.className("f-text")).sendKeys("请说明路灯是否修复、何时修复");
            back.findElement(By.className("send-back")).click();
            wait.until(ExpectedConditions.textMatches(By.id("message"), java.util.regex.Pattern.compile("已退回")));
            WebElement decided = wait.until(ExpectedConditions.visibilityOfElementLocated(
                    By.cssSelector("#decided tr[data-review='" + sentBackId + "'] .decision")));
            assertThat(decided.getText()).isEqualTo("已退回");
            assertThat(browser.findElement(By.cssSelector("#decided tr[data-review='" + releasedId + "'] .decision")).getText()).isEqualTo("已放行");
        } finally {
            browser.quit();
        }
        // What the buttons did: 办结 to 12345 for the released one, the reason to the department for the other.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> platform.wireMock().verify(1, replies(gdbhReleased, "办结")));
        assertThat(reviews().find(releasedId).note()).isEqualTo("已电话核实，路灯已修复");
        assertThat(reviews().find(releasedId).decidedBy()).isEqualTo(TestHub.OPERATOR);
        Message m = department.awaitMessage(orgQueue(sentBackTask.path("orgCode").asText()), x -> "task-update".equals(Department.property(x, "hubMessageType"))
                && "sent-back".equals(Department.json(x).path("kind").asText())
                && sentBackTask.path("taskId").asText().equals(Department.json(x).path("taskId").asText()));
        assertThat(Department.json(m).path("text").asText()).contains("请说明路灯是否修复、何时修复");
        platform.wireMock().verify(0, replies(gdbhSentBack, "办结"));
        assertThat(cases().findCase(sentBackCase).status()).hasToString("ACCEPTED");
    }

    private void logIn(ChromeDriver browser, WebDriverWait wait, String user, String password) {
        browser.get(hub.url("/login.html"));
        browser.manage().deleteAllCookies();
        browser.get(hub.url("/login.html"));
        HeadlessChromium.submitLogin(browser, user, password);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("user-name")));
    }

    private static String orgQueue(String orgCode) {
        return "dept." + orgCode + ".tasks";
    }

    private static com.github.tomakehurst.wiremock.matching.RequestPatternBuilder replies(String gdbh, String blzt) {
        return postRequestedFor(urlEqualTo("/api/v1/workorders/" + gdbh + "/reply")).withRequestBody(matchingJsonPath("$.blzt", equalTo(blzt)));
    }

    private static String resolve(JsonNode task, String replyId, String text) throws Exception {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("replyId", replyId);
        reply.put("taskId", task.path("taskId").asText());
        reply.put("orgCode", task.path("orgCode").asText());
        reply.put("type", "resolve");
        reply.put("text", text);
        return JSON.writeValueAsString(reply);
    }

    private HttpResponse<String> post(HttpRequest.Builder request, String body) throws Exception {
        return http.send(request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode awaitTask(String caseId) {
        TaskStore.TaskRecord lead = tasks().ofCaseRound(caseId, 0).stream().filter(t -> "lead".equals(String.valueOf(t.role())))
                .findFirst().orElseThrow();
        return Department.json(department.awaitMessage(lead.queue(), m -> lead.taskId().equals(Department.property(m, "taskId"))
                && "task".equals(Department.property(m, "hubMessageType"))));
    }

    private String awaitCase(String appealId) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            String caseId = cases().caseIdOfAppeal(appealId);
            return caseId != null && "DISPATCHED".equals(cases().findCase(caseId).status().name());
        });
        return cases().caseIdOfAppeal(appealId);
    }

    private CaseStore cases() {
        return hub.bean(CaseStore.class);
    }

    private TaskStore tasks() {
        return hub.bean(TaskStore.class);
    }

    private ReplyReviewStore reviews() {
        return hub.bean(ReplyReviewStore.class);
    }

}
