package appealhub.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Locale;

/**
 * What H2's WRITE_DELAY=0 buys and costs (bench/h2-durability.sh). For each setting, the default
 * write delay (the baseline) and WRITE_DELAY=0 (the hub's), a child JVM commits one small row per
 * transaction as fast as it can and prints each committed id; after a few seconds it gets
 * SIGKILL. The database is opened again and counted: rows committed but missing were lost by the
 * kill. Prints per setting the commits per second, the µs per commit, the rows lost, and the ratio
 * of the two costs.
 */
public final class H2DurabilityBenchmark {
    private static final String OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    public static void main(String[] args) throws Exception {
        long runMs = args.length > 0 ? Long.parseLong(args[0]) : 3000;
        if (args.length > 1 && args[1].equals("child")) {
            child(Path.of(args[2]), args.length > 3 ? args[3] : "");
            return;
        }
        System.out.printf(Locale.ROOT, "H2 commit durability under kill -9 (%d ms of commits per run)%n", runMs);
        System.out.printf(Locale.ROOT, "%-22s %12s %12s %12s %10s%n", "setting", "committed", "found", "lost", "µs/commit");
        double[] costs = new double[2];
        List<String> settings = List.of("", ";WRITE_DELAY=0");
        for (int i = 0; i < settings.size(); i++) {
            long[] r = run(runMs, settings.get(i));
            costs[i] = (double) runMs * 1000 / Math.max(1, r[0]);
            System.out.printf(Locale.ROOT, "%-22s %12d %12d %12d %10.1f%n",
                    settings.get(i).isEmpty() ? "default (baseline)" : "WRITE_DELAY=0 (hub)", r[0], r[1], r[0] - r[1], costs[i]);
        }
        System.out.printf(Locale.ROOT, "cost ratio WRITE_DELAY=0 / default: %.1f×%n", costs[1] / costs[0]);
    }

    /** @return {committed as printed by the child, found after the kill} */
    private static long[] run(long runMs, String setting) throws Exception {
        Path dir = Files.createTempDirectory("h2-durability");
        Path db = dir.resolve("db");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath(), H2DurabilityBenchmark.class.getName(),
                "0", "child", db.toString(), setting).redirectErrorStream(true).start();
        long committed = 0;
        long until = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("ready")) {
                    until = System.currentTimeMillis() + runMs;
                    continue;
                }
                if (!line.startsWith("c ")) continue;
                committed = Long.parseLong(line.substring(2));
                if (until > 0 && System.currentTimeMillis() >= until) break;
            }
            child.destroyForcibly(); // SIGKILL on Linux
            child.waitFor();
            while ((line = out.readLine()) != null) {
                if (line.startsWith("c ")) committed = Long.parseLong(line.substring(2));
            }
        } catch (java.io.IOException streamClosed) {
            // the child is gone; what it printed is what it committed
        }
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + db + OPTIONS + setting, "sa", "");
             ResultSet rs = c.createStatement().executeQuery("select count(*) from t")) {
            rs.next();
            return new long[] {committed, rs.getLong(1)};
        }
    }

    /** This class's class path, also when it runs inside Maven (exec:java loads it through a URLClassLoader). */
    private static String classPath() throws Exception {
        StringBuilder path = new StringBuilder();
        for (ClassLoader l = H2DurabilityBenchmark.class.getClassLoader(); l != null; l = l.getParent()) {
            if (l instanceof java.net.URLClassLoader u) {
                for (java.net.URL url : u.getURLs()) {
                    if (!path.isEmpty()) path.append(java.io.File.pathSeparator);
                    path.append(Path.of(url.toURI()));
                }
            }
        }
        return path.isEmpty() ? System.getProperty("java.class.path") : path.toString();
    }

    private static void child(Path db, String setting) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + db + OPTIONS + setting, "sa", "")) {
            c.createStatement().execute("create table t (id bigint primary key, v varchar(200))");
            c.setAutoCommit(false);
            PreparedStatement insert = c.prepareStatement("insert into t values (?, ?)");
            String value = "x".repeat(150);
            System.out.println("ready");
            for (long i = 1; ; i++) {
                insert.setLong(1, i);
                insert.setString(2, value);
                insert.executeUpdate();
                c.commit();
                System.out.println("c " + i); // printed only after the commit returned
            }
        }
    }
}
