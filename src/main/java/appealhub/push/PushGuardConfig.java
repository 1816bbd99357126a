package appealhub.push;

import appealhub.store.RawItemStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** {@link PushGuardFilter} on {@code /api/*}, ahead of the operations login and of Camel's platform-http. */
@Configuration
public class PushGuardConfig {
    /** Before Spring Security (-100) and Spring MVC's own filters: nothing reads the body first. */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

    @Bean
    FilterRegistrationBean<PushGuardFilter> pushGuard(PushGuardProperties props, RawItemStore raw,
                                                      ObjectProvider<MeterRegistry> meters,
                                                      ObjectProvider<PushEndpoint> endpoints) {
        FilterRegistrationBean<PushGuardFilter> registration = new FilterRegistrationBean<>(
                new PushGuardFilter(props, raw, meters.getIfAvailable(), endpoints.orderedStream().toList()));
        registration.addUrlPatterns("/api/*");
        registration.setOrder(ORDER);
        registration.setName("pushGuard");
        return registration;
    }
}
