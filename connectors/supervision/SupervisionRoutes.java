package appealhub.connectors.supervision;

import appealhub.cluster.LeaderOnlyRoutes;
import appealhub.model.Ids;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TimeZone;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spring.pollingconsumer.SpringScheduledPollConsumerScheduler;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The supervision channel (connector.yaml): clue files in from the inbox with Camel's file
 * component, only once their .ok marker exists, moved to the processed folder afterwards;
 * the result batch daily on result-cron (Beijing time) and on demand from operations. The inbox and
 * the daily batch run on one hub instance at a time, together (lease {@value #LEADER_NAMESPACE}).
 */
@Component
@ConditionalOnProperty(prefix = "hub.channels.supervision", name = "enabled", havingValue = "true")
public class SupervisionRoutes extends RouteBuilder {
    static final String RESULT_BATCH_PATH = "/ops/supervision/result-batch";
    static final String FILES_PATH = "/ops/supervision/files";
    static final String BATCHES_PATH = "/ops/supervision/batches";
    static final String CRON_BEAN = "supervisionResultCron";
    static final String LEADER_NAMESPACE = "supervision";

    private final SupervisionProperties props;
    private final SupervisionInbound inbound;
    private final SupervisionResultBatch results;
    private final SupervisionStore store;
    private final ObjectMapper json;

    public SupervisionRoutes(SupervisionProperties props, SupervisionInbound inbound, SupervisionResultBatch results,
                             SupervisionStore store, ObjectMapper json) {
        this.props = props;
        this.inbound = inbound;
        this.results = results;
        this.store = store;
        this.json = json;
    }

    @Override
    public void configure() {
        String inbox = Path.of(props.inbox()).toAbsolutePath().normalize().toString();
        // include: DC_*.csv only (not the .ok markers); doneFileName: never before the relay's .ok;
        // move: to the processed folder, to the path SupervisionInbound chose (never over an older file).
        // On a failure of the hub itself the file stays (and its .ok) and is read again on a later poll.
        // The folder is made absolute and the delay falls back to 5 s when unset: values computed
        // from the properties, not placeholders.
        from("file:" + inbox
                + "?include=RAW(DC_.*\\.csv)"
                + "&doneFileName=${file:name}.ok"
                + "&charset=GBK"
                + "&sortBy=file:name"
                + "&delay=" + props.pollDelay()
                + "&initialDelay=1000"
                + "&move=${header." + SupervisionInbound.MOVE_TO + "}")
                .routeId("supervision-inbox")
                .routeProperty(LeaderOnlyRoutes.PROPERTY, LEADER_NAMESPACE)
                .process(inbound::onFile);

        if (props.resultCronEnabled()) {
            // Spring's cron, in Beijing time whatever the server's zone (the scheduler component's
            // spring scheduler, handed over by reference so its time zone is a real TimeZone).
            SpringScheduledPollConsumerScheduler cron = new SpringScheduledPollConsumerScheduler();
            cron.setCron(props.resultCron());
            cron.setTimeZone(TimeZone.getTimeZone(Ids.BEIJING));
            getContext().getRegistry().bind(CRON_BEAN, cron);
            from("scheduler:supervision-result-batch?scheduler=#" + CRON_BEAN)
                    .routeId("supervision-result-batch-daily")
                    .routeProperty(LeaderOnlyRoutes.PROPERTY, LEADER_NAMESPACE)
                    .process(exchange -> results.run());
        }

        // A failure answers 500 with the reason; the next run repairs the batch (SupervisionFaults).
        from("platform-http:" + RESULT_BATCH_PATH + "?httpMethodRestrict=POST")
                .routeId("supervision-result-batch-ops").routeConfigurationId(SupervisionFaults.RESULT_BATCH_ID)
                .process(exchange -> {
                    SupervisionResultBatch.Run run = results.run();
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("file", run.newFile());
                    body.put("rows", run.rows());
                    body.put("written", run.files());
                    if (run.files().isEmpty()) body.put("message", "nothing to write");
                    answer(json, exchange, 200, body);
                });

        from("platform-http:" + FILES_PATH + "?httpMethodRestrict=GET")
                .routeId("supervision-files-ops")
                .process(exchange -> answer(json, exchange, 200, store.files(limit(exchange))));

        from("platform-http:" + BATCHES_PATH + "?httpMethodRestrict=GET")
                .routeId("supervision-batches-ops")
                .process(exchange -> answer(json, exchange, 200, Map.of(
                        "resultsWaiting", store.unbatchedCount(), "batches", store.batches(limit(exchange)),
                        // results with characters GBK cannot hold, written as □: staff may tell the relay
                        "substituted", store.substituted(limit(exchange)).stream().map(r -> Map.of(
                                "clueId", r.clueId(), "kind", r.kind(), "characters", r.substituted(),
                                "batchId", r.batchId() == null ? "" : r.batchId())).toList())));
    }

    private static int limit(Exchange exchange) {
        Integer limit = exchange.getIn().getHeader("limit", Integer.class);
        return limit == null || limit <= 0 ? 50 : Math.min(limit, 500);
    }

    /** A JSON answer of an operations endpoint; no header of the request is echoed. */
    static void answer(ObjectMapper json, Exchange exchange, int status, Object body) throws Exception {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json;charset=UTF-8");
        exchange.getMessage().setBody(json.writeValueAsBytes(body));
    }
}
