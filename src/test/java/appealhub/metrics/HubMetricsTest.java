package appealhub.metrics;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.store.CaseStore;
import appealhub.support.Department;
import appealhub.support.Platform12345;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What operations see in Prometheus and Grafana, from a hub that has done some work: 12345
 * orders taken in, a duplicate, bad input, a merge, tasks accepted and resolved, feedback
 * delivered, refused and failing, a refused reply parked, an open task past its deadline.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HubMetricsTest {
    static final Path DASHBOARD = Path.of("config/grafana/appeal-hub-dashboard.json");
    static final String HOTLINE = "hotline12345";
    static final String HEATING_TITLE = "暖气不热";
    static final String HEATING = "官道李镇霍家庄村集中供暖暖气不热，室内只有十二度，老人孩子受不了，请热力公司尽快处理。";
    static final String HEATING_PLACE = "冀州区官道李镇霍家庄村";

    Platform12345 platform;
    TestHub hub;
    Department department;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path data) {
        platform = new Platform12345();
        Map<String, Object> overrides = new HashMap<>();
        overrides.put("hub.metrics.refresh-ms", 300);
        overrides.put("hub.merge.enabled", true);
        hub = new TestHub(data, platform.baseUrl(), overrides).start();
        department = new Department(hub.brokerUrl());
        doSomeWork();
    }

    @AfterAll
    void stop() {
        if (department != null) department.close();
        if (hub != null) hub.close();
        if (platform != null) platform.close();
    }

    private void doSomeWork() {
        // A street light (D16), pushed twice; a malformed order; one with a wrong signature.
        assertThat(platform.push(hub.url(""), Platform12345.streetLight("GD20250601000001")).status()).isEqualTo(200);
        assertThat(platform.push(hub.url(""), Platform12345.streetLight("GD20250601000001")).status()).isEqualTo(200);
        Map<String, Object> noContent = new HashMap<>(Platform12345.streetLight("GD20250601000009"));
        noContent.remove("sqnr");
        assertThat(platform.push(hub.url(""), noContent).status()).isEqualTo(400);
        assertThat(platform.push(hub.url("/api/hotline12345/workorders"),
                Platform12345.bytes(Platform12345.streetLight("GD20250601000008")), Instant.now().getEpochSecond(),
                "not-the-secret").status()).isEqualTo(401);
        JsonNode streetLight = department.receive("dept.D16.tasks", 15_000);
        assertThat(streetLight).as("street-light task").isNotNull();

        // Heating (D44), and the same complaint again under another order number: merged into its case.
        var first = platform.push(hub.url(""), Platform12345.order("GD20250601000002", HEATING_TITLE, HEATING, HEATING_PLACE));
        JsonNode heating = department.receive("dept.D44.tasks", 15_000);
        assertThat(heating).as("heating task").isNotNull();
        CaseStore cases = hub.bean(CaseStore.class);
        String heatingCase = cases.caseIdOfAppeal(first.appealId());
        await().atMost(Duration.ofSeconds(10)).until(() -> "DISPATCHED".equals(String.valueOf(cases.findCase(heatingCase).status())));
        Map<String, Object> again = Platform12345.order("GD20250601000005", HEATING_TITLE, HEATING, HEATING_PLACE);
        again.put("lxdh", "13900000005"); // a neighbour
        var second = platform.push(hub.url(""), again);
        await().atMost(Duration.ofSeconds(20)).until(() -> heatingCase.equals(cases.caseIdOfAppeal(second.appealId())));

        // 12345 refuses the heating progress note for GD...0002 for good; the merged GD...0005 takes it.
        platform.wireMock().stubFor(post(urlEqualTo("/api/v1/workorders/GD20250601000002/reply")).atPriority(1)
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":40004,\"msg\":\"工单状态不允许回复\"}")));
        department.reply(streetLight, "accept", null);
        department.reply(heating, "accept", null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            platform.wireMock().verify(postRequestedFor(urlEqualTo("/api/v1/workorders/GD20250601000001/reply"))
                    .withRequestBody(matchingJsonPath("$.blzt", equalTo("办理中"))));
            platform.wireMock().verify(postRequestedFor(urlEqualTo("/api/v1/workorders/GD20250601000002/reply")));
            platform.wireMock().verify(postRequestedFor(urlEqualTo("/api/v1/workorders/GD20250601000005/reply")));
        });

        // Then 12345 is down for the street light's result: it keeps failing and is retried.
        platform.wireMock().stubFor(post(urlEqualTo("/api/v1/workorders/GD20250601000001/reply")).atPriority(1)
                .willReturn(aResponse().withStatus(503)));
        department.reply(streetLight, "resolve", "路灯已修复。");

        // A reply nobody can use is parked on hub.dead.replies.
        department.send("hub.task.replies", "this is not a reply");

        // Time passes: the heating task (accepted, not resolved) is now past its deadline.
        int moved = hub.bean(JdbcTemplate.class).update("update task set deadline = ? where task_id = ?",
                OffsetDateTime.now(ZoneOffset.UTC).minusHours(1), heating.path("taskId").asText());
        assertThat(moved).isEqualTo(1);
    }

    PrometheusScrape scrape() {
        return PrometheusScrape.of(http, hub);
    }

    @Test
    void domainGaugesShowWhatTheStoreAndTheBrokerHold() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            PrometheusScrape s = scrape();
            assertThat(s.value("hub_channel_items", "channel", HOTLINE, "status", "ACCEPTED")).isEqualTo(3.0);
            assertThat(s.value("hub_channel_items", "channel", HOTLINE, "status", "DUPLICATE")).isEqualTo(1.0);
            assertThat(s.value("hub_channel_items", "channel", HOTLINE, "status", "INVALID")).isEqualTo(1.0);
            assertThat(s.value("hub_channel_items", "channel", HOTLINE, "status", "REJECTED")).isEqualTo(1.0);
            assertThat(s.value("hub_channel_items", "channel", HOTLINE, "status", "RECEIVED")).isEqualTo(0.0);
            assertThat(s.value("hub_channel_merged", "channel", HOTLINE)).isEqualTo(1.0);

            assertThat(s.value("hub_org_tasks", "org", "D16", "state", "dispatched")).isEqualTo(1.0);
            assertThat(s.value("hub_org_tasks", "org", "D16", "state", "open")).isEqualTo(0.0);
            assertThat(s.value("hub_org_tasks", "org", "D16", "state", "overdue")).isEqualTo(0.0);
            assertThat(s.value("hub_org_tasks", "org", "D44", "org_name", "热力公司", "kind", "department",
                    "state", "dispatched")).isEqualTo(1.0);
            assertThat(s.value("hub_org_tasks", "org", "D44", "state", "open")).isEqualTo(1.0);
            assertThat(s.value("hub_org_tasks", "org", "D44", "state", "overdue")).isEqualTo(1.0);
            assertThat(s.value("hub_org_tasks", "org", "T10", "org_name", "小寨乡", "kind", "township",
                    "state", "open")).as("an organisation without tasks shows 0").isEqualTo(0.0);

            assertThat(s.value("hub_feedback_items", "channel", HOTLINE, "state", "sent")).isEqualTo(2.0);
            assertThat(s.value("hub_feedback_items", "channel", HOTLINE, "state", "refused")).isEqualTo(1.0);
            assertThat(s.value("hub_feedback_items", "channel", HOTLINE, "state", "failing")).isEqualTo(1.0);
            assertThat(s.value("hub_feedback_items", "channel", HOTLINE, "state", "pending")).isEqualTo(0.0);

            assertThat(s.value("hub_dead_letters", "queue", "hub.dead.replies")).isEqualTo(1.0);
            assertThat(s.value("hub_dead_letters", "queue", "DLA::DLQ.hub.intake")).isEqualTo(0.0);
        });
    }

    @Test
    void noTagCarriesAPhoneOrAName() {
        PrometheusScrape s = scrape();
        for (String name : List.of("hub_channel_items", "hub_channel_merged", "hub_org_tasks", "hub_feedback_items",
                "hub_dead_letters")) {
            assertThat(s.samples(name)).as(name).isNotEmpty();
            for (PrometheusScrape.Sample sample : s.samples(name)) {
                assertThat(sample.labels().values()).noneMatch(v -> v.matches(".*\\d{7,}.*") || v.contains("张某"));
            }
        }
    }

    @Test
    void camelRouteMetricsAreExposed() {
        PrometheusScrape s = scrape();
        assertThat(s.value("camel_exchanges_total", "eventType", "route", "routeId", "hotline12345-push"))
                .as("every push is an exchange of the push route").isGreaterThanOrEqualTo(4.0);
        assertThat(s.value("camel_exchanges_total", "eventType", "route", "routeId", "dispatch")).isGreaterThanOrEqualTo(3.0);
        assertThat(s.value("camel_exchanges_total", "eventType", "route", "routeId", "task-replies")).isGreaterThanOrEqualTo(4.0);
        assertThat(s.value("camel_exchanges_failed_total", "eventType", "route", "routeId", "dispatch")).isNotNull();
        assertThat(s.value("camel_exchanges_inflight", "routeId", "dispatch")).isNotNull();
        assertThat(s.value("camel_route_policy_seconds_count", "eventType", "route", "routeId", "feedback-hotline12345"))
                .isGreaterThan(0.0);
        assertThat(s.samples("camel_exchanges_total")).allMatch(x -> "appeal-hub".equals(x.labels().get("camelContext")));
        assertThat(s.samples("camel_exchange_event_notifier_seconds_count"))
                .as("calls to 12345 (from outside any route) are timed too")
                .anyMatch(x -> x.labels().get("endpointName").equals(platform.baseUrl()) && x.value() >= 3);
    }

    // ---- the Grafana dashboard: valid, importable, and querying only what the hub exposes ----

    /** PromQL words that look like metric names but are not. */
    static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset");
    /** Labels Prometheus adds when it scrapes; the hub cannot expose them. */
    static final Set<String> SCRAPE_LABELS = Set.of("instance", "job");
    static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)\\}");
    static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!=|!~|=)\\s*\"([^\"]*)\"");
    static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");
    static final Pattern LITERAL = Pattern.compile("[\\w.:-]+");
    static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(?![a-zA-Z0-9_:]|\\s*\\()");

    static Set<String> metricsOf(String expr) {
        String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*\\}", " ")
                .replaceAll("\\[[^\\]]*\\]", " ")
                .replaceAll("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            if (!PROMQL_WORDS.contains(m.group())) names.add(m.group());
        }
        return names;
    }

    @Test
    void metricNamesAreFoundInExpressions() {
        assertThat(metricsOf("sort_desc(sum by (org, org_name) (hub_org_tasks{state=\"open\",instance=~\"$instance\"}) > 0)"))
                .containsExactly("hub_org_tasks");
        assertThat(metricsOf("sum by (routeId) (rate(a_total{x=\"y\"}[$__rate_interval])) / sum(rate(b_count[5m]))"))
                .containsExactly("a_total", "b_count");
    }

    @Test
    void theGrafanaDashboardQueriesOnlyWhatTheHubExposes() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
        assertThat(dashboard.path("__inputs")).anySatisfy(i -> {
            assertThat(i.path("name").asText()).isEqualTo("DS_PROMETHEUS");
            assertThat(i.path("pluginId").asText()).isEqualTo("prometheus");
        });
        assertThat(dashboard.path("title").asText()).isNotBlank();

        List<String> exprs = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if ("row".equals(panel.path("type").asText())) continue;
            assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText())
                    .isEqualTo("${DS_PROMETHEUS}");
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
            for (JsonNode target : panel.path("targets")) exprs.add(target.path("expr").asText());
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            exprs.add(variable.path("query").path("query").asText().replaceAll("^label_values\\((\\w+),.*$", "$1"));
        }

        domainGaugesShowWhatTheStoreAndTheBrokerHold(); // the hub has data for every family
        PrometheusScrape scrape = scrape();
        Set<String> queried = new LinkedHashSet<>();
        for (String expr : exprs) {
            Set<String> metrics = metricsOf(expr);
            assertThat(metrics).as("metrics in " + expr).isNotEmpty();
            queried.addAll(metrics);
            assertThat(scrape.names()).as("exposed by the hub, queried by " + expr).containsAll(metrics);

            Matcher selector = SELECTOR.matcher(expr);
            while (selector.find()) {
                List<PrometheusScrape.Sample> series = scrape.samples(selector.group(1));
                Matcher m = MATCHER.matcher(selector.group(2));
                while (m.find()) {
                    String label = m.group(1);
                    if (SCRAPE_LABELS.contains(label) || m.group(2).startsWith("!")) continue;
                    List<String> wanted = "=".equals(m.group(2)) ? List.of(m.group(3)) : List.of(m.group(3).split("\\|"));
                    for (String value : wanted) {
                        if (!"=".equals(m.group(2)) && !LITERAL.matcher(value).matches()) {
                            Pattern regex = Pattern.compile(value);
                            assertThat(series).as(selector.group(1) + " with " + label + "=~" + value + " in " + expr)
                                    .anyMatch(x -> x.labels().containsKey(label) && regex.matcher(x.labels().get(label)).matches());
                            continue;
                        }
                        assertThat(series).as(selector.group(1) + " with " + label + "=" + value + " in " + expr)
                                .anyMatch(x -> value.equals(x.labels().get(label)));
                    }
                }
            }
            Matcher grouping = GROUPING.matcher(expr);
            while (grouping.find()) {
                for (String label : grouping.group(1).split(",")) {
                    assertThat(metrics).as("a metric of " + expr + " has label " + label.strip())
                            .anyMatch(metric -> scrape.samples(metric).stream()
                                    .anyMatch(x -> x.labels().containsKey(label.strip())));
                }
            }
        }
        assertThat(queried).as("every family has a panel").contains("hub_channel_items", "hub_channel_merged",
                "hub_org_tasks", "hub_feedback_items", "hub_dead_letters", "camel_exchanges_total",
                "camel_exchanges_failed_total", "camel_exchanges_inflight");
    }
}
