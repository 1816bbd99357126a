package appealhub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.model.PhoneHasher;
import appealhub.organization.OrganizationRegistry;
import appealhub.store.CaseStageCounts;
import appealhub.store.CaseStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Case search by organisation on more cases than the newest ones it walks first
 * ({@link CaseSearch#RECENT_CASES}): a busy organisation's page comes from the newest cases, and an
 * organisation whose cases are all older (lead, township or only a task) is still found, newest first.
 */
class CaseSearchOrgTest {

    @Test
    void busyAndQuietOrganisationsAreBothFoundNewestFirst() throws Exception {
        var ds = new DriverManagerDataSource("jdbc:h2:mem:org-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "hub", "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        Instant now = Instant.parse("2026-12-01T00:00:00Z");
        List<Object[]> rows = new ArrayList<>();
        // three old cases of D09: as lead, by township code, and through a task only
        rows.add(new Object[] {"CS-OLD-LEAD", "D09", null, at(now, -400)});
        rows.add(new Object[] {"CS-OLD-TOWN", "D01", "D09", at(now, -300)});
        rows.add(new Object[] {"CS-OLD-TASK", "D01", null, at(now, -200)});
        for (int i = 0; i < CaseSearch.RECENT_CASES + 100; i++) {
            rows.add(new Object[] {String.format("CS-%06d", i), "D01", null, at(now, i)});
        }
        jdbc.batchUpdate("insert into hub_case (case_id, status, lead_dept, township_code, round, created_at, updated_at) "
                + "values (?, 'DISPATCHED', ?, ?, 0, ?, ?)", rows.stream().map(r -> new Object[] {r[0], r[1], r[2], r[3], r[3]}).toList());
        jdbc.update("insert into task (task_id, case_id, org_code, queue, role, round, status, created_at, updated_at) "
                + "values ('TK-1', 'CS-OLD-TASK', 'D09', 'dept.D09.tasks', 'co', 0, 'SENT', ?, ?)", at(now, -200), at(now, -200));
        CaseStore cases = new CaseStore(jdbc, new ObjectMapper().findAndRegisterModules(), Clock.systemUTC(),
                new PhoneHasher("k"), new CaseStageCounts(jdbc));
        CaseSearch search = new CaseSearch(jdbc, cases, new OrganizationRegistry("config/organizations.yaml"));

        List<String> busy = ids(search.find(new CaseSearch.Query(null, null, null, "D01", null, null, null, 3)));
        assertThat(busy).containsExactly("CS-020099", "CS-020098", "CS-020097");
        List<String> quiet = ids(search.find(new CaseSearch.Query(null, null, null, "D09", null, null, null, 50)));
        assertThat(quiet).containsExactly("CS-OLD-TASK", "CS-OLD-TOWN", "CS-OLD-LEAD");
        assertThat(search.find(new CaseSearch.Query(null, null, null, "D99", null, null, null, 50))).isEmpty();
    }

    private static OffsetDateTime at(Instant base, int minutes) {
        return base.plusSeconds(60L * minutes).atOffset(ZoneOffset.UTC);
    }

    private static List<String> ids(List<Map<String, Object>> found) {
        return found.stream().map(m -> (String) m.get("caseId")).toList();
    }
}
