package appealhub.deadline;

import java.nio.file.Path;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The working-day calendar, read once at start (a wrong file stops the hub with the reason). */
@Configuration
public class DeadlineConfig {
    @Bean
    WorkingCalendar workingCalendar(DeadlineProperties properties) {
        return WorkingCalendar.load(Path.of(properties.calendar()));
    }
}
