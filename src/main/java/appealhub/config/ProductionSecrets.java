package appealhub.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Profiles;
import org.springframework.core.env.PropertySource;

/**
 * With the production profile, the hub refuses to start while a secret is blank or still a demo
 * value, and says which (property names only, never a value). Runs as an
 * ApplicationContextInitializer (META-INF/spring.factories): before any bean is made, so the hub
 * fails at once instead of waiting for its database or broker first, and before it could sign,
 * accept or hash anything with a key everybody can read in config/application.yml.
 * <p>
 * A demo value: one containing "demo" or "change-me", or equal to a secret's default in
 * config/application.yml. Secrets of a channel switched off (hub.channels.&lt;c&gt;.enabled=false)
 * are not looked at.
 */
public class ProductionSecrets implements ApplicationContextInitializer<ConfigurableApplicationContext> {
    public static final String PROFILE = "production";

    /** Secrets of one channel, looked at only when the channel is enabled. */
    static final Map<String, List<String>> CHANNEL_SECRETS = Map.of(
            "hotline12345", List.of("app-secret"),
            "leaderboard", List.of("secret"),
            "miniprogram", List.of("api-key", "callback-key"),
            "wechat", List.of("token", "app-secret"));
    /** The order secrets are listed in (channels in the order of config/application.yml). */
    static final List<String> CHANNELS = List.of("hotline12345", "leaderboard", "miniprogram", "wechat");
    /** Secrets the hub always needs. */
    static final List<String> ALWAYS = List.of("hub.merge.phone-key", "spring.artemis.password");
    static final String OPS_USERS = "hub.ops.users";

    private static final Pattern PLACEHOLDER_WITH_DEFAULT = Pattern.compile("\\$\\{[^:}]+:(.*)}");

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        ConfigurableEnvironment env = context.getEnvironment();
        if (!env.acceptsProfiles(Profiles.of(PROFILE))) return;
        List<String> offending = check(env);
        if (!offending.isEmpty()) throw new Refused(offending);
    }

    /** Every offending secret as "property (why)", in a fixed order; empty when all are fine. */
    public static List<String> check(ConfigurableEnvironment env) {
        // Binder leaves a placeholder it cannot resolve as it is ("${WECHAT_TOKEN}"): counted as not set.
        Binder binder = Binder.get(env);
        Set<String> defaults = defaults(env);
        List<String> offending = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String channel : CHANNELS) {
            String prefix = "hub.channels." + channel;
            if (!binder.bind(prefix + ".enabled", Boolean.class).orElse(true)) continue;
            for (String key : CHANNEL_SECRETS.get(channel)) names.add(prefix + "." + key);
        }
        names.addAll(ALWAYS);
        for (String name : names) {
            String why = judge(binder.bind(name, String.class).orElse(""), defaults);
            if (why != null) offending.add(name + " (" + why + ")");
        }
        // The list as Spring binds it: the production profile's list replaces the demo users, not merged with them.
        List<OpsUser> users = binder.bind(OPS_USERS, Bindable.listOf(OpsUser.class)).orElse(List.of());
        if (users.isEmpty()) offending.add(OPS_USERS + " (none)");
        for (int i = 0; i < users.size(); i++) {
            String why = judge(users.get(i).password(), defaults);
            if (why != null) offending.add(OPS_USERS + "[" + i + "].password (" + why + ")");
        }
        return offending;
    }

    /** Why a secret's value will not do, or null when it will. */
    static String judge(String value, Set<String> defaults) {
        if (value == null || value.isBlank() || value.startsWith("${")) return "blank";
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.contains("demo") || lower.contains("change-me") || defaults.contains(value)) return "demo value";
        return null;
    }

    /**
     * The secrets' defaults as written in config/application.yml (the property source Spring Boot
     * loaded it into; a placeholder counts with its default: ${HUB_MERGE_PHONE_KEY:demo-...}).
     */
    static Set<String> defaults(ConfigurableEnvironment env) {
        Set<String> defaults = new LinkedHashSet<>();
        for (PropertySource<?> source : env.getPropertySources()) {
            // "Config resource 'file [config/application.yml]' via location ..."; not application-production.yml
            if (!source.getName().contains("application.yml") || !(source instanceof EnumerablePropertySource<?> e)) continue;
            for (String name : e.getPropertyNames()) {
                if (!isSecret(name)) continue;
                Object raw = e.getProperty(name);
                String value = raw == null ? null : defaultOf(raw.toString());
                if (value != null && !value.isBlank()) defaults.add(value);
            }
        }
        return defaults;
    }

    private static boolean isSecret(String name) {
        if (ALWAYS.contains(name)) return true;
        if (name.startsWith(OPS_USERS + "[") && name.endsWith("].password")) return true;
        for (String channel : CHANNELS) {
            for (String key : CHANNEL_SECRETS.get(channel)) {
                if (name.equals("hub.channels." + channel + "." + key)) return true;
            }
        }
        return false;
    }

    /** A raw value's default: itself, or a placeholder's default; null for a placeholder without one. */
    private static String defaultOf(String raw) {
        Matcher m = PLACEHOLDER_WITH_DEFAULT.matcher(raw);
        if (m.matches()) return m.group(1);
        return raw.contains("${") ? null : raw;
    }

    /** What the check needs of an operations login. */
    record OpsUser(String name, String password) {}

    /** The start refused, with every offending property (names only). */
    public static final class Refused extends IllegalStateException {
        private final List<String> offending;

        Refused(List<String> offending) {
            super("production profile: blank or demo secrets, refusing to start: " + String.join(", ", offending));
            this.offending = List.copyOf(offending);
        }

        public List<String> offending() {
            return offending;
        }
    }

    /** Spring Boot's "APPLICATION FAILED TO START" block for it, instead of a stack trace. */
    public static final class Analyzer extends AbstractFailureAnalyzer<Refused> {
        @Override
        protected FailureAnalysis analyze(Throwable rootFailure, Refused cause) {
            return new FailureAnalysis("The production profile is active and these secrets are blank or demo values:\n    "
                    + String.join("\n    ", cause.offending()),
                    "Set each from the environment or the secret store (config/application-production.yml names the"
                            + " variables, e.g. HUB_MERGE_PHONE_KEY, SPRING_ARTEMIS_PASSWORD, WECHAT_TOKEN), or switch an"
                            + " unused channel off with HUB_CHANNELS_<CHANNEL>_ENABLED=false.", cause);
        }
    }
}
