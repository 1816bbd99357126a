package appealhub.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.activemq.artemis.utils.PasswordMaskingUtil;

/**
 * The broker's users file (Artemis' users.properties format: user = password, or
 * user = ENC(one-way hash)), as read by the hub: which users exist, and the clear demo
 * password the demo clients of the default run (simulated departments, grid feeder) log in with.
 */
public final class BrokerUsers {
    private final Path file;
    private final Properties users;

    private BrokerUsers(Path file, Properties users) {
        this.file = file;
        this.users = users;
    }

    public static BrokerUsers read(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalStateException("broker users file " + file.toAbsolutePath() + " not found or not readable (hub.broker.users-file)");
        }
        Properties users = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            users.load(in); // as Artemis reads it (ISO-8859-1): keep passwords ASCII
        } catch (IOException e) {
            throw new IllegalStateException("cannot read broker users file " + file.toAbsolutePath(), e);
        }
        return new BrokerUsers(file, users);
    }

    public Set<String> users() {
        return new TreeSet<>(users.stringPropertyNames());
    }

    public boolean has(String user) {
        return users.getProperty(user) != null;
    }

    /** Users whose password is in clear rather than an ENC(one-way hash). */
    public Set<String> withClearPasswords() {
        Set<String> clear = new TreeSet<>();
        for (String user : users.stringPropertyNames()) {
            if (!PasswordMaskingUtil.isEncMasked(users.getProperty(user))) clear.add(user);
        }
        return clear;
    }

    /** A user's password in clear: only a demo file has them (a production file holds hashes). */
    public String clearPassword(String user) {
        String password = users.getProperty(user);
        if (password == null) throw new IllegalStateException("no broker user " + user + " in " + file);
        if (PasswordMaskingUtil.isEncMasked(password)) {
            throw new IllegalStateException("broker user " + user + " has a hashed password in " + file
                    + ": demo clients need the demo users file");
        }
        return password;
    }
}
