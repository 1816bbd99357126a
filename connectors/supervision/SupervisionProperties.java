package appealhub.connectors.supervision;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * hub.channels.supervision in config/application.yml; see connector.yaml for what each means.
 * No defaults of its own: a key left out binds as false, 0 or null (the accessors below
 * fall back to safe values for the numbers).
 */
@ConfigurationProperties(prefix = "hub.channels.supervision")
public record SupervisionProperties(boolean enabled, String inbox, String outbox, String processed, String resultCron,
                                    long pollDelayMs, String unitName, Demo demo) {

    public record Demo(long intervalMs, long initialDelayMs) {}

    /** The daily batch is off when the cron is empty or "-" (on demand only). */
    public boolean resultCronEnabled() {
        return resultCron != null && !resultCron.isBlank() && !"-".equals(resultCron.trim());
    }

    public long pollDelay() {
        return pollDelayMs > 0 ? pollDelayMs : 5000;
    }

    public String unit() {
        return unitName == null || unitName.isBlank() ? "冀州区综治中心" : unitName;
    }
}
