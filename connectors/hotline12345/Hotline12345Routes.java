package appealhub.connectors.hotline12345;

import appealhub.cluster.LeaderOnlyRoutes;
import appealhub.push.PushEndpoint;
import appealhub.push.PushEndpoint.Answer;
import appealhub.push.PushEndpoint.RefusalFormat;
import appealhub.routes.PollFaults;
import java.util.List;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

/**
 * The 12345 channel's inbound side (connector.yaml): push endpoints for work orders and
 * evaluations, and the pull of pending orders on a timer. The pull runs on one hub instance at a
 * time (lease {@value #PULL_LEADER_NAMESPACE}): paging and 签收 of the pending list are not shared.
 */
@Component
@ConditionalOnProperty(prefix = "hub.channels.hotline12345", name = "enabled", havingValue = "true")
public class Hotline12345Routes extends RouteBuilder {
    static final String PUSH_PATH = "/api/hotline12345/workorders";
    static final String EVALUATION_PATH = "/api/hotline12345/evaluations";
    static final String PULL_LEADER_NAMESPACE = "hotline12345-pull";

    /**
     * The platform's error body {"code": ..., "msg": ...}, like its 40001 and 40100 (hotline12345.md).
     * The spec names no code for these refusals: the hub answers the HTTP status times 100 (41300,
     * 41500, 42900), in the same shape, and says so in connector.yaml.
     */
    static final RefusalFormat REFUSAL = (refusal, message) ->
            Answer.json(refusal.status, "{\"code\":" + refusal.status * 100 + ",\"msg\":" + RefusalFormat.quote(message) + "}");

    @Bean
    PushEndpoint hotline12345WorkOrderPush() {
        return new PushEndpoint(PUSH_PATH, "hotline12345", "workorder", List.of("application/json"), REFUSAL);
    }

    @Bean
    PushEndpoint hotline12345EvaluationPush() {
        return new PushEndpoint(EVALUATION_PATH, "hotline12345", "evaluation", List.of("application/json"), REFUSAL);
    }

    private final Hotline12345Properties props;
    private final Hotline12345Inbound inbound;
    private final Hotline12345Puller puller;

    public Hotline12345Routes(Hotline12345Properties props, Hotline12345Inbound inbound, Hotline12345Puller puller) {
        this.props = props;
        this.inbound = inbound;
        this.puller = puller;
    }

    @Override
    public void configure() {
        // A failure of ours answers 500 in the platform's shape, and the platform re-sends (Hotline12345Faults).
        // useStreaming: the body as the bytes that came (signed bytes), not decoded by the servlet reader,
        // which fails on a byte that is not UTF-8 (found by abuse/BadInputCorpusTest: a GBK body got a 500).
        from("platform-http:" + PUSH_PATH + "?httpMethodRestrict=POST&useStreaming=true")
                .routeId("hotline12345-push").routeConfigurationId(Hotline12345Faults.ID)
                .process(inbound::onPushedOrder);

        from("platform-http:" + EVALUATION_PATH + "?httpMethodRestrict=POST&useStreaming=true")
                .routeId("hotline12345-evaluation").routeConfigurationId(Hotline12345Faults.ID)
                .process(inbound::onEvaluation);

        if (props.pull().enabled()) {
            from("timer:hotline12345-pull?delay={{hub.channels.hotline12345.pull.initial-delay-ms}}"
                    + "&period={{hub.channels.hotline12345.pull.interval-ms}}")
                    .routeId("hotline12345-pull").routeConfigurationId(PollFaults.ID)
                    .routeProperty(LeaderOnlyRoutes.PROPERTY, PULL_LEADER_NAMESPACE)
                    .process(exchange -> puller.poll());
        }
    }
}
