package appealhub.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

class OpsUsersTest {
    final PasswordEncoder encoder = new OpsSecurity().opsPasswordEncoder();

    @Test
    void bcryptHashesWithOrWithoutPrefixAndRolesAsSpringSecurityNamesThem() {
        String hash = new BCryptPasswordEncoder().encode("s3cret-for-test");
        List<UserDetails> users = OpsSecurity.users(new OpsUsers(List.of(
                new OpsUsers.User("wang", hash, "operator"),
                new OpsUsers.User("li", "{bcrypt}" + hash, "Viewer")), false));
        assertThat(users).extracting(UserDetails::getUsername).containsExactly("wang", "li");
        assertThat(users.get(0).getAuthorities()).extracting(Object::toString).containsExactly("ROLE_OPERATOR");
        assertThat(users.get(1).getAuthorities()).extracting(Object::toString).containsExactly("ROLE_VIEWER");
        assertThat(encoder.matches("s3cret-for-test", users.get(0).getPassword())).isTrue();
        assertThat(encoder.matches("s3cret-for-test", users.get(1).getPassword())).isTrue();
        assertThat(encoder.matches("wrong", users.get(0).getPassword())).isFalse();
    }

    @Test
    void mistakesStopTheHubWithTheReason() {
        assertThatThrownBy(() -> OpsSecurity.users(new OpsUsers(List.of(new OpsUsers.User("wang", "{noop}x", "admin")), true)))
                .hasMessageContaining("not viewer or operator");
        assertThatThrownBy(() -> OpsSecurity.users(new OpsUsers(List.of(new OpsUsers.User("wang", "{noop}x", "viewer")), false)))
                .hasMessageContaining("plain {noop} password");
        assertThatThrownBy(() -> OpsSecurity.users(new OpsUsers(List.of(new OpsUsers.User("wang", "secret", "viewer")), true)))
                .hasMessageContaining("neither a bcrypt hash");
        assertThatThrownBy(() -> OpsSecurity.users(new OpsUsers(List.of(new OpsUsers.User("wang", "{noop}a", "viewer"),
                new OpsUsers.User("wang", "{noop}b", "operator")), true))).hasMessageContaining("appears twice");
        assertThat(new OpsUsers.User("wang", "{noop}secret", "viewer").toString()).doesNotContain("secret");
    }
}
