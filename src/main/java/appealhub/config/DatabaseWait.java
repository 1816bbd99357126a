package appealhub.config;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A hub started while its database is down waits for it instead of exiting: the schema migration
 * (the first thing that needs the database) is held until a connection succeeds, retried every
 * few seconds with one log line to say so. Meanwhile the hub's port answers every request with
 * 503 and a health document saying DOWN, so a load balancer or an upstream sees "not yet" (an
 * upstream sends its push again, as the channel specs say) rather than a refused connection.
 * The stand-in server is closed before the real web server takes the port.
 */
@Configuration
public class DatabaseWait {
    private static final Logger log = LoggerFactory.getLogger(DatabaseWait.class);
    private static final String DOWN = "{\"status\":\"DOWN\",\"components\":{\"db\":{\"status\":\"DOWN\","
            + "\"details\":{\"reason\":\"the hub is starting and waits for its database\"}}}}";

    @Bean
    FlywayMigrationStrategy migrateOnceTheDatabaseIsThere(DataSource dataSource,
                                                         @Value("${server.address:0.0.0.0}") String address,
                                                         @Value("${server.port:8080}") int port,
                                                         @Value("${spring.datasource.url:}") String url,
                                                         @Value("${hub.database.wait-retry-ms:5000}") long retryMs) {
        return flyway -> {
            waitFor(dataSource, address, port, withoutParameters(url), Duration.ofMillis(retryMs));
            flyway.migrate();
            try {
                appealhub.store.H2Identities.movePastLargestIds(dataSource); // before anything is written
            } catch (SQLException e) {
                throw new IllegalStateException("cannot check the database's identity columns", e);
            }
        };
    }

    static void waitFor(DataSource dataSource, String address, int port, String where, Duration retry) {
        HttpServer standIn = null;
        long start = System.nanoTime();
        long lastLog = 0;
        while (true) {
            try (Connection ignored = dataSource.getConnection()) {
                if (standIn != null) {
                    standIn.stop(0);
                    log.info("database {} reachable after {} s: starting", where, (System.nanoTime() - start) / 1_000_000_000);
                }
                return;
            } catch (SQLException | RuntimeException e) {
                long waited = (System.nanoTime() - start) / 1_000_000_000;
                if (standIn == null) {
                    log.warn("database {} unreachable ({}): waiting for it, trying again every {} ms; /actuator/health is DOWN meanwhile",
                            where, rootMessage(e), retry.toMillis());
                    standIn = standIn(address, port);
                    lastLog = waited;
                } else if (waited - lastLog >= 60) {
                    log.warn("database {} still unreachable after {} s ({})", where, waited, rootMessage(e));
                    lastLog = waited;
                }
            }
            try {
                Thread.sleep(retry.toMillis());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                if (standIn != null) standIn.stop(0);
                throw new IllegalStateException("interrupted while waiting for the database", interrupted);
            }
        }
    }

    /** Answers 503 DOWN on the hub's port while it waits; null when the port cannot be had. */
    private static HttpServer standIn(String address, int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 16);
            byte[] body = DOWN.getBytes(StandardCharsets.UTF_8);
            server.createContext("/", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.getResponseHeaders().add("Retry-After", "10");
                exchange.sendResponseHeaders(503, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return server;
        } catch (IOException | RuntimeException e) {
            log.warn("cannot answer on port {} while waiting for the database: {}", port, e.getMessage());
            return null;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    /** The JDBC URL without its parameters (which may carry credentials). */
    private static String withoutParameters(String url) {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        int semi = base.indexOf(';');
        return semi < 0 ? base : base.substring(0, semi);
    }
}
