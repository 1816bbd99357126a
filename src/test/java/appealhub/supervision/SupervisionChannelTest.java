package appealhub.supervision;

import static appealhub.supervision.SupervisionRelay.HEADER;
import static appealhub.supervision.SupervisionRelay.clue;
import static appealhub.supervision.SupervisionRelay.csv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.store.CaseStore;
import appealhub.store.RawItemStore;
import appealhub.store.TaskStore;
import appealhub.support.Department;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The supervision channel end to end, as the relay and the departments see it: GBK clue files
 * dropped into the inbox (with and without their .ok), tasks on department queues, answers
 * coming back as rows of DCJG_ result files in the outbox, bad rows in an errors file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SupervisionChannelTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String DAY = ZonedDateTime.now(SupervisionRelay.BEIJING).format(DateTimeFormatter.ofPattern("yyyyMMdd"));
    static final Duration LONG = Duration.ofSeconds(30);

    TestHub hub;
    Department department;
    SupervisionRelay relay;
    HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path data, @TempDir Path files) {
        relay = new SupervisionRelay(files);
        hub = new TestHub(data, "http://127.0.0.1:1", Map.ofEntries(
                Map.entry("hub.channels.supervision.inbox", relay.inbox.toString()),
                Map.entry("hub.channels.supervision.outbox", relay.outbox.toString()),
                Map.entry("hub.channels.supervision.processed", relay.processed.toString()),
                Map.entry("hub.channels.supervision.poll-delay-ms", 300),
                // batches only on demand here, so a 17:00 run cannot mix into the assertions
                Map.entry("hub.channels.supervision.result-cron", "-"),
                Map.entry("hub.channels.leaderboard.enabled", false),
                Map.entry("hub.channels.miniprogram.enabled", false),
                Map.entry("hub.channels.wechat.enabled", false),
                Map.entry("hub.channels.grid.enabled", false))).start();
        department = new Department(hub.brokerUrl());
    }

    @AfterAll
    void stop() {
        if (department != null) department.close();
        if (hub != null) hub.close();
    }

    @Test
    void aGoodFileBecomesTasksAndTheDepartmentsAnswersComeBackInAResultFile() throws Exception {
        // GBK, a quoted multi-line content with commas and quotes, a deadline three hours away.
        String content = "我在码头李镇买的商品房交房两年了，开发商一直不给办房产证，\r\n"
                + "说\"手续不全\"，到不动产登记中心问，说要开发商先办首次登记，\r\n请督促解决。";
        ZonedDateTime now = ZonedDateTime.now(SupervisionRelay.BEIJING);
        String deadline = now.plusHours(3).format(SupervisionRelay.TIME);
        List<String> house = List.of("DC-A-0001", now.minusHours(2).format(SupervisionRelay.TIME), "王某某", "13911112222",
                "商品房办证难", content, "河北省衡水市冀州区码头李镇", "政务服务", deadline);
        List<String> heating = clue("DC-A-0002", "暖气不热", "南午村集中供暖暖气不热，室内只有十三度。",
                "河北省衡水市冀州区南午村镇", "民生保障");
        relay.drop("DC_" + DAY + "_001.csv", csv(HEADER, List.of(house, heating)), true);

        JsonNode task = department.receive("dept.D39.tasks", 30_000);
        assertThat(task).as("the 不动产登记 clue on the registration centre's queue").isNotNull();
        JsonNode appeal = task.path("appeal");
        assertThat(appeal.path("channel").asText()).isEqualTo("supervision");
        assertThat(appeal.path("title").asText()).isEqualTo("商品房办证难");
        assertThat(appeal.path("content").asText()).isEqualTo(content.replace("\r\n", "\n"));
        assertThat(appeal.path("location").path("address").asText()).isEqualTo("河北省衡水市冀州区码头李镇");
        assertThat(appeal.path("channelType").asText()).isEqualTo("政务服务");
        assertThat(task.path("townshipCode").asText()).isEqualTo("T05");
        assertThat(appeal.path("citizen").path("name").asText()).isEqualTo("王某某");
        assertThat(appeal.path("citizen").path("phone").asText()).isEqualTo("13911112222");
        // 办理期限 (Beijing time) is the channel's deadline, earlier than the hub's own: it is the task's.
        assertThat(Instant.parse(task.path("deadline").asText()))
                .isEqualTo(java.time.LocalDateTime.parse(deadline, SupervisionRelay.TIME).atZone(SupervisionRelay.BEIJING).toInstant());
        assertThat(department.receive("dept.D44.tasks", 30_000)).as("the heating clue on the heat company's queue").isNotNull();

        CaseStore cases = hub.bean(CaseStore.class);
        String appealId = cases.appealIdBySource("supervision", "DC-A-0001").orElseThrow();
        assertThat(cases.appealsOfCase(cases.caseIdOfAppeal(appealId)).get(0).channelFields())
                .containsEntry("督查类别", "政务服务");

        // The whole file raw, then each row raw (its own text).
        RawItemStore raw = hub.bean(RawItemStore.class);
        var rows = raw.bySource("supervision", "DC-A-0001");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).kind()).isEqualTo("row");
        assertThat(rows.get(0).status()).hasToString("ACCEPTED");
        assertThat(new String(rows.get(0).body(), StandardCharsets.UTF_8)).startsWith("DC-A-0001,").contains("\"\"手续不全\"\"");
        var fileRaw = raw.bySource("supervision", "DC_" + DAY + "_001.csv");
        assertThat(fileRaw).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo("file");
            assertThat(new String(r.body(), SupervisionRelay.GBK)).contains("DC-A-0002");
        });

        // The file and its .ok left the inbox for the processed folder.
        await().atMost(LONG).untilAsserted(() -> assertThat(SupervisionRelay.list(relay.processed))
                .contains("DC_" + DAY + "_001.csv", "DC_" + DAY + "_001.csv.ok"));
        await().atMost(LONG).untilAsserted(() -> assertThat(SupervisionRelay.list(relay.inbox))
                .doesNotContain("DC_" + DAY + "_001.csv", "DC_" + DAY + "_001.csv.ok"));

        // The department answers; the result text starts like a formula and carries a phone number.
        department.reply(task, "accept", null);
        // (replies are applied in parallel: a resolve sent right away could overtake the accept)
        await().atMost(LONG).until(() -> "ACCEPTED".equals(String.valueOf(cases.findCase(cases.caseIdOfAppeal(appealId)).status())));
        department.reply(task, "resolve", "=HYPERLINK(\"http://x\") 已协调开发商办理首次登记，可联系13912345678。");
        await().atMost(LONG).untilAsserted(() -> assertThat(statuses("DC-A-0001")).containsExactly("已受理", "办理中", "已办结"));

        JsonNode batch = post("/ops/supervision/result-batch");
        String name = batch.path("file").asText();
        assertThat(name).matches("DCJG_" + DAY + "_\\d{3}\\.csv");
        assertThat(relay.outboxFiles()).contains(name, name + ".ok");
        List<CSVRecord> records = relay.readResults(name);
        assertThat(records.get(0).toList()).containsExactly("线索编号", "办理状态", "办理结果", "办理单位", "办结时间");
        List<CSVRecord> mine = records.stream().filter(r -> r.get(0).equals("DC-A-0001")).toList();
        assertThat(mine).extracting(r -> r.get(1)).containsExactly("已受理", "办理中", "已办结");
        CSVRecord result = mine.get(2);
        assertThat(result.get(2)).startsWith("'=HYPERLINK(").contains("139****5678").doesNotContain("13912345678");
        assertThat(result.get(3)).isEqualTo("不动产登记中心");
        assertThat(result.get(4)).matches("\\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}");
        assertThat(mine.get(0).get(3)).as("已受理 by the centre itself").isEqualTo("冀州区综治中心");
    }

    @Test
    void aFileIsNotReadBeforeItsOkMarkerAndIsReadOnceItComes() {
        String name = "DC_" + DAY + "_020.csv";
        relay.drop(name, csv(HEADER, List.of(clue("DC-B-0001", "路灯不亮", "小寨乡魏家庄村主街路灯坏了半年。",
                "河北省衡水市冀州区小寨乡", "其他"))), false);
        CaseStore cases = hub.bean(CaseStore.class);
        // Many polls (every 300 ms) go by: the file stays unread while the relay may still be writing it.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() ->
                cases.appealIdBySource("supervision", "DC-B-0001").isEmpty() && Files.exists(relay.inbox.resolve(name)));

        relay.ok(name);
        await().atMost(LONG).until(() -> cases.appealIdBySource("supervision", "DC-B-0001").isPresent());
        await().atMost(LONG).untilAsserted(() -> assertThat(SupervisionRelay.list(relay.processed)).contains(name, name + ".ok"));
    }

    @Test
    void badRowsGoToTheErrorsFileWithTheirReasonsWhileGoodRowsGoIn() throws Exception {
        String name = "DC_" + DAY + "_030.csv";
        List<String> good = clue("DC-C-0001", "欠薪", "周村镇张庄村工地拖欠农民工工资三个月。", "河北省衡水市冀州区周村镇", "民生保障");
        List<String> shortRow = List.of("DC-C-0002", "2025/04/09 10:00", "李某", "13700000000", "少了列");
        List<String> badDate = List.of("DC-C-0003", "2025-04-09 10:00", "李某", "", "=1+1", "日期格式不对。",
                "河北省衡水市冀州区", "其他", "");
        List<String> noId = List.of("", "2025/04/09 10:00", "李某", "", "无编号", "没有线索编号的一条。", "河北省衡水市冀州区", "其他", "");
        List<String> noContent = List.of("DC-C-0005", "2025/04/09 10:00", "李某", "", "无内容", " ", "河北省衡水市冀州区", "其他", "");
        List<String> good2 = clue("DC-C-0006", "停水", "冀州镇南关村连续三天停水。", "河北省衡水市冀州区冀州镇", "民生保障");
        relay.drop(name, csv(HEADER, List.of(good, shortRow, badDate, noId, noContent, good2)), true);

        Path errors = relay.processed.resolve("DC_" + DAY + "_030.csv.errors.csv");
        await().atMost(LONG).until(() -> Files.exists(errors) && Files.exists(relay.processed.resolve(name)));
        CaseStore cases = hub.bean(CaseStore.class);
        assertThat(cases.appealIdBySource("supervision", "DC-C-0001")).isPresent();
        assertThat(cases.appealIdBySource("supervision", "DC-C-0006")).as("a good row after bad ones").isPresent();
        assertThat(cases.appealIdBySource("supervision", "DC-C-0003")).isEmpty();
        assertThat(cases.appealIdBySource("supervision", "DC-C-0005")).isEmpty();

        byte[] bytes = Files.readAllBytes(errors);
        assertThat(bytes).startsWith(0xEF, 0xBB, 0xBF); // UTF-8 BOM: Excel and WPS open it as UTF-8
        List<CSVRecord> lines = SupervisionRelay.read(errors, StandardCharsets.UTF_8);
        List<String> header = new ArrayList<>(HEADER);
        header.add("错误原因");
        assertThat(lines.get(0).toList()).isEqualTo(header);
        assertThat(lines).hasSize(5);
        assertThat(lines.subList(1, 5)).allSatisfy(l -> assertThat(l.size()).isEqualTo(10));
        assertThat(lines.get(1).get(0)).isEqualTo("DC-C-0002");
        assertThat(lines.get(1).get(9)).isEqualTo("列数应为9，实际为5");
        assertThat(lines.get(2).get(0)).isEqualTo("DC-C-0003");
        assertThat(lines.get(2).get(4)).as("formula neutralised").isEqualTo("'=1+1");
        assertThat(lines.get(2).get(9)).contains("提交时间格式应为yyyy/MM/dd HH:mm");
        assertThat(lines.get(3).get(9)).isEqualTo("线索编号为空");
        assertThat(lines.get(4).get(9)).isEqualTo("反映内容为空");

        // Operations: the raw rows are kept INVALID with their reason, listed without any case file.
        String invalid = get("/ops/raw?status=INVALID&limit=100");
        assertThat(invalid).contains(name + " 第2条（第3行）：列数应为9，实际为5")
                .contains("线索编号为空").contains("反映内容为空").contains("提交时间格式应为");
        assertThat(invalid).doesNotContain("13700000000"); // phones masked in the listing
        List<RawItemStore.RawItem> rows = hub.bean(RawItemStore.class).bySource("supervision", "DC-C-0003");
        assertThat(rows).singleElement().satisfies(r -> assertThat(r.status()).hasToString("INVALID"));
        JsonNode files = JSON.readTree(get("/ops/supervision/files"));
        JsonNode record = find(files, name);
        assertThat(record.path("status").asText()).isEqualTo("PARTIAL");
        assertThat(record.path("rowsTaken").asInt()).isEqualTo(2);
        assertThat(record.path("rowsBad").asInt()).isEqualTo(4);
    }

    @Test
    void aWrongHeaderRefusesTheWholeFileWithAClearReason() throws Exception {
        String name = "DC_" + DAY + "_040.csv";
        List<String> swapped = new ArrayList<>(HEADER);
        swapped.set(1, "反映人");
        swapped.set(2, "提交时间");
        relay.drop(name, csv(swapped, List.of(clue("DC-D-0001", "噪音", "夜间施工扰民。", "河北省衡水市冀州区", "其他"))), true);

        await().atMost(LONG).until(() -> Files.exists(relay.processed.resolve(name)));
        assertThat(hub.bean(CaseStore.class).appealIdBySource("supervision", "DC-D-0001")).isEmpty();
        var fileRaw = hub.bean(RawItemStore.class).bySource("supervision", name);
        assertThat(fileRaw).singleElement().satisfies(r -> {
            assertThat(r.status()).hasToString("INVALID");
            assertThat(r.error()).startsWith("表头不符，整个文件未导入").contains("实际为：线索编号,反映人,提交时间");
        });
        List<CSVRecord> errors = SupervisionRelay.read(relay.processed.resolve("DC_" + DAY + "_040.csv.errors.csv"), StandardCharsets.UTF_8);
        assertThat(errors.get(1).get(9)).startsWith("表头不符");
        assertThat(find(JSON.readTree(get("/ops/supervision/files")), name).path("status").asText()).isEqualTo("REFUSED");
    }

    @Test
    void rowsResentUnderANewNameAreRecognisedAndNotTakenTwice() throws Exception {
        List<String> first = clue("DC-E-0001", "供电", "西王镇东王村频繁停电，电压不稳。", "河北省衡水市冀州区西王镇", "民生保障");
        List<String> second = clue("DC-E-0002", "低保", "门庄乡孙家庄村低保申请半年没有结果。", "河北省衡水市冀州区门庄乡", "民生保障");
        relay.drop("DC_" + DAY + "_050.csv", csv(HEADER, List.of(first)), true);
        JsonNode task = department.receive("dept.D41.tasks", 30_000);
        assertThat(task).isNotNull();

        // Re-sent under a new name with the old row and a new one, then once more under the old name.
        relay.drop("DC_" + DAY + "_051.csv", csv(HEADER, List.of(first, second)), true);
        CaseStore cases = hub.bean(CaseStore.class);
        await().atMost(LONG).until(() -> cases.appealIdBySource("supervision", "DC-E-0002").isPresent());
        await().atMost(LONG).until(() -> Files.exists(relay.processed.resolve("DC_" + DAY + "_051.csv")));
        relay.drop("DC_" + DAY + "_050.csv", csv(HEADER, List.of(first)), true);
        await().atMost(LONG).until(() -> Files.exists(relay.processed.resolve("DC_" + DAY + "_050.2.csv")));

        List<RawItemStore.RawItem> raws = hub.bean(RawItemStore.class).bySource("supervision", "DC-E-0001");
        assertThat(raws).extracting(RawItemStore.RawItem::status).containsExactly("ACCEPTED", "DUPLICATE", "DUPLICATE");
        assertThat(department.receive("dept.D41.tasks", 2000)).as("no second task for the re-sent clue").isNull();
        JsonNode files = JSON.readTree(get("/ops/supervision/files"));
        assertThat(find(files, "DC_" + DAY + "_051.csv").path("rowsKnown").asInt()).isEqualTo(1);
        assertThat(find(files, "DC_" + DAY + "_051.csv").path("rowsTaken").asInt()).isEqualTo(1);
        // The first file under that name is kept, not overwritten.
        assertThat(SupervisionRelay.list(relay.processed)).contains("DC_" + DAY + "_050.csv", "DC_" + DAY + "_050.csv.ok",
                "DC_" + DAY + "_050.2.csv", "DC_" + DAY + "_050.2.csv.ok");
    }

    @Test
    void eachResultIsInExactlyOneBatchFileAndAnEmptyBatchWritesNoFile() throws Exception {
        JdbcTemplate jdbc = hub.bean(JdbcTemplate.class);
        relay.drop("DC_" + DAY + "_060.csv", csv(HEADER, List.of(clue("DC-F-0001", "燃气", "北漳淮乡河东村燃气费收取不合理。",
                "河北省衡水市冀州区北漳淮乡", "民生保障"))), true);
        await().atMost(LONG).untilAsserted(() -> assertThat(statuses("DC-F-0001")).contains("已受理"));
        awaitNoFeedbackPending(jdbc);
        JsonNode one = post("/ops/supervision/result-batch");
        assertThat(one.path("file").isNull()).isFalse();

        relay.drop("DC_" + DAY + "_061.csv", csv(HEADER, List.of(clue("DC-F-0002", "宽带", "徐家庄乡李家洼村电信宽带经常断网。",
                "河北省衡水市冀州区徐家庄乡", "其他"))), true);
        await().atMost(LONG).untilAsserted(() -> assertThat(statuses("DC-F-0002")).contains("已受理"));
        awaitNoFeedbackPending(jdbc);
        JsonNode two = post("/ops/supervision/result-batch");
        String second = two.path("file").asText();
        int seq1 = Integer.parseInt(one.path("file").asText().substring(14, 17));
        assertThat(second).isEqualTo("DCJG_" + DAY + "_" + String.format("%03d", seq1 + 1) + ".csv");
        assertThat(relay.readResults(second).stream().filter(r -> r.get(0).equals("DC-F-0002")).toList()).hasSize(1);

        List<String> before = relay.outboxFiles();
        JsonNode empty = post("/ops/supervision/result-batch");
        assertThat(empty.path("message").asText()).isEqualTo("nothing to write");
        assertThat(empty.path("file").isNull()).isTrue();
        assertThat(relay.outboxFiles()).isEqualTo(before);

        // Across every batch file: each recorded result once, none left out.
        List<String> seen = new ArrayList<>();
        for (String f : relay.outboxFiles()) {
            if (!f.endsWith(".csv")) continue;
            assertThat(relay.outboxFiles()).contains(f + ".ok");
            for (CSVRecord r : relay.readResults(f).subList(1, relay.readResults(f).size())) {
                seen.add(r.get(0) + "|" + r.get(1) + "|" + r.get(2) + "|" + r.get(4));
            }
        }
        Set<String> unique = new HashSet<>(seen);
        assertThat(seen).hasSameSizeAs(unique);
        Integer recorded = jdbc.queryForObject("select count(*) from supervision_result", Integer.class);
        assertThat(seen).hasSize(recorded);
        assertThat(jdbc.queryForObject("select count(*) from supervision_result where batch_id is null", Integer.class)).isZero();
    }

    @Test
    void aBatchLeftHalfWayByACrashIsFinishedByTheNextRunWithoutDuplicates() throws Exception {
        JdbcTemplate jdbc = hub.bean(JdbcTemplate.class);
        relay.drop("DC_" + DAY + "_070.csv", csv(HEADER, List.of(clue("DC-G-0001", "公交", "冀州镇长安路社区公交站牌损坏。",
                "河北省衡水市冀州区冀州镇", "其他"))), true);
        await().atMost(LONG).untilAsserted(() -> assertThat(statuses("DC-G-0001")).contains("已受理"));
        awaitNoFeedbackPending(jdbc);
        // A crash right after the results were assigned to a batch: no file, no .ok.
        var store = hub.bean(appealhub.connectors.supervision.SupervisionStore.class);
        var assigned = store.assignBatch(DAY);
        assertThat(assigned).isNotNull();
        assertThat(relay.outboxFiles()).doesNotContain(assigned.fileName());

        JsonNode run = post("/ops/supervision/result-batch");
        assertThat(run.path("written").toString()).contains(assigned.fileName());
        assertThat(relay.outboxFiles()).contains(assigned.fileName(), assigned.fileName() + ".ok");
        assertThat(relay.readResults(assigned.fileName()).stream().filter(r -> r.get(0).equals("DC-G-0001"))).hasSize(1);
        assertThat(post("/ops/supervision/result-batch").path("message").asText()).isEqualTo("nothing to write");
    }

    @Test
    void aRowWithABadByteIsOneBadRowInTheErrorsFileAndTheOtherRowsAreTaken() throws Exception {
        String name = "DC_" + DAY + "_080.csv";
        String before = csv(HEADER, List.of(clue("DC-H-0001", "占道经营", "冀州镇长安路早市占道经营，堵塞交通。",
                "河北省衡水市冀州区冀州镇", "其他")));
        String after = csv(List.of("DC-H-0003", ZonedDateTime.now(SupervisionRelay.BEIJING).minusHours(1).format(SupervisionRelay.TIME),
                "赵某", "", "路面积水", "南关村雨后路面积水严重。", "河北省衡水市冀州区冀州镇", "其他", ""), List.of());
        // Row 2: a byte that is not GBK (0xFF) in the middle of its content.
        byte[] bytes = concat(before.getBytes(SupervisionRelay.GBK),
                "DC-H-0002,2025/04/09 10:00,李某,,噪音,夜间施工".getBytes(SupervisionRelay.GBK), new byte[] {(byte) 0xFF},
                "扰民。,河北省衡水市冀州区,其他,\r\n".getBytes(SupervisionRelay.GBK), after.getBytes(SupervisionRelay.GBK));
        relay.drop(name, bytes, true);

        Path errors = relay.processed.resolve(name + ".errors.csv");
        await().atMost(LONG).until(() -> Files.exists(errors) && Files.exists(relay.processed.resolve(name)));
        CaseStore cases = hub.bean(CaseStore.class);
        assertThat(cases.appealIdBySource("supervision", "DC-H-0001")).isPresent();
        assertThat(cases.appealIdBySource("supervision", "DC-H-0003")).as("the row after the bad one").isPresent();
        assertThat(cases.appealIdBySource("supervision", "DC-H-0002")).isEmpty();
        List<CSVRecord> lines = SupervisionRelay.read(errors, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1).get(0)).isEqualTo("DC-H-0002");
        assertThat(lines.get(1).get(5)).isEqualTo("夜间施工\uFFFD扰民。");
        assertThat(lines.get(1).get(9)).isEqualTo(appealhub.connectors.supervision.SupervisionFileParser.BAD_BYTES);
        assertThat(hub.bean(RawItemStore.class).bySource("supervision", "DC-H-0002")).singleElement()
                .satisfies(r -> assertThat(r.error()).isEqualTo(name + " 第2条（第3行）：" + appealhub.connectors.supervision.SupervisionFileParser.BAD_BYTES));
        JsonNode record = find(JSON.readTree(get("/ops/supervision/files")), name);
        assertThat(record.path("status").asText()).isEqualTo("PARTIAL");
        assertThat(record.path("rowsTaken").asInt()).isEqualTo(2);
        assertThat(record.path("rowsBad").asInt()).isEqualTo(1);
        assertThat(record.path("errorsFile").asText()).endsWith(name + ".errors.csv");
    }

    @Test
    void aClueResentAfterItsResultIsADuplicateAndReopensNothing() throws Exception {
        List<String> row = clue("DC-J-0001", "低保", "码头李镇东街村低保申请三个月没有答复。", "河北省衡水市冀州区码头李镇", "民生保障");
        relay.drop("DC_" + DAY + "_100.csv", csv(HEADER, List.of(row)), true);
        CaseStore cases = hub.bean(CaseStore.class);
        String caseId = resolveClue("DC-J-0001", "已为其办理低保。");
        JdbcTemplate jdbc = hub.bean(JdbcTemplate.class);
        awaitNoFeedbackPending(jdbc);

        // The relay sends the clue again in a later file, after the result went out.
        relay.drop("DC_" + DAY + "_101.csv", csv(HEADER, List.of(row)), true);
        await().atMost(LONG).until(() -> Files.exists(relay.processed.resolve("DC_" + DAY + "_101.csv")));
        assertThat(hub.bean(RawItemStore.class).bySource("supervision", "DC-J-0001"))
                .extracting(RawItemStore.RawItem::status).containsExactly("ACCEPTED", "DUPLICATE");
        assertThat(find(JSON.readTree(get("/ops/supervision/files")), "DC_" + DAY + "_101.csv").path("rowsKnown").asInt()).isEqualTo(1);
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(cases.findCase(caseId).status()).hasToString("RESOLVED");
            assertThat(cases.findCase(caseId).round()).isZero();
        });
        assertThat(hub.bean(TaskStore.class).ofCaseRound(caseId, 1)).as("no new task").isEmpty();
        assertThat(cases.events(caseId)).extracting(CaseStore.CaseEvent::type).doesNotContain("reopened");
        assertThat(statuses("DC-J-0001")).as("no second 已受理").containsExactly("已受理", "办理中", "已办结");
    }

    @Test
    void aCharacterGbkCannotHoldIsWrittenAsASubstituteAndShownToOperations() throws Exception {
        relay.drop("DC_" + DAY + "_110.csv", csv(HEADER, List.of(clue("DC-K-0001", "户籍", "西王镇前屯村村民户口迁移办不下来。",
                "河北省衡水市冀州区西王镇", "政务服务"))), true);
        String caseId = resolveClue("DC-K-0001", "已办理户口迁移，材料见\uD842\uDFB7字号档案😀");
        await().atMost(LONG).untilAsserted(() -> assertThat(statuses("DC-K-0001")).contains("已办结"));
        var result = hub.bean(appealhub.connectors.supervision.SupervisionStore.class).resultsOfClue("DC-K-0001").stream()
                .filter(r -> "已办结".equals(r.statusText())).findFirst().orElseThrow();
        assertThat(result.resultText()).isEqualTo("已办理户口迁移，材料见□字号档案□");
        assertThat(result.substituted()).isEqualTo("U+20BB7 U+1F600");

        String name = post("/ops/supervision/result-batch").path("file").asText();
        CSVRecord written = relay.readResults(name).stream()
                .filter(r -> r.get(0).equals("DC-K-0001") && r.get(1).equals("已办结")).findFirst().orElseThrow();
        assertThat(written.get(2)).isEqualTo("已办理户口迁移，材料见□字号档案□").doesNotContain("?");
        // Operations see it: in the batches listing and in the case file.
        JsonNode substituted = JSON.readTree(get("/ops/supervision/batches")).path("substituted");
        assertThat(substituted.toString()).contains("DC-K-0001").contains("U+20BB7 U+1F600");
        await().atMost(LONG).untilAsserted(() -> assertThat(hub.bean(CaseStore.class).events(caseId))
                .filteredOn(e -> "fed-back".equals(e.type()) && e.detail().contains("已办结"))
                .singleElement().satisfies(e -> assertThat(e.detail()).contains("U+20BB7").contains("□")));
    }

    /** Waits for the clue's case, has its lead department resolve it; the case id. */
    private String resolveClue(String clueId, String text) {
        CaseStore cases = hub.bean(CaseStore.class);
        TaskStore tasks = hub.bean(TaskStore.class);
        await().atMost(LONG).until(() -> cases.appealIdBySource("supervision", clueId)
                .map(a -> cases.caseIdOfAppeal(a)).map(c -> "DISPATCHED".equals(cases.findCase(c).status().name())).orElse(false));
        String caseId = cases.caseIdOfAppeal(cases.appealIdBySource("supervision", clueId).orElseThrow());
        TaskStore.TaskRecord lead = tasks.ofCaseRound(caseId, 0).stream()
                .filter(t -> "lead".equals(String.valueOf(t.role()))).findFirst().orElseThrow();
        JsonNode task = Department.json(department.awaitMessage(lead.queue(), m -> lead.taskId().equals(Department.property(m, "taskId"))));
        department.reply(task, "resolve", text);
        await().atMost(LONG).until(() -> "RESOLVED".equals(cases.findCase(caseId).status().name()));
        return caseId;
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    // ------------------------------------------------------------------ helpers

    private List<String> statuses(String clueId) {
        return hub.bean(appealhub.connectors.supervision.SupervisionStore.class).resultsOfClue(clueId).stream()
                .map(appealhub.connectors.supervision.SupervisionStore.Result::statusText).toList();
    }

    private void awaitNoFeedbackPending(JdbcTemplate jdbc) {
        await().atMost(LONG).until(() -> jdbc.queryForObject(
                "select count(*) from feedback_outbox where channel = 'supervision' and status = 'PENDING'", Integer.class) == 0);
    }

    private static JsonNode find(JsonNode files, String name) {
        for (JsonNode f : files) if (f.path("fileName").asText().equals(name)) return f;
        throw new AssertionError("no record of " + name + " in " + files);
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = http.send(hub.opsRequest(path).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private JsonNode post(String path) throws Exception {
        HttpResponse<String> r = http.send(hub.opsRequest(path)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
