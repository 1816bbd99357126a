package appealhub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.model.Appeal;
import appealhub.model.PhoneHasher;
import appealhub.organization.OrganizationRegistry;
import appealhub.store.CaseStageCounts;
import appealhub.store.CaseStore;
import appealhub.store.PhoneKeyBackfill;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Case search by phone through appeal.phone_key (V18): a match older than 5,000 newer appeals that
 * share its last four digits is found (the former "model_json like '%5678%'" read only the 5,000
 * newest such candidates), appeals stored before V18 are found once the start-up back-fill keyed
 * them, and the phone's digits reach neither the SQL nor the logs.
 */
class CaseSearchPhoneKeyTest {
    private static final String PHONE = "13912345678";
    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final PhoneHasher phones = new PhoneHasher("test-phone-key");
    private JdbcTemplate jdbc;
    private CaseStore cases;
    private CaseSearch search;

    @BeforeEach
    void database() throws Exception {
        var ds = new DriverManagerDataSource("jdbc:h2:mem:phone-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "hub", "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(ds);
        cases = new CaseStore(jdbc, json, Clock.systemUTC(), phones, new CaseStageCounts(jdbc));
        search = new CaseSearch(jdbc, cases, new OrganizationRegistry("config/organizations.yaml"));
    }

    @Test
    void aMatchOlderThanFiveThousandNewerLookAlikesIsFound() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // stored before V18 (no phone key yet): the citizen's case a year ago ...
        List<Object[]> caseRows = new ArrayList<>();
        List<Object[]> appealRows = new ArrayList<>();
        addOld(caseRows, appealRows, "CS-OLD", "+86 139-1234-5678", now.minus(365, ChronoUnit.DAYS));
        // ... then 5,001 newer cases of other citizens whose phones end in the same four digits
        for (int i = 0; i < 5_001; i++) {
            addOld(caseRows, appealRows, String.format("CS-%05d", i), String.format("1380%03d5678", i % 1000),
                    now.minus(300, ChronoUnit.DAYS).plusSeconds(i));
        }
        jdbc.batchUpdate("insert into hub_case (case_id, status, round, created_at, updated_at) values (?, 'RESOLVED', 0, ?, ?)", caseRows);
        jdbc.batchUpdate("insert into appeal (appeal_id, case_id, title, received_at, model_json, created_at) values (?,?,?,?,?,?)",
                appealRows);
        // and one stored by the hub today, through its insert path, by another phone
        cases.insertCase("CS-NEW", appealhub.model.CaseStatus.RECEIVED);
        cases.insertAppeal(appeal("AP-NEW", "CS-NEW", "13700001111", now));

        int keyed = new PhoneKeyBackfill(jdbc, cases, phones, json).run();

        assertThat(keyed).isEqualTo(5_002);
        assertThat(new PhoneKeyBackfill(jdbc, cases, phones, json).run()).as("nothing left the second time").isZero();
        assertThat(caseIds(search.find(query(PHONE)))).containsExactly("CS-OLD");
        assertThat(caseIds(search.find(query("139 1234 5678")))).as("however it is written").containsExactly("CS-OLD");
        assertThat(caseIds(search.find(query("13700001111")))).as("the insert path keys it").containsExactly("CS-NEW");
        assertThat(caseIds(search.find(query("13800755678")))).containsExactly("CS-00075", "CS-01075", "CS-02075", "CS-03075",
                "CS-04075").hasSize(5);
        assertThat(search.find(query("13900005678"))).isEmpty();
    }

    @Test
    void noPhoneDigitsInTheSqlOrTheLogs() throws Exception {
        cases.insertCase("CS-1", appealhub.model.CaseStatus.RECEIVED);
        cases.insertAppeal(appeal("AP-1", "CS-1", PHONE, Instant.now()));
        Logger jdbcLog = (Logger) LoggerFactory.getLogger("org.springframework.jdbc");
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level before = jdbcLog.getLevel();
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        root.addAppender(seen);
        jdbcLog.setLevel(Level.TRACE);   // the SQL and every parameter value JdbcTemplate binds
        List<Map<String, Object>> found;
        try {
            found = search.find(query("139-1234-5678"));
        } finally {
            jdbcLog.setLevel(before);
            root.detachAppender(seen);
        }
        assertThat(caseIds(found)).containsExactly("CS-1");
        List<String> lines = seen.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).as("the search's SQL and its parameters were logged").anyMatch(l -> l.contains("phone_key = ?"))
                .anyMatch(l -> l.contains(phones.hash(PHONE)));
        assertThat(lines).noneMatch(l -> l.contains("5678") || l.contains("1234") || l.contains(PHONE));
        assertThat(json.writeValueAsString(found)).doesNotContain(PHONE).contains("139****5678");
    }

    private void addOld(List<Object[]> caseRows, List<Object[]> appealRows, String caseId, String phone, Instant at)
            throws Exception {
        OffsetDateTime t = at.atOffset(ZoneOffset.UTC);
        caseRows.add(new Object[] {caseId, t, t});
        String appealId = "AP" + caseId.substring(2);
        appealRows.add(new Object[] {appealId, caseId, "路灯不亮", t, json.writeValueAsString(appeal(appealId, caseId, phone, at)), t});
    }

    private static Appeal appeal(String appealId, String caseId, String phone, Instant at) {
        return new Appeal(appealId, caseId, List.of(new Appeal.Source("hotline12345", "GD" + appealId, at, 1L)),
                new Appeal.Citizen("张三", phone, false), "路灯不亮", "小区门口路灯不亮", at, at, null, null, null, false,
                List.of(), null);
    }

    private static CaseSearch.Query query(String phone) {
        return new CaseSearch.Query(null, null, phone, null, null, null, null, 50);
    }

    private static List<String> caseIds(List<Map<String, Object>> found) {
        return found.stream().map(m -> (String) m.get("caseId")).sorted().toList();
    }
}
