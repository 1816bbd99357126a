package appealhub.supervision;

import static appealhub.supervision.SupervisionRelay.HEADER;
import static appealhub.supervision.SupervisionRelay.clue;
import static appealhub.supervision.SupervisionRelay.csv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.store.CaseStore;
import appealhub.store.RawItemStore;
import appealhub.support.TestHub;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A clue row too long for the store, or one the store refuses, is a bad row like any other: in
 * the errors file with its reason, INVALID, while the other rows go in and the file leaves the
 * inbox (before, the file failed as a whole and was read again and again). An unknown 督查类别
 * is tolerated: the spec only gives examples.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SupervisionPoisonTest {
    static final String DAY = ZonedDateTime.now(SupervisionRelay.BEIJING).format(DateTimeFormatter.ofPattern("yyyyMMdd"));
    static final Duration LONG = Duration.ofSeconds(30);
    static final String REFUSED = "POISON-REFUSED";

    SupervisionRelay relay;
    TestHub hub;

    @BeforeAll
    void start(@TempDir Path data, @TempDir Path files) {
        relay = new SupervisionRelay(files);
        hub = new TestHub(data, "http://127.0.0.1:1", Map.ofEntries(
                Map.entry("hub.channels.supervision.inbox", relay.inbox.toString()),
                Map.entry("hub.channels.supervision.outbox", relay.outbox.toString()),
                Map.entry("hub.channels.supervision.processed", relay.processed.toString()),
                Map.entry("hub.channels.supervision.poll-delay-ms", 300),
                Map.entry("hub.channels.supervision.result-cron", "-"),
                Map.entry("hub.channels.leaderboard.enabled", false),
                Map.entry("hub.channels.miniprogram.enabled", false),
                Map.entry("hub.channels.wechat.enabled", false),
                Map.entry("hub.channels.grid.enabled", false))).start();
        hub.bean(JdbcTemplate.class).execute(
                "alter table appeal add constraint poison_test check (title is null or title not like '%" + REFUSED + "%')");
    }

    @AfterAll
    void stop() {
        if (hub != null) hub.close();
    }

    @Test
    void overLongAndRefusedRowsGoToTheErrorsFileAndTheOtherRowsGoIn() throws Exception {
        String name = "DC_" + DAY + "_090.csv";
        List<String> good = clue("DC-P-0001", "欠薪", "周村镇张庄村工地拖欠农民工工资三个月。", "河北省衡水市冀州区周村镇", "民生保障");
        List<String> longTitle = clue("DC-P-0002", "标".repeat(600), "标题超长的一条。", "河北省衡水市冀州区", "其他");
        List<String> longArea = clue("DC-P-0003", "地区超长", "涉及地区超长的一条。", "河北省衡水市冀州区".repeat(40), "其他");
        List<String> refused = clue("DC-P-0004", "拒收 " + REFUSED, "数据库拒收的一条。", "河北省衡水市冀州区", "其他");
        List<String> oddCategory = clue("DC-P-0005", "停水", "冀州镇南关村连续三天停水。", "河北省衡水市冀州区冀州镇", "水电气暖");
        relay.drop(name, csv(HEADER, List.of(good, longTitle, longArea, refused, oddCategory)), true);

        Path errors = relay.processed.resolve("DC_" + DAY + "_090.csv.errors.csv");
        await().atMost(LONG).until(() -> Files.exists(errors) && Files.exists(relay.processed.resolve(name)));
        assertThat(relay.inbox.resolve(name)).doesNotExist();

        CaseStore cases = hub.bean(CaseStore.class);
        assertThat(cases.appealIdBySource("supervision", "DC-P-0001")).isPresent();
        assertThat(cases.appealIdBySource("supervision", "DC-P-0005")).as("an unknown 督查类别 is tolerated").isPresent();
        assertThat(cases.appeal(cases.appealIdBySource("supervision", "DC-P-0005").get()).channelFields())
                .containsEntry("督查类别", "水电气暖");

        List<CSVRecord> lines = SupervisionRelay.read(errors, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(1).get(0)).isEqualTo("DC-P-0002");
        assertThat(lines.get(1).get(9)).isEqualTo("反映标题超过512个字符（实际600个）");
        assertThat(lines.get(2).get(0)).isEqualTo("DC-P-0003");
        assertThat(lines.get(2).get(9)).startsWith("涉及地区超过256个字符");
        assertThat(lines.get(3).get(0)).isEqualTo("DC-P-0004");
        assertThat(lines.get(3).get(9)).startsWith("cannot be stored: ");

        RawItemStore raw = hub.bean(RawItemStore.class);
        for (String id : List.of("DC-P-0002", "DC-P-0003", "DC-P-0004")) {
            assertThat(raw.bySource("supervision", id)).as(id).singleElement()
                    .satisfies(r -> assertThat(r.status()).hasToString("INVALID"));
        }
        assertThat(raw.bySource("supervision", "DC-P-0002").get(0).error()).contains("反映标题超过512个字符");
    }
}
