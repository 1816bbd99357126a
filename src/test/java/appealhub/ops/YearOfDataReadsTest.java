package appealhub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.model.CaseStatus;
import appealhub.model.PhoneHasher;
import appealhub.organization.OrganizationRegistry;
import appealhub.store.CaseStageCounts;
import appealhub.store.CaseStore;
import appealhub.support.ScratchPostgres;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The dashboard, daily report and status search reads rewritten for a year of data (issue 16,
 * V21: index ranges instead of "or" and "in ... and range", pages in the index's order) give
 * what the former queries give, on H2 and on PostgreSQL, over a random mix of raw items, tasks,
 * feedback rows and cases (with equal creation times, so the order's tie-break is checked too).
 */
class YearOfDataReadsTest {
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final String[] RAW = {"RECEIVED", "ACCEPTED", "DUPLICATE", "INVALID", "REJECTED"};
    private static final String[] TASK = {"SENT", "ACCEPTED", "RETURNED", "RESOLVED"};
    private static final String[] FEEDBACK = {"PENDING", "DONE", "REFUSED", "CALLED_BACK"};

    @Test
    void onH2() throws Exception {
        check(new DriverManagerDataSource("jdbc:h2:mem:year-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "hub", ""));
    }

    @Test
    void onPostgresql() throws Exception {
        try (ScratchPostgres pg = new ScratchPostgres("yearreads")) {
            check(new DriverManagerDataSource(pg.url(), ScratchPostgres.USER, ""));
        }
    }

    private void check(DataSource ds) throws Exception {
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        ObjectMapper json = new ObjectMapper().findAndRegisterModules();
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        CaseStageCounts stages = new CaseStageCounts(jdbc);
        CaseStore cases = new CaseStore(jdbc, json, clock, new PhoneHasher("k"), stages);
        OrganizationRegistry registry = new OrganizationRegistry("config/organizations.yaml");
        seed(jdbc, registry, new Random(16));

        // dashboard: today's duplicates and refused per channel, failed feedback, backlog and overdue
        Dashboard dashboard = new Dashboard(jdbc, cases, registry, new DeadLetters(null, null, json, cases, null, registry,
                null, List.of()) {
            @Override
            public Map<String, Integer> counts() {
                return Map.of();
            }
        }, clock, stages);
        Map<String, Object> d = dashboard.current();
        OffsetDateTime dayStart = db(LocalDate.ofInstant(NOW, Labels.BEIJING).atStartOfDay(Labels.BEIJING).toInstant());
        Map<String, Long> duplicates = counts(jdbc, "select channel, count(*) from raw_item where received_at >= ? "
                + "and parse_status = 'DUPLICATE' group by channel", dayStart);
        Map<String, Long> refused = counts(jdbc, "select channel, count(*) from raw_item where received_at >= ? "
                + "and parse_status in ('INVALID', 'REJECTED') group by channel", dayStart);
        assertThat(duplicates.values().stream().mapToLong(Long::longValue).sum()).isPositive();
        assertThat(refused.values().stream().mapToLong(Long::longValue).sum()).isPositive();
        for (Object o : (List<?>) ((Map<?, ?>) d.get("inflow")).get("channels")) {
            Map<?, ?> c = (Map<?, ?>) o;
            assertThat(c.get("duplicatesToday")).as("duplicates " + c.get("channel")).isEqualTo(duplicates.getOrDefault(c.get("channel"), 0L));
            assertThat(c.get("refusedToday")).as("refused " + c.get("channel")).isEqualTo(refused.getOrDefault(c.get("channel"), 0L));
        }
        Map<String, Long> failed = new LinkedHashMap<>();
        jdbc.query("select channel, status, count(*) from feedback_outbox where status = 'REFUSED' "
                + "or (status = 'PENDING' and attempts > 0) group by channel, status", rs -> {
                    failed.put(rs.getString(1) + "/" + rs.getString(2), rs.getLong(3));
                });
        Map<?, ?> feedback = (Map<?, ?>) d.get("feedback");
        assertThat(feedback.get("total")).isEqualTo(failed.values().stream().mapToLong(Long::longValue).sum());
        assertThat((Long) feedback.get("total")).isPositive();
        for (Object o : (List<?>) feedback.get("channels")) {
            Map<?, ?> c = (Map<?, ?>) o;
            assertThat(c.get("refused")).isEqualTo(failed.getOrDefault(c.get("channel") + "/REFUSED", 0L));
            assertThat(c.get("retrying")).isEqualTo(failed.getOrDefault(c.get("channel") + "/PENDING", 0L));
        }
        Map<String, Long> backlog = counts(jdbc, "select t.org_code, count(*) from task t join hub_case c on c.case_id = t.case_id "
                + "where t.status in ('SENT', 'ACCEPTED') and c.status not in ('RESOLVED', 'RETURNED_UPSTREAM', 'MERGED') "
                + "group by t.org_code");
        for (Object o : (List<?>) d.get("townships")) {
            Map<?, ?> t = (Map<?, ?>) o;
            assertThat(t.get("backlog")).as("backlog " + t.get("code")).isEqualTo(backlog.getOrDefault(t.get("code"), 0L));
        }
        long overdueNow = jdbc.queryForObject("select count(*) from task t join hub_case c on c.case_id = t.case_id where "
                + "t.role = 'lead' and t.status in ('SENT', 'ACCEPTED') and t.deadline < ? and c.status not in "
                + "('RESOLVED', 'RETURNED_UPSTREAM', 'MERGED')", Long.class, db(NOW));
        assertThat(((Number) ((Map<?, ?>) d.get("totals")).get("overdue")).longValue()).isEqualTo(overdueNow).isPositive();

        // daily report, yesterday and today: duplicates, refused, resolved (on time) and overdue at the day's end
        DailyReport daily = new DailyReport(jdbc, registry, json, clock);
        for (int ago = 0; ago <= 2; ago++) {
            LocalDate day = LocalDate.ofInstant(NOW, Labels.BEIJING).minusDays(ago);
            OffsetDateTime s = db(day.atStartOfDay(Labels.BEIJING).toInstant());
            Instant endAt = day.plusDays(1).atStartOfDay(Labels.BEIJING).toInstant();
            OffsetDateTime e = db(endAt);
            OffsetDateTime cutoff = db(NOW.isBefore(endAt) ? NOW : endAt);
            DailyReport.Report r = daily.of(day);
            assertThat(r.duplicates()).as("duplicates " + day).isEqualTo(jdbc.queryForObject("select count(*) from raw_item "
                    + "where parse_status = 'DUPLICATE' and received_at >= ? and received_at < ?", Long.class, s, e));
            assertThat(r.refused()).as("refused " + day).isEqualTo(jdbc.queryForObject("select count(*) from raw_item "
                    + "where parse_status in ('INVALID', 'REJECTED') and received_at >= ? and received_at < ?", Long.class, s, e));
            long overdue = jdbc.queryForObject("select count(*) from task where role = 'lead' and deadline < ? and created_at < ? "
                    + "and (status in ('SENT', 'ACCEPTED') or (status = 'RESOLVED' and updated_at > ?))", Long.class, cutoff, e, cutoff);
            assertThat(r.overdue()).as("overdue " + day).isEqualTo(overdue).isPositive();
            assertThat(r.resolved()).as("resolved " + day).isEqualTo(jdbc.queryForObject("select count(*) from task where "
                    + "role = 'lead' and status = 'RESOLVED' and updated_at >= ? and updated_at < ?", Long.class, s, e));
        }

        // case search by each status: the same page in the same order (created_at desc, then case_id)
        CaseSearch search = new CaseSearch(jdbc, cases, registry);
        for (CaseStatus status : CaseStatus.values()) {
            List<String> former = jdbc.queryForList("select case_id from hub_case where status = ? "
                    + "order by created_at desc, case_id limit 7", String.class, status.name());
            List<String> found = new ArrayList<>();
            for (Map<String, Object> c : search.find(new CaseSearch.Query(null, null, null, null, status.name(), null, null, 7))) {
                found.add((String) c.get("caseId"));
            }
            assertThat(found).as(status.name()).isEqualTo(former);
        }
    }

    /** 60 cases (in pairs created at the same second), 200 tasks, 300 raw items and 80 feedback rows over the last 3 days. */
    private static void seed(JdbcTemplate jdbc, OrganizationRegistry registry, Random r) {
        CaseStatus[] statuses = CaseStatus.values();
        List<String> orgs = new ArrayList<>(List.of("D07", "D01", "D12"));
        registry.townships().forEach(t -> orgs.add(t.code()));
        List<String> channels = new ArrayList<>(Labels.CHANNELS.keySet());
        for (int i = 0; i < 60; i++) {
            Instant created = NOW.minusSeconds((i / 2) * 7_000L);
            jdbc.update("insert into hub_case (case_id, status, lead_dept, township_code, urgency, round, created_at, updated_at) "
                    + "values (?, ?, 'D07', ?, 'normal', 0, ?, ?)", String.format("CS-%03d", (i * 37) % 60),
                    statuses[r.nextInt(statuses.length)].name(), orgs.get(3 + r.nextInt(orgs.size() - 3)), db(created), db(created));
        }
        for (int i = 0; i < 200; i++) {
            Instant created = NOW.minusSeconds(r.nextInt(3 * 86_400));
            Instant updated = created.plusSeconds(r.nextInt((int) Duration.between(created, NOW).getSeconds() + 1));
            Instant deadline = r.nextInt(10) == 0 ? null : created.plusSeconds(r.nextInt(2 * 86_400) - 3_600);
            jdbc.update("insert into task (task_id, case_id, org_code, queue, role, round, status, deadline, created_at, updated_at) "
                    + "values (?, ?, ?, 'q', ?, ?, ?, ?, ?, ?)", "TK-" + i, String.format("CS-%03d", r.nextInt(60)),
                    orgs.get(r.nextInt(orgs.size())), r.nextBoolean() ? "lead" : "co", i, TASK[r.nextInt(TASK.length)],
                    deadline == null ? null : db(deadline), db(created), db(updated));
        }
        for (int i = 0; i < 300; i++) {
            jdbc.update("insert into raw_item (channel, kind, body, received_at, parse_status) values (?, 'workorder', ?, ?, ?)",
                    channels.get(r.nextInt(channels.size())), new byte[] {1}, db(NOW.minusSeconds(r.nextInt(3 * 86_400))),
                    RAW[r.nextInt(RAW.length)]);
        }
        for (int i = 0; i < 80; i++) {
            Instant at = NOW.minusSeconds(r.nextInt(3 * 86_400));
            jdbc.update("insert into feedback_outbox (case_id, channel, source_item_id, kind, payload, status, attempts, "
                    + "next_attempt_at, created_at) values (?, ?, ?, 'result', '{}', ?, ?, ?, ?)", String.format("CS-%03d", r.nextInt(60)),
                    channels.get(r.nextInt(channels.size())), "S" + i, FEEDBACK[r.nextInt(FEEDBACK.length)], r.nextInt(3), db(at), db(at));
        }
    }

    private static Map<String, Long> counts(JdbcTemplate jdbc, String sql, Object... args) {
        Map<String, Long> out = new LinkedHashMap<>();
        jdbc.query(sql, rs -> {
            out.put(rs.getString(1), rs.getLong(2));
        }, args);
        return out;
    }

    private static OffsetDateTime db(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
