package appealhub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import appealhub.AppealHubApplication;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.FileSystemResource;

/**
 * The production profile refuses blank and demo secrets at start, naming the properties and
 * never their values. The check runs on the real config/application.yml and
 * application-production.yml, with the environment variables an operator would set.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProductionSecretsTest {
    /** What an operator sets for production (none of it a demo value). */
    static Map<String, Object> properEnvironment() {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("HOTLINE12345_APP_SECRET", "h7Qm2-12345-live-key");
        env.put("LEADERBOARD_SECRET", "lb-9f3e1c0a77");
        env.put("MINIPROGRAM_API_KEY", "mp-in-5c1d8e");
        env.put("MINIPROGRAM_CALLBACK_KEY", "mp-out-0b4a6f");
        env.put("WECHAT_TOKEN", "wx-token-2e9d");
        env.put("WECHAT_APP_SECRET", "wx-secret-81c7");
        env.put("HUB_MERGE_PHONE_KEY", "phone-hmac-6d2f0e91");
        env.put("SPRING_ARTEMIS_PASSWORD", "broker-pw-4a8c");
        env.put("HUB_OPS_OPERATOR_NAME", "zhang");
        env.put("HUB_OPS_OPERATOR_PASSWORD_BCRYPT", "$2a$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW");
        env.put("HUB_OPS_VIEWER_NAME", "li");
        env.put("HUB_OPS_VIEWER_PASSWORD_BCRYPT", "$2a$12$Xy3kZ7b1Q2w3e4r5t6y7uOa8s9d0f1g2h3j4k5l6z7x8c9v0b1n2m");
        return env;
    }

    @Test
    void properValuesPass() throws IOException {
        assertThat(ProductionSecrets.check(production(properEnvironment()))).isEmpty();
    }

    @Test
    void aDemoValueIsNamedButNotShown() throws IOException {
        Map<String, Object> env = properEnvironment();
        env.put("WECHAT_TOKEN", "our-demo-token-xyz");
        env.put("MINIPROGRAM_CALLBACK_KEY", "please-change-me");
        env.put("SPRING_ARTEMIS_PASSWORD", "demo-hub");

        GenericApplicationContext context = new GenericApplicationContext();
        context.setEnvironment(production(env));
        assertThatThrownBy(() -> new ProductionSecrets().initialize(context))
                .isInstanceOf(ProductionSecrets.Refused.class)
                .hasMessage("production profile: blank or demo secrets, refusing to start: "
                        + "hub.channels.miniprogram.callback-key (demo value), hub.channels.wechat.token (demo value), "
                        + "spring.artemis.password (demo value)")
                .message().doesNotContain("our-demo-token-xyz").doesNotContain("please-change-me");
    }

    @Test
    void withNothingSetEverySecretIsListedAndThePhoneKeyIsTheDemoDefault() throws IOException {
        Map<String, Object> env = properEnvironment();
        env.keySet().removeIf(k -> !k.endsWith("_NAME"));
        assertThat(ProductionSecrets.check(production(env))).containsExactly(
                "hub.channels.hotline12345.app-secret (blank)",
                "hub.channels.leaderboard.secret (blank)",
                "hub.channels.miniprogram.api-key (blank)",
                "hub.channels.miniprogram.callback-key (blank)",
                "hub.channels.wechat.token (blank)",
                "hub.channels.wechat.app-secret (blank)",
                "hub.merge.phone-key (demo value)",
                "spring.artemis.password (blank)",
                "hub.ops.users[0].password (blank)",
                "hub.ops.users[1].password (blank)");
    }

    @Test
    void theSecretsOfAChannelSwitchedOffAreNotLookedAt() throws IOException {
        Map<String, Object> env = properEnvironment();
        env.remove("WECHAT_TOKEN");
        env.remove("WECHAT_APP_SECRET");
        env.put("HUB_CHANNELS_WECHAT_ENABLED", "false");
        env.put("LEADERBOARD_SECRET", "");
        assertThat(ProductionSecrets.check(production(env))).containsExactly("hub.channels.leaderboard.secret (blank)");
    }

    @Test
    void aValueEqualToADefaultOfApplicationYmlIsADemoValueEvenWithoutTheWord() throws IOException {
        // As if config/application.yml shipped a default secret that does not say "demo".
        StandardEnvironment env = production(properEnvironment());
        String name = env.getPropertySources().stream().map(PropertySource::getName)
                .filter(n -> n.contains("application.yml")).findFirst().orElseThrow();
        EnumerablePropertySource<?> yml = (EnumerablePropertySource<?>) env.getPropertySources().get(name);
        Map<String, Object> changed = new HashMap<>();
        for (String key : yml.getPropertyNames()) changed.put(key, yml.getProperty(key));
        changed.put("hub.channels.leaderboard.secret", "lb-9f3e1c0a77");
        env.getPropertySources().replace(name, new MapPropertySource(name, changed));

        assertThat(ProductionSecrets.check(env)).containsExactly("hub.channels.leaderboard.secret (demo value)");
    }

    @Test
    void withoutTheProductionProfileDemoValuesAreFine() throws IOException {
        StandardEnvironment env = production(Map.of());
        env.setActiveProfiles("default");
        GenericApplicationContext context = new GenericApplicationContext();
        context.setEnvironment(env);
        new ProductionSecrets().initialize(context);
        assertThat(ProductionSecrets.check(env)).as("what it would say with the profile").isNotEmpty();
    }

    @Test
    void theHubItselfExitsAtStartWithOneClearMessage(CapturedOutput output) {
        // The real application (spring.factories): it must stop before making any bean (no database,
        // no broker is there for it), with a demo phone key and a WeChat token seen by nobody.
        assertThatThrownBy(() -> new SpringApplicationBuilder(AppealHubApplication.class).run(
                "--spring.profiles.active=production", "--spring.main.banner-mode=off",
                "--hub.channels.wechat.token=wx-demo-7f3a9b",
                "--hub.channels.hotline12345.enabled=false", "--hub.channels.leaderboard.enabled=false",
                "--hub.channels.miniprogram.enabled=false"))
                .isInstanceOf(ProductionSecrets.Refused.class)
                .hasMessageContaining("hub.channels.wechat.token (demo value)")
                .hasMessageContaining("hub.merge.phone-key (demo value)")
                .hasMessageNotContaining("hotline12345");
        assertThat(output.getOut() + output.getErr())
                .contains("APPLICATION FAILED TO START")
                .contains("hub.channels.wechat.token (demo value)")
                .doesNotContain("wx-demo-7f3a9b")
                .doesNotContain("demo-merge-phone-key-change-me")
                .doesNotContain("Started AppealHubApplication");
    }

    /**
     * The production environment as Spring Boot builds it: the operator's variables above the
     * production profile's file above config/application.yml (property source names as Boot gives them).
     */
    static StandardEnvironment production(Map<String, Object> variables) throws IOException {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        env.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        YamlPropertySourceLoader yaml = new YamlPropertySourceLoader();
        for (String file : List.of("config/application-production.yml", "config/application.yml")) {
            String name = "Config resource 'file [" + file + "]' via location 'optional:file:./config/'";
            for (PropertySource<?> source : yaml.load(name, new FileSystemResource(file))) env.getPropertySources().addLast(source);
        }
        env.setActiveProfiles(ProductionSecrets.PROFILE);
        return env;
    }
}
