package appealhub.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a kill -9, the embedded H2 database can hand out an identity value a committed row already
 * has: its rows are in the file (WRITE_DELAY=0) but its sequences' state may lag behind them
 * (bench/chaos.sh saw a case_event id used twice right after a restart, and a good grid report and
 * a push refused as bad input for it). So at every start on H2, before anything is written, each
 * identity column is moved past its table's largest value. A no-op when they agree. PostgreSQL's
 * sequences are WAL-logged and need nothing of this.
 */
public final class H2Identities {
    private static final Logger log = LoggerFactory.getLogger(H2Identities.class);

    private H2Identities() {}

    /** @return how many identity columns had to be moved */
    public static int movePastLargestIds(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (!c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("h2")) return 0;
            // identity_base: the next value the column gives (H2's information schema)
            List<Object[]> identities = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "select table_name, column_name, identity_base from information_schema.columns "
                            + "where table_schema = current_schema and is_identity = 'YES'")) {
                while (rs.next()) identities.add(new Object[] {rs.getString(1), rs.getString(2), rs.getLong(3)});
            }
            int moved = 0;
            for (Object[] id : identities) {
                String table = quote((String) id[0]), column = quote((String) id[1]);
                long next = (Long) id[2];
                long largest;
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "select coalesce(max(" + column + "), 0) from " + table)) {
                    rs.next();
                    largest = rs.getLong(1);
                }
                if (next > largest) continue;
                try (Statement s = c.createStatement()) {
                    s.execute("alter table " + table + " alter column " + column + " restart with " + (largest + 1));
                }
                log.warn("identity {}.{} would have given {}, at or below its largest value {} (H2 after a crash): moved to {}",
                        id[0], id[1], next, largest, largest + 1);
                moved++;
            }
            return moved;
        }
    }

    private static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
