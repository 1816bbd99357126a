package appealhub.retention;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hub.retention}: how long personal data and raw bodies are kept.
 *
 * @param enabled        off: nothing is purged (the route does not run)
 * @param closedDays     a closed case's citizens' names and phones, its texts' numbers and its raw bodies
 *                       are purged this many days after it closed (resolved, returned upstream, merged)
 * @param rawDays        raw items that became no appeal (refused, malformed, duplicates, events) are
 *                       emptied this many days after they arrived
 * @param batch          cases purged in one run at most (the next run goes on)
 * @param periodMs       how often the purge runs
 * @param initialDelayMs the first run after start
 */
@ConfigurationProperties(prefix = "hub.retention")
public record RetentionProperties(@DefaultValue("true") boolean enabled,
                                  @DefaultValue("180") int closedDays,
                                  @DefaultValue("180") int rawDays,
                                  @DefaultValue("500") int batch,
                                  @DefaultValue("3600000") long periodMs,
                                  @DefaultValue("300000") long initialDelayMs) {
    public RetentionProperties {
        if (closedDays < 0 || rawDays < 0) throw new IllegalArgumentException("hub.retention: days must not be negative");
        if (batch < 1) throw new IllegalArgumentException("hub.retention.batch must be at least 1");
    }
}
