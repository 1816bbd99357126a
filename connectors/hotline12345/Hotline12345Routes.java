package appealhub.connectors.hotline12345;

import appealhub.cluster.LeaderOnlyRoutes;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
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
        // The platform re-sends on anything but a proper answer: a failure of ours must say so
        // (and the order, if stored, is recognised when it comes again).
        onException(Exception.class).handled(true)
                .log(org.apache.camel.LoggingLevel.ERROR, "12345 inbound failed: ${exception.message}")
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(500))
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json;charset=UTF-8"))
                .setBody(constant("{\"code\":50000,\"msg\":\"temporarily unavailable, please retry\"}"));

        from("platform-http:" + PUSH_PATH + "?httpMethodRestrict=POST")
                .routeId("hotline12345-push")
                .process(inbound::onPushedOrder);

        from("platform-http:" + EVALUATION_PATH + "?httpMethodRestrict=POST")
                .routeId("hotline12345-evaluation")
                .process(inbound::onEvaluation);

        if (props.pull().enabled()) {
            from("timer:hotline12345-pull?delay=" + props.pull().initialDelayMs() + "&period=" + props.pull().intervalMs())
                    .routeId("hotline12345-pull")
                    .routeProperty(LeaderOnlyRoutes.PROPERTY, PULL_LEADER_NAMESPACE)
                    .process(exchange -> puller.poll());
        }
    }
}
