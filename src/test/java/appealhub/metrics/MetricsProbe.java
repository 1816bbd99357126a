package appealhub.metrics;

import appealhub.organization.OrganizationRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import org.springframework.jdbc.core.JdbcTemplate;

/** For the year-of-data bench: one metrics refresh's store reads (the queries {@link HubMetrics} runs every refresh-ms). */
public final class MetricsProbe {
    private final DomainCounts counts;

    public MetricsProbe(JdbcTemplate jdbc, Clock clock, OrganizationRegistry registry, ObjectMapper json) {
        this.counts = new DomainCounts(jdbc, clock, registry, json);
    }

    /** One refresh; returns the number of tagged rows read. */
    public int refresh() {
        return counts.channelItems().size() + counts.channelMerged().size() + counts.orgTasks().size()
                + counts.feedbackItems().size();
    }
}
