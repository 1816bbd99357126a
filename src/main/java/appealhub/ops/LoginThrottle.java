package appealhub.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Login throttling (issue 14, item 16): after {@code max-failures} wrong passwords for one user
 * name, or {@code max-failures-per-address} from one address, within {@code window-seconds}, that
 * user name or address is locked for {@code lock-seconds}: every login (form or HTTP Basic) is
 * refused meanwhile, the right password too. A success clears the user's count. Held in memory,
 * per instance, bounded.
 */
public class LoginThrottle {
    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

    /**
     * {@code hub.ops.login-throttle}.
     */
    @ConfigurationProperties(prefix = "hub.ops.login-throttle")
    public record Settings(@DefaultValue("true") boolean enabled, @DefaultValue("5") int maxFailures,
                           @DefaultValue("30") int maxFailuresPerAddress, @DefaultValue("600") long windowSeconds,
                           @DefaultValue("300") long lockSeconds, @DefaultValue("10000") int maxTracked) {}

    private static final class Failures {
        int count;
        Instant first;
        Instant lockedUntil;
    }

    private final Settings settings;
    private final Clock clock;
    private final Map<String, Failures> byUser = new ConcurrentHashMap<>();
    private final Map<String, Failures> byAddress = new ConcurrentHashMap<>();

    public LoginThrottle(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** Seconds the user name or address is still locked for, 0 when not locked. */
    public long lockedFor(String user, String address) {
        if (!settings.enabled()) return 0;
        Instant now = clock.instant();
        return Math.max(remaining(byUser.get(key(user)), now), remaining(byAddress.get(address), now));
    }

    public void failed(String user, String address) {
        if (!settings.enabled()) return;
        Instant now = clock.instant();
        if (byUser.size() + byAddress.size() > settings.maxTracked()) forgetOld(now);
        if (user != null) count(byUser, key(user), settings.maxFailures(), now, "user name");
        if (address != null) count(byAddress, address, settings.maxFailuresPerAddress(), now, "address");
    }

    public void succeeded(String user) {
        if (user != null) byUser.remove(key(user));
    }

    private void count(Map<String, Failures> map, String key, int max, Instant now, String what) {
        Failures f = map.computeIfAbsent(key, k -> new Failures());
        synchronized (f) {
            if (f.first == null || f.first.plusSeconds(settings.windowSeconds()).isBefore(now)) {
                f.first = now;
                f.count = 0;
            }
            f.count++;
            if (f.count >= max && (f.lockedUntil == null || !f.lockedUntil.isAfter(now))) {
                f.lockedUntil = now.plusSeconds(settings.lockSeconds());
                f.count = 0;
                f.first = null;
                // which user or address is not logged: a user name typed wrong may be a password
                log.warn("operations login: {} failed logins for one {}: locked for {} s", max, what, settings.lockSeconds());
            }
        }
    }

    private static long remaining(Failures f, Instant now) {
        if (f == null) return 0;
        synchronized (f) {
            if (f.lockedUntil == null || !f.lockedUntil.isAfter(now)) return 0;
            return Math.max(1, Duration.between(now, f.lockedUntil).toSeconds());
        }
    }

    private void forgetOld(Instant now) {
        Instant old = now.minusSeconds(Math.max(settings.windowSeconds(), settings.lockSeconds()));
        for (Map<String, Failures> map : java.util.List.of(byUser, byAddress)) {
            map.entrySet().removeIf(e -> {
                synchronized (e.getValue()) {
                    Failures f = e.getValue();
                    return (f.lockedUntil == null || f.lockedUntil.isBefore(now)) && (f.first == null || f.first.isBefore(old));
                }
            });
        }
    }

    private static String key(String user) {
        return user == null ? null : user.strip().toLowerCase(Locale.ROOT);
    }

    /** The hub's password check with the throttle around it: locked first, then counted. */
    static final class Provider extends DaoAuthenticationProvider {
        private final LoginThrottle throttle;

        Provider(UserDetailsService users, PasswordEncoder encoder, LoginThrottle throttle) {
            super(users);
            setPasswordEncoder(encoder);
            this.throttle = throttle;
        }

        @Override
        public Authentication authenticate(Authentication authentication) throws AuthenticationException {
            String user = authentication.getName();
            String address = authentication.getDetails() instanceof WebAuthenticationDetails d ? d.getRemoteAddress() : null;
            long locked = throttle.lockedFor(user, address);
            if (locked > 0) throw new LockedException("too many failed logins: try again in " + locked + " s");
            try {
                Authentication done = super.authenticate(authentication);
                throttle.succeeded(user);
                return done;
            } catch (BadCredentialsException e) {
                throttle.failed(user, address);
                throw e;
            }
        }
    }
}
