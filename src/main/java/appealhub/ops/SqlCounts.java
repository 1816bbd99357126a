package appealhub.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/** The two shapes of count query the operations views run: one number, or key → number. */
final class SqlCounts {
    private SqlCounts() {}

    static long count(JdbcTemplate jdbc, String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }

    /** Rows of (key, count), in the query's order. */
    static Map<String, Long> counts(JdbcTemplate jdbc, String sql, Object... args) {
        Map<String, Long> m = new LinkedHashMap<>();
        jdbc.query(sql, rs -> {
            m.put(rs.getString(1), rs.getLong(2));
        }, args);
        return m;
    }
}
