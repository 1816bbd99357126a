package appealhub.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

/**
 * A database of a test's own on the machine's PostgreSQL (127.0.0.1:5432, user postgres trusted;
 * -Dhub.test.postgres=jdbc:postgresql://host:port/postgres elsewhere), dropped when closed.
 */
public final class ScratchPostgres implements AutoCloseable {
    public static final String ADMIN_URL = System.getProperty("hub.test.postgres", "jdbc:postgresql://127.0.0.1:5432/postgres");
    public static final String USER = "postgres";

    private final String name;

    public ScratchPostgres(String prefix) {
        name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        admin("create database " + name);
    }

    public String name() {
        return name;
    }

    public String url() {
        return ADMIN_URL.replace("/postgres", "/" + name);
    }

    /** The same database reached through another port on 127.0.0.1 (e.g. a {@link CuttableProxy}). */
    public String urlThroughPort(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
    }

    /** The hub's datasource properties for this database (at {@code url}). */
    public Map<String, Object> hubProperties(String url) {
        return Map.of("spring.datasource.url", url, "spring.datasource.username", USER, "spring.datasource.password", "");
    }

    @Override
    public void close() {
        admin("drop database if exists " + name + " with (force)");
    }

    private static void admin(String sql) {
        try (Connection admin = DriverManager.getConnection(ADMIN_URL, USER, "")) {
            admin.createStatement().execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + ADMIN_URL + ": " + e.getMessage(), e);
        }
    }
}
