package appealhub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The state H2 was found in after a kill -9 (bench/chaos.sh): an identity about to give a value a
 * committed row already has. Every insert then fails on the primary key; the start-up check moves
 * the identity past the largest value, and inserts work again.
 */
class H2IdentitiesTest {

    @Test
    void anIdentityBehindItsRowsIsMovedPastThemAtStartAndALevelOneIsLeftAlone(@TempDir Path dir) throws Exception {
        var ds = new DriverManagerDataSource("jdbc:h2:file:" + dir.resolve("hub") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0", "hub", "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        jdbc.update("insert into hub_case (case_id, status, created_at, updated_at) values ('CS-1', 'RECEIVED', current_timestamp, current_timestamp)");
        String insert = "insert into case_event (case_id, at, type, actor, detail) values ('CS-1', current_timestamp, 'received', 'test', '{}')";
        for (int i = 0; i < 3; i++) jdbc.update(insert);
        assertThat(H2Identities.movePastLargestIds(ds)).as("nothing to move when they agree").isZero();

        jdbc.execute("alter table case_event alter column id restart with 2");   // as found after the crash
        assertThatThrownBy(() -> jdbc.update(insert)).isInstanceOf(DuplicateKeyException.class);

        assertThat(H2Identities.movePastLargestIds(ds)).isEqualTo(1);
        jdbc.update(insert);
        assertThat(jdbc.queryForObject("select max(id) from case_event", Long.class)).isEqualTo(4);
        assertThat(H2Identities.movePastLargestIds(ds)).isZero();
    }
}
