package appealhub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.model.CaseStatus;
import appealhub.model.PhoneHasher;
import appealhub.organization.OrganizationRegistry;
import appealhub.store.CaseStageCounts;
import appealhub.store.CaseStore;
import appealhub.store.FeedbackOutbox;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The dashboard's pipeline and totals, now from kept stage counts (V18) and one backlog read,
 * equal what the former full counts over every case give, after a mix of status changes,
 * feedback delivered and a re-open.
 */
class DashboardPipelineTest {

    @Test
    void pipelineAndTotalsEqualAFullRecount() throws Exception {
        var ds = new DriverManagerDataSource("jdbc:h2:mem:dash-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "hub", "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        ObjectMapper json = new ObjectMapper().findAndRegisterModules();
        Clock clock = Clock.systemUTC();
        CaseStageCounts stages = new CaseStageCounts(jdbc);
        CaseStore cases = new CaseStore(jdbc, json, clock, new PhoneHasher("k"), stages);
        FeedbackOutbox outbox = new FeedbackOutbox(jdbc, clock, stages);
        OrganizationRegistry registry = new OrganizationRegistry("config/organizations.yaml");

        for (int i = 0; i < 8; i++) cases.insertCase("CS-" + i, CaseStatus.RECEIVED);
        cases.updateStatus("CS-0", CaseStatus.TRIAGE);
        for (int i = 1; i < 7; i++) {
            cases.updatePlacement("CS-" + i, new CaseStore.CasePlacement(CaseStatus.DISPATCHED, null, null, "D07", List.of(),
                    null, null, null, null, 0));
            // open lead tasks, one of them past its deadline
            jdbc.update("insert into task (task_id, case_id, org_code, queue, role, round, status, deadline, created_at, updated_at) "
                    + "values (?, ?, 'D07', 'dept.D07.tasks', 'lead', 0, 'SENT', ?, ?, ?)", "TK-" + i, "CS-" + i,
                    Dashboard.db(Instant.now().plusSeconds(i == 1 ? -3600 : 3600)), Dashboard.db(Instant.now()),
                    Dashboard.db(Instant.now()));
        }
        cases.updateStatus("CS-2", CaseStatus.ACCEPTED);
        for (String id : List.of("CS-3", "CS-4", "CS-5")) {
            cases.updateStatus(id, CaseStatus.RESOLVED);
            outbox.enqueue(id, "hotline12345", "GD" + id, "result", "{}");
        }
        for (FeedbackOutbox.Item f : outbox.ofCase("CS-3")) outbox.markDone(f.id());
        for (FeedbackOutbox.Item f : outbox.ofCase("CS-4")) outbox.markDone(f.id());
        cases.updatePlacement("CS-4", new CaseStore.CasePlacement(CaseStatus.DISPATCHED, null, null, "D07", List.of(),
                null, null, null, null, 1));   // re-opened after its result was delivered
        cases.markMerged("CS-7", "CS-6");

        Dashboard dashboard = new Dashboard(jdbc, cases, registry, new DeadLetters(null, null, json, cases, null, registry,
                null, List.of()) {
            @Override
            public Map<String, Integer> counts() {
                return Map.of();
            }
        }, clock, stages);
        Map<String, Object> d = dashboard.current();
        Map<String, Long> pipeline = new LinkedHashMap<>();
        for (Object o : (List<?>) d.get("pipeline")) {
            Map<?, ?> stage = (Map<?, ?>) o;
            pipeline.put((String) stage.get("stage"), ((Number) stage.get("count")).longValue());
        }
        // the former queries: a count over every case
        Map<String, Long> byStatus = new LinkedHashMap<>();
        jdbc.query("select status, count(*) from hub_case group by status", rs -> {
            byStatus.put(rs.getString(1), rs.getLong(2));
        });
        long fedBack = jdbc.queryForObject("select count(*) from hub_case c where c.status = 'RESOLVED' and exists "
                + "(select 1 from feedback_outbox f where f.case_id = c.case_id and f.kind = 'result' and f.status = 'DONE')", Long.class);
        assertThat(fedBack).isEqualTo(1);
        assertThat(pipeline).containsEntry("RECEIVED", byStatus.getOrDefault("RECEIVED", 0L))
                .containsEntry("TRIAGE", 1L).containsEntry("DISPATCHED", byStatus.get("DISPATCHED"))
                .containsEntry("ACCEPTED", 1L).containsEntry("RESOLVED", byStatus.get("RESOLVED") - fedBack)
                .containsEntry("FED_BACK", fedBack).containsEntry("MERGED", 1L).containsEntry("RETURNED_UPSTREAM", 0L);
        Map<?, ?> totals = (Map<?, ?>) d.get("totals");
        assertThat(((Number) totals.get("open")).longValue()).isEqualTo(jdbc.queryForObject(
                "select count(*) from hub_case where status in ('TRIAGE', 'DISPATCHED', 'ACCEPTED')", Long.class)).isEqualTo(5);
        assertThat(((Number) totals.get("triage")).longValue()).isEqualTo(1);
        assertThat(((Number) totals.get("overdue")).longValue()).isEqualTo(jdbc.queryForObject(
                "select count(*) from task t join hub_case c on c.case_id = t.case_id where t.role = 'lead' "
                + "and t.status in ('SENT', 'ACCEPTED') and t.deadline < ? and c.status in ('TRIAGE', 'DISPATCHED', 'ACCEPTED')",
                Long.class, Dashboard.db(Instant.now()))).isEqualTo(1);
    }
}
