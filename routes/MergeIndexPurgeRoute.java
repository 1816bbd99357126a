package appealhub.routes;

import appealhub.merge.DuplicateDetector;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Keeps the near-duplicate index to its window: persisted cases received before
 * hub.merge.window-days are deleted (lookups already ignore them; this bounds the table and
 * the next start's reload). Idempotent, so several instances may run it.
 */
@Component
public class MergeIndexPurgeRoute extends RouteBuilder {
    private final DuplicateDetector detector;
    private final long periodMs;

    public MergeIndexPurgeRoute(DuplicateDetector detector, @Value("${hub.merge.purge-period-ms:21600000}") long periodMs) {
        this.detector = detector;
        this.periodMs = periodMs;
    }

    @Override
    public void configure() {
        from("timer:merge-index-purge?delay=60000&period=" + periodMs)
                .routeId("merge-index-purge")
                .process(exchange -> {
                    int purged = detector.purgeExpired();
                    if (purged > 0) log.info("merge index: {} cases older than the window removed", purged);
                });
    }
}
