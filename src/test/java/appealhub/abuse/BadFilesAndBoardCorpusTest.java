package appealhub.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.connectors.leaderboard.LeaderboardCursorStore;
import appealhub.leaderboard.LeaderboardBoard;
import appealhub.store.CaseStore;
import appealhub.store.RawItemStore;
import appealhub.store.RawItemStore.RawItem;
import appealhub.supervision.SupervisionRelay;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The bad-input corpus of the two channels the hub reads rather than is pushed: 督查 clue files
 * dropped by the provincial relay, and messages pulled from a leader board. (The pushed channels
 * and the queues are {@link BadInputCorpusTest}.)
 *
 * <p>Each case is handled as its channel's spec says:
 * <ul>
 *   <li>督查: a bad row is one line of {@code <name>.errors.csv} (UTF-8, with its reason) while the
 *       file's other rows go in; a file that cannot be read at all (wrong header, not GBK, garbage,
 *       empty) is refused as a whole with its reason in the same errors file; every file leaves the
 *       inbox for the processed folder, none is read twice or left behind;</li>
 *   <li>leader board: a bad message is kept INVALID with its reason, an unusual one is taken, and
 *       the cursor moves past both (never stuck on a page, never skipping one).</li>
 * </ul>
 * Afterwards every route is still started, /actuator/health is UP and no case waits for
 * placement. The count per channel is printed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadFilesAndBoardCorpusTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DAY = ZonedDateTime.now(SupervisionRelay.BEIJING).format(DateTimeFormatter.ofPattern("yyyyMMdd"));
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm");
    /** Hostile texts: control characters, 4-byte characters, script for the operations pages, over-long, injections. */
    private static final List<String> HOSTILE = List.of(
            "", "\u0000\u0007\u001b[31m", "😀🏠🚧𠀀", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
            "很".repeat(20_000), "' or 1=1 --", "${jndi:ldap://x/a}", "\r\n\r\nX-Injected: 1", "\uFEFF\u202E反转",
            "=cmd|' /C calc'!A0", "\"\"\",,,\"\"");

    SupervisionRelay relay;
    LeaderboardBoard board;
    TestHub hub;
    final Map<String, Integer> casesPerChannel = new TreeMap<>();

    @BeforeAll
    void start(@TempDir Path data, @TempDir Path files) {
        relay = new SupervisionRelay(files);
        board = new LeaderboardBoard();
        Map<String, Object> settings = new LinkedHashMap<>(board.hubSettings(50));
        settings.put("hub.channels.supervision.inbox", relay.inbox.toString());
        settings.put("hub.channels.supervision.outbox", relay.outbox.toString());
        settings.put("hub.channels.supervision.processed", relay.processed.toString());
        settings.put("hub.channels.supervision.poll-delay-ms", 300);
        settings.put("hub.channels.supervision.result-cron", "-");
        settings.put("hub.channels.leaderboard.pull.initial-delay-ms", 3000);
        hub = new TestHub(data, "http://127.0.0.1:9", settings).start();
    }

    @AfterAll
    void stop() {
        System.out.println("bad-input corpus (files and board), cases per channel: " + casesPerChannel + ", total "
                + casesPerChannel.values().stream().mapToInt(Integer::intValue).sum());
        if (hub != null) hub.close();
        if (board != null) board.close();
    }

    @Test
    void everyBadFileAndBoardMessageIsHandledPerItsSpecAndLeavesTheHubHealthy() throws Exception {
        List<Runnable> checks = new ArrayList<>();
        supervisionFiles(checks);
        List<ObjectNode> messages = boardMessages(checks);
        board.post(messages.toArray(ObjectNode[]::new));

        // The board: the cursor reaches the last message, whatever came before it.
        LeaderboardCursorStore cursors = hub.bean(LeaderboardCursorStore.class);
        String last = LeaderboardBoard.cursorOf(messages.get(messages.size() - 1));
        await().atMost(Duration.ofSeconds(120)).until(cursors::load, c -> c.equals(Optional.of(last)));
        // The relay: every file leaves the inbox (nothing but .ok markers of the refused-as-named may stay).
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(SupervisionRelayFiles.dataFiles(relay.inbox))
                .as("files left in the inbox").isEmpty());

        List<String> failures = new ArrayList<>();
        for (Runnable check : checks) {
            try {
                check.run();
            } catch (AssertionError e) {
                failures.add(e.getMessage());
            }
        }
        assertThat(failures).as("cases handled against their spec").isEmpty();
        int total = casesPerChannel.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(total).as("cases in the corpus").isGreaterThanOrEqualTo(150);

        // Healthy afterwards: every route started, health UP, nothing waiting for placement.
        CamelContext camel = hub.bean(CamelContext.class);
        camel.getRoutes().forEach(r -> assertThat(camel.getRouteController().getRouteStatus(r.getRouteId()))
                .as(r.getRouteId()).isEqualTo(ServiceStatus.Started));
        HttpResponse<String> health = HttpClient.newHttpClient().send(hub.opsRequest("/actuator/health").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(health.body()).path("status").asText()).isEqualTo("UP");
        JdbcTemplate jdbc = hub.bean(JdbcTemplate.class);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select count(*) from hub_case where status = 'RECEIVED'", Integer.class)).as("cases not placed").isZero());
    }

    // ---- 督查 clue files ----

    private int fileNo = 100;

    private String nextName() {
        return "DC_" + DAY + "_" + (fileNo++) + ".csv";
    }

    private void supervisionFiles(List<Runnable> checks) {
        CaseStore cases = hub.bean(CaseStore.class);
        // one hostile value in each column, beside a good row that must go in all the same
        for (int column = 0; column < SupervisionRelay.HEADER.size(); column++) {
            for (String value : HOSTILE) {
                String name = nextName();
                String goodId = "DC-G-" + fileNo;
                String oddId = "DC-H-" + fileNo;
                List<String> odd = new ArrayList<>(SupervisionRelay.clue(oddId, "路灯不亮", "小区路灯坏了一个月。", "河北省衡水市冀州区冀州镇", "民生保障"));
                odd.set(column, value);
                // the id the hub sees: what GBK can hold of it, stripped as the mapper strips it
                String rowId = new String(odd.get(0).getBytes(SupervisionRelay.GBK), SupervisionRelay.GBK).strip();
                dropGbk(name, List.of(SupervisionRelay.clue(goodId, "停水", "南关村停水三天。", "河北省衡水市冀州区冀州镇", "民生保障"), odd));
                String what = SupervisionRelay.HEADER.get(column) + " = " + shorten(value);
                supervisionCase(checks, what, name, errors -> {
                    assertThat(cases.appealIdBySource("supervision", goodId)).as(what + ": the good row goes in").isPresent();
                    boolean taken = !rowId.isEmpty() && cases.appealIdBySource("supervision", rowId).isPresent();
                    boolean listed = errors.size() == 2 && !errors.get(1).get(errors.get(1).size() - 1).isBlank();
                    assertThat(taken || listed).as(what + ": taken, or one line of the errors file with its reason; errors " + errors).isTrue();
                    assertThat(taken && listed).as(what + ": not both").isFalse();
                });
            }
        }
        // rows of the wrong shape: a line each in the errors file, the good row taken
        // (an empty line is no row at all: RFC 4180 readers skip it)
        List<List<String>> shapes = List.of(List.of("DC-S-1"), List.of("DC-S-2", "2025/04/09 08:30"),
                List.of("DC-S-3", "2025/04/09 08:30", "张", "138", "t", "c", "冀州区", "其他", "2025/04/19 08:30", "多一列"),
                List.of("DC-S-4", "2025-04-09T08:30", "张", "138", "t", "c", "冀州区", "其他", "2025/04/19 08:30"),
                List.of("DC-S-5", "2025/13/45 99:99", "张", "138", "t", "c", "冀州区", "其他", "2025/04/19 08:30"),
                List.of("DC-S-6", "2025/04/09 08:30", "张", "138", "t", "c", "冀州区", "其他", "下周"),
                List.of("DC-S-7", "2025/04/09 08:30", "张", "138", "t", "", "冀州区", "其他", "2025/04/19 08:30"),
                List.of("", "2025/04/09 08:30", "张", "138", "t", "c", "冀州区", "其他", "2025/04/19 08:30"));
        for (List<String> shape : shapes) {
            String name = nextName();
            String goodId = "DC-G-" + fileNo;
            dropGbk(name, List.of(SupervisionRelay.clue(goodId, "停水", "南关村停水三天。", "河北省衡水市冀州区冀州镇", "民生保障"), shape));
            String what = "row " + shorten(String.join(",", shape));
            supervisionCase(checks, what, name, errors -> {
                assertThat(cases.appealIdBySource("supervision", goodId)).as(what + ": the good row goes in").isPresent();
                assertThat(errors).as(what + ": one line in the errors file").hasSize(2);
                assertThat(errors.get(1).get(errors.get(1).size() - 1)).as(what + ": its reason").isNotBlank();
            });
        }
        // files that cannot be read as a clue file at all: refused whole, with the reason
        String header = String.join(",", SupervisionRelay.HEADER) + "\r\n";
        String row = String.join(",", SupervisionRelay.clue("DC-U-1", "停水", "南关村停水三天。", "河北省衡水市冀州区冀州镇", "民生保障")) + "\r\n";
        Map<String, byte[]> unreadable = new LinkedHashMap<>();
        unreadable.put("empty file", new byte[0]);
        unreadable.put("UTF-8 instead of GBK", (header + row).getBytes(StandardCharsets.UTF_8));
        unreadable.put("wrong header", ("编号,时间,人,电话,标题,内容,地区,类别,期限\r\n" + row).getBytes(SupervisionRelay.GBK));
        unreadable.put("header with a column missing", (header.replace(",督查类别", "") + row).getBytes(SupervisionRelay.GBK));
        unreadable.put("binary garbage", garbage(4096));
        unreadable.put("a zip file", concat(new byte[] {'P', 'K', 3, 4}, garbage(512)));
        unreadable.put("unbalanced quote", (header + "\"DC-U-2,2025/04/09 08:30,张\r\n").getBytes(SupervisionRelay.GBK));
        unreadable.put("XML instead of CSV", "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a SYSTEM \"file:///etc/passwd\">]><x>&a;</x>"
                .getBytes(SupervisionRelay.GBK));
        unreadable.put("a header line of 1 MB", ("线".repeat(500_000) + "\r\n" + row).getBytes(SupervisionRelay.GBK));
        for (Map.Entry<String, byte[]> e : unreadable.entrySet()) {
            String name = nextName();
            relay.drop(name, e.getValue(), true);
            String what = e.getKey();
            supervisionCase(checks, what, name, errors -> {
                assertThat(cases.appealIdBySource("supervision", "DC-U-1")).as(what + ": nothing taken from it").isEmpty();
                assertThat(errors).as(what + ": refused with a reason").hasSizeGreaterThanOrEqualTo(2);
                assertThat(errors.get(1).get(errors.get(1).size() - 1)).as(what + ": its reason").isNotBlank();
            });
        }
        // a header and no rows: nothing to take, nothing wrong, the file still leaves the inbox
        String headerOnly = nextName();
        relay.drop(headerOnly, header.getBytes(SupervisionRelay.GBK), true);
        supervisionCase(checks, "header only", headerOnly, errors -> assertThat(errors).as("header only: no errors").isEmpty());
        // a GBK file with a UTF-8 byte-order mark in front is tolerated or refused whole, never half-read
        String bom = nextName();
        relay.drop(bom, concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, (header + row.replace("DC-U-1", "DC-B-1"))
                .getBytes(SupervisionRelay.GBK)), true);
        supervisionCase(checks, "byte-order mark", bom, errors -> assertThat(
                cases.appealIdBySource("supervision", "DC-B-1").isPresent() != (errors.size() >= 2))
                .as("byte-order mark: taken, or refused with a reason; errors " + errors).isTrue());
    }

    private void supervisionCase(List<Runnable> checks, String what, String name, Consumer<List<CSVRecord>> check) {
        casesPerChannel.merge("督查 files", 1, Integer::sum);
        checks.add(() -> {
            assertThat(relay.processed.resolve(name)).as(what + ": " + name + " kept in the processed folder").exists();
            Path errorsFile = relay.processed.resolve(name + ".errors.csv");
            check.accept(Files.exists(errorsFile) ? SupervisionRelay.read(errorsFile, StandardCharsets.UTF_8) : List.of());
        });
    }

    private void dropGbk(String name, List<List<String>> rows) {
        relay.drop(name, SupervisionRelay.csv(SupervisionRelay.HEADER, rows), true);
    }

    // ---- leader-board messages ----

    private List<ObjectNode> boardMessages(List<Runnable> checks) {
        CaseStore cases = hub.bean(CaseStore.class);
        RawItemStore raw = hub.bean(RawItemStore.class);
        List<ObjectNode> messages = new ArrayList<>();
        long tid = 7_300_000;
        List<String> fields = List.of("title", "content", "forumName", "area", "nickName", "phone", "domainName", "typeName", "attachments");
        for (String field : fields) {
            List<Object> values = new ArrayList<>(HOSTILE);
            values.addAll(List.of(12345, List.of("x"), Map.of("x", 1), true));
            values.add(null);
            values.add(Missing.FIELD);
            for (Object value : values) {
                ObjectNode m = LeaderboardBoard.message(++tid, "村道坑洼", "我村主街道年久失修，雨天无法通行。", "河北省/衡水市/冀州区/西王镇");
                set(m, field, value);
                messages.add(m);
                boardCase(checks, cases, raw, field + " = " + shorten(String.valueOf(value)), tid);
            }
        }
        // HTML the board may carry in content: entities, XXE, unclosed tags, a flood of tags
        for (String html : List.of("<!DOCTYPE x [<!ENTITY a SYSTEM \"file:///etc/passwd\">]>&a;正文", "&#0;&#x110000;&#xD800;&bogus;正文",
                "<div><p><b>未闭合的标签", "<br/>".repeat(50_000) + "正文", "<style>*{}</style><script>x()</script>正文",
                "<a href=\"javascript:alert(1)\">链接</a>正文", "&lt;script&gt;alert(1)&lt;/script&gt;", "&nbsp;".repeat(10_000))) {
            ObjectNode m = LeaderboardBoard.message(++tid, "路灯不亮", html, "河北省/衡水市/冀州区/冀州镇");
            messages.add(m);
            boardCase(checks, cases, raw, "content html " + shorten(html), tid);
        }
        // a good message last: taken after everything before it
        ObjectNode last = LeaderboardBoard.message(++tid, "垃圾清运不及时", "小区垃圾三天没人清运。", "河北省/衡水市/冀州区/冀州镇");
        messages.add(last);
        long lastTid = tid;
        checks.add(() -> assertThat(cases.appealIdBySource("leaderboard", String.valueOf(lastTid))).as("the good message after them").isPresent());
        return messages;
    }

    enum Missing { FIELD }

    private static void set(ObjectNode m, String field, Object value) {
        if (value == Missing.FIELD) m.remove(field);
        else m.set(field, JSON.valueToTree(value));
    }

    private void boardCase(List<Runnable> checks, CaseStore cases, RawItemStore raw, String what, long tid) {
        casesPerChannel.merge("leader board", 1, Integer::sum);
        String id = String.valueOf(tid);
        checks.add(() -> {
            List<RawItem> items = raw.bySource("leaderboard", id);
            assertThat(items).as(what + ": kept once as a raw item").hasSize(1);
            RawItem item = items.get(0);
            if (RawItemStore.Status.INVALID.name().equals(item.status())) {
                assertThat(item.error()).as(what + ": its reason").isNotBlank();
                assertThat(cases.appealIdBySource("leaderboard", id)).as(what + ": invalid, no case").isEmpty();
            } else {
                assertThat(item.status()).as(what + ": taken").isEqualTo(RawItemStore.Status.ACCEPTED.name());
                assertThat(cases.appealIdBySource("leaderboard", id)).as(what + ": taken as a case").isPresent();
            }
        });
    }

    // ---- helpers ----

    private static byte[] garbage(int n) {
        byte[] b = new byte[n];
        new java.util.Random(n).nextBytes(b);
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String shorten(String s) {
        String t = s.replaceAll("\\p{Cntrl}", "·");
        return t.length() > 40 ? t.substring(0, 40) + "…(" + s.length() + ")" : t;
    }

    /** The data files (not the .ok markers) in a folder. */
    static final class SupervisionRelayFiles {
        static List<String> dataFiles(Path dir) throws java.io.IOException {
            if (!Files.isDirectory(dir)) return List.of();
            try (var s = Files.list(dir)) {
                return s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".ok")).sorted().toList();
            }
        }
    }
}
