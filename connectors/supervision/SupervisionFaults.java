package appealhub.connectors.supervision;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

/**
 * The answer of the on-demand result batch (POST /ops/supervision/result-batch) when it fails:
 * HTTP 500 {"error": "result batch failed, the next run repairs it: ..."} for operations. A batch
 * left half-written is finished by the next run (SupervisionResultBatch), so nothing is lost.
 */
@Component
public class SupervisionFaults extends RouteConfigurationBuilder {
    /** The id the on-demand batch route names with routeConfigurationId. */
    public static final String RESULT_BATCH_ID = "supervision-result-batch-faults";

    private final ObjectMapper json;

    public SupervisionFaults(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void configuration() {
        routeConfiguration(RESULT_BATCH_ID)
                .onException(Exception.class).handled(true)
                .log(LoggingLevel.ERROR, "supervision result batch on demand failed: ${exception.message}")
                .process(exchange -> SupervisionRoutes.answer(json, exchange, 500, Map.of("error",
                        "result batch failed, the next run repairs it: "
                                + exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage())));
    }
}
