package appealhub.routes;

import appealhub.merge.DuplicateDetector;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Keeps the near-duplicate index to its window: persisted cases received before
 * hub.merge.window-days are deleted (lookups already ignore them; this bounds the table and
 * the next start's reload). Idempotent, so several instances may run it.
 */
@Component
public class MergeIndexPurgeRoute extends RouteBuilder {
    private final DuplicateDetector detector;

    public MergeIndexPurgeRoute(DuplicateDetector detector) {
        this.detector = detector;
    }

    @Override
    public void configure() {
        from("timer:merge-index-purge?delay=60000&period={{hub.merge.purge-period-ms:21600000}}")
                .routeId("merge-index-purge").routeConfigurationId(ErrorHandling.ID)
                .bean(detector, "purgeExpired")
                .filter(body().isGreaterThan(0))
                    .log("merge index: ${body} cases older than the window removed")
                .end();
    }
}
