package appealhub.upstream;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.Resilience4jConfigurationDefinition;
import org.apache.camel.model.springboot.Resilience4jConfigurationDefinitionCommon;
import org.apache.camel.model.springboot.Resilience4jConfigurationDefinitionProperties;
import org.apache.camel.support.PropertyBindingSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/**
 * camel.resilience4j.* in config/application.yml, handed to Camel's circuitBreaker() EIP: the
 * named configurations (camel.resilience4j.configurations.&lt;name&gt;.*), which a route picks with
 * {@code .circuitBreaker().configuration("<name>")}, and the values directly under
 * camel.resilience4j, the defaults of every circuit breaker. This is what camel-resilience4j-starter
 * does; that starter is not published for Camel 4.18, while the properties class (and the keys' IDE
 * metadata) ship in camel-core-starter. Done while the beans are made, so before the routes start.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(Resilience4jConfigurationDefinitionProperties.class)
class UpstreamBreakerConfigurations {
    private static final Logger log = LoggerFactory.getLogger(UpstreamBreakerConfigurations.class);

    UpstreamBreakerConfigurations(CamelContext camel, Resilience4jConfigurationDefinitionProperties properties) {
        if (!properties.isEnabled()) return;
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        Resilience4jConfigurationDefinition defaults = definition(camel, "camel.resilience4j", properties);
        if (defaults != null) model.setResilience4jConfiguration(defaults);
        Map<String, Resilience4jConfigurationDefinitionCommon> named = properties.getConfigurations();
        if (named == null) return;
        named.forEach((name, values) -> {
            Resilience4jConfigurationDefinition definition = definition(camel, "camel.resilience4j.configurations." + name, values);
            model.addResilience4jConfiguration(name, definition != null ? definition : new Resilience4jConfigurationDefinition());
            log.debug("circuit breaker configuration {}: {}", name, definition);
        });
    }

    /** The values set under {@code prefix} as Camel's definition; null when none is set. */
    static Resilience4jConfigurationDefinition definition(CamelContext camel, String prefix,
                                                         Resilience4jConfigurationDefinitionCommon values) {
        Map<String, Object> set = new LinkedHashMap<>();
        BeanWrapperImpl bean = new BeanWrapperImpl(values);
        for (var p : bean.getPropertyDescriptors()) {
            if (p.getReadMethod() != null && p.getWriteMethod() != null) set.put(p.getName(), bean.getPropertyValue(p.getName()));
        }
        set.remove("configurations");
        set.remove("enabled");
        // The starter's names for the two lists are singular, the model's plural.
        rename(set, "recordException", "recordExceptions");
        rename(set, "ignoreException", "ignoreExceptions");
        set.values().removeIf(v -> v == null || v instanceof java.util.Collection<?> c && c.isEmpty());
        if (set.isEmpty()) return null;
        Resilience4jConfigurationDefinition definition = new Resilience4jConfigurationDefinition();
        Map<String, Object> left = new LinkedHashMap<>(set);
        PropertyBindingSupport.build().withCamelContext(camel).withTarget(definition).withProperties(left)
                .withRemoveParameters(true).withIgnoreCase(true).bind();
        if (!left.isEmpty()) {
            throw new IllegalArgumentException(prefix + ": not an option of Camel's circuit breaker: " + left.keySet());
        }
        return definition;
    }

    private static void rename(Map<String, Object> set, String from, String to) {
        Object v = set.remove(from);
        if (v != null) set.put(to, v);
    }
}
