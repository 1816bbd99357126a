package appealhub.ops;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hub.ops}: who may log in to the operations pages and API. Passwords are bcrypt hashes
 * ({@code $2a$...} or {@code {bcrypt}$2a$...}); {@code {noop}plain} only where plain passwords are
 * allowed (the demo run; the production profile refuses them).
 *
 * @param users                the operations staff
 * @param allowPlainPasswords  whether {@code {noop}} passwords are accepted
 */
@ConfigurationProperties(prefix = "hub.ops")
public record OpsUsers(List<User> users, @DefaultValue("false") boolean allowPlainPasswords) {

    /** A role is viewer (sees everything) or operator (also acts: triage, replay, re-send, undo). */
    public record User(String name, String password, String role) {
        @Override
        public String toString() {
            return "User[" + name + ", " + role + "]"; // never the password
        }
    }

    public OpsUsers {
        users = users == null ? List.of() : List.copyOf(users);
    }
}
