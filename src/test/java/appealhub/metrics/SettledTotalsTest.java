package appealhub.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.organization.OrganizationRegistry;
import appealhub.support.MutableClock;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The metrics' running totals survive a restart (issue 16: the first refresh after a start counted
 * every old row again, 1.3 s at 1M cases): a hub's refresh saves its totals with their cutoffs, and
 * a new hub on the same database starts from them. It then reads only the rows since the save, so
 * old rows deleted behind its back are still counted (they are in the saved totals), and rows that
 * came or settled since the save are counted once.
 */
class SettledTotalsTest {
    private static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");
    private final MutableClock clock = new MutableClock(T0);
    private final ObjectMapper json = new ObjectMapper();
    private OrganizationRegistry registry;
    private JdbcTemplate jdbc;

    @BeforeEach
    void database() throws Exception {
        registry = new OrganizationRegistry("config/organizations.yaml");
        var ds = new DriverManagerDataSource("jdbc:h2:mem:settled-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "hub", "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(ds);
        jdbc.update("insert into hub_case (case_id, status, created_at, updated_at) values ('CS-1', 'DISPATCHED', ?, ?)", at(-600), at(-600));
    }

    @Test
    void aNewHubStartsFromTheSavedTotalsAndCountsOnlyWhatCameSince() {
        // a year's old rows (hours before the settling cutoff) and some recent ones
        for (int i = 0; i < 3; i++) raw("hotline12345", "ACCEPTED", -120);
        raw("wechat", "DUPLICATE", -120);
        long waiting = raw("hotline12345", "RECEIVED", -120);     // old and still RECEIVED (a stuck item)
        raw("miniprogram", "ACCEPTED", -1);
        for (int i = 0; i < 4; i++) task("D07", -120);
        task("T01", -1);
        for (int i = 0; i < 2; i++) feedback("hotline12345", -120);
        merged("wechat");
        merged("hotline12345");

        DomainCounts first = new DomainCounts(jdbc, clock, registry, json);
        Map<String, Long> before = readAll(first);
        assertThat(before).isEqualTo(recount()).containsEntry("raw hotline12345 ACCEPTED", 3L)
                .containsEntry("raw hotline12345 RECEIVED", 1L).containsEntry("tasks D07 dispatched", 4L)
                .containsEntry("feedback hotline12345 pending", 2L).containsEntry("merged wechat", 1L);
        assertThat(jdbc.queryForObject("select count(*) from metrics_settled", Integer.class)).as("counters saved").isEqualTo(4);

        // the hub goes away; meanwhile the stuck item settles, new rows come, and three old raw items
        // and two old tasks vanish (no store deletes them: here they show the new hub does not recount)
        clock.advance(Duration.ofHours(1));
        raw("hotline12345", "ACCEPTED", -30);   // old by the new hub's cutoff, newer than the saved one
        raw("grid", "INVALID", -1);
        task("D07", -30);
        feedback("wechat", -30);
        merged("grid");
        jdbc.update("delete from raw_item where channel = 'hotline12345' and parse_status = 'ACCEPTED' and received_at < ?", at(-100));
        jdbc.update("delete from task where org_code = 'D07' and created_at < ? and task_id in ('TK-1', 'TK-2')", at(-100));
        jdbc.update("update raw_item set parse_status = 'ACCEPTED' where id = ?", waiting);

        DomainCounts second = new DomainCounts(jdbc, clock, registry, json);
        Map<String, Long> after = readAll(second);
        assertThat(after)
                .containsEntry("raw hotline12345 ACCEPTED", 3L + 1 + 1)   // the saved 3, the one settled since, the new one
                .containsEntry("raw hotline12345 RECEIVED", 0L)
                .containsEntry("raw grid INVALID", 1L)
                .containsEntry("raw wechat DUPLICATE", 1L)
                .containsEntry("raw miniprogram ACCEPTED", 1L)
                .containsEntry("tasks D07 dispatched", 4L + 1)            // the saved 4, the new one
                .containsEntry("tasks T01 dispatched", 1L)
                .containsEntry("feedback hotline12345 pending", 2L)
                .containsEntry("feedback wechat pending", 1L)
                .containsEntry("merged wechat", 1L).containsEntry("merged hotline12345", 1L).containsEntry("merged grid", 1L);

        // and the two hubs agree from here on, the first one moving on from its own totals
        raw("wechat", "ACCEPTED", 0);
        clock.advance(Duration.ofMinutes(20));
        assertThat(readAll(first)).isEqualTo(readAll(second));
    }

    @Test
    void aSaveNeverMovesACounterBack() {
        SettledTotals totals = new SettledTotals(jdbc, json, clock);
        totals.saveUpTo("task", T0, Map.of("D07", 5));
        totals.saveUpTo("task", T0.minusSeconds(60), Map.of("D07", 4));   // an instance that is behind
        totals.saveUpToId("merged", 10, Map.of("grid", 2));
        totals.saveUpToId("merged", 9, Map.of("grid", 1));
        assertThat(totals.load("task")).hasValueSatisfying(s -> {
            assertThat(s.cutoff()).isEqualTo(T0);
            assertThat(s.totals().path("D07").asLong()).isEqualTo(5);
        });
        assertThat(totals.load("merged")).hasValueSatisfying(s -> assertThat(s.lastId()).isEqualTo(10));
        totals.saveUpTo("task", T0.plusSeconds(60), Map.of("D07", 6));
        assertThat(totals.load("task")).hasValueSatisfying(s -> assertThat(s.totals().path("D07").asLong()).isEqualTo(6));
    }

    /** Every figure of one refresh, keyed "family tag tag". */
    private static Map<String, Long> readAll(DomainCounts counts) {
        Map<String, Long> all = new TreeMap<>();
        for (TaggedCount c : counts.channelItems()) all.put("raw " + tag(c, "channel") + " " + tag(c, "status"), c.value());
        for (TaggedCount c : counts.channelMerged()) all.put("merged " + tag(c, "channel"), c.value());
        for (TaggedCount c : counts.orgTasks()) all.put("tasks " + tag(c, "org") + " " + tag(c, "state"), c.value());
        for (TaggedCount c : counts.feedbackItems()) all.put("feedback " + tag(c, "channel") + " " + tag(c, "state"), c.value());
        return all;
    }

    private static String tag(TaggedCount c, String key) {
        return c.tags().stream().filter(t -> t.getKey().equals(key)).findFirst().orElseThrow().getValue();
    }

    /** What a full count of the tables gives (no saved totals): a third hub after wiping metrics_settled. */
    private Map<String, Long> recount() {
        List<Map<String, Object>> savedRows = jdbc.queryForList("select * from metrics_settled");
        jdbc.update("delete from metrics_settled");
        Map<String, Long> full = readAll(new DomainCounts(jdbc, clock, registry, json));
        jdbc.update("delete from metrics_settled");
        for (Map<String, Object> row : savedRows) {
            jdbc.update("insert into metrics_settled (counter, cutoff, last_id, totals, saved_at) values (?, ?, ?, ?, ?)",
                    row.get("counter"), row.get("cutoff"), row.get("last_id"), row.get("totals"), row.get("saved_at"));
        }
        return full;
    }

    private OffsetDateTime at(int minutesFromNow) {
        return clock.instant().plus(Duration.ofMinutes(minutesFromNow)).atOffset(ZoneOffset.UTC);
    }

    private long raw(String channel, String status, int minutes) {
        jdbc.update("insert into raw_item (channel, kind, body, received_at, parse_status) values (?, 'workorder', ?, ?, ?)",
                channel, new byte[] {'{', '}'}, at(minutes), status);
        return jdbc.queryForObject("select max(id) from raw_item", Long.class);
    }

    private int tasks;

    private void task(String org, int minutes) {
        String id = "TK-" + (++tasks);
        jdbc.update("insert into task (task_id, case_id, org_code, queue, role, round, status, created_at, updated_at) "
                + "values (?, 'CS-1', ?, 'q', 'lead', ?, 'RESOLVED', ?, ?)", id, org, tasks, at(minutes), at(minutes));
    }

    private void feedback(String channel, int minutes) {
        jdbc.update("insert into feedback_outbox (case_id, channel, source_item_id, kind, payload, status, next_attempt_at, created_at) "
                + "values ('CS-1', ?, 'S', 'result', '{}', 'PENDING', ?, ?)", channel, at(minutes), at(minutes));
    }

    private void merged(String channel) {
        jdbc.update("insert into case_event (case_id, at, type, actor, detail) values ('CS-1', ?, 'merged', 'hub', ?)",
                at(0), "{\"channel\":\"" + channel + "\"}");
    }
}
