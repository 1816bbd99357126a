package appealhub.config;

import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one clock of the hub: every time-based decision (deadlines, timers, windows, back-off)
 * reads it. Tests register their own controllable clock as the singleton "clock" before the
 * context is refreshed, and this one steps aside.
 */
@Configuration
public class ClockConfig {
    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
