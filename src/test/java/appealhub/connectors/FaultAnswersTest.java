package appealhub.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.connectors.hotline12345.Hotline12345Faults;
import appealhub.connectors.miniprogram.MiniprogramFaults;
import appealhub.connectors.supervision.SupervisionFaults;
import appealhub.connectors.wechat.WechatFaults;
import appealhub.connectors.wechat.WechatInbound;
import appealhub.routes.PollFaults;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/**
 * What the push endpoints (and the pollers, and the on-demand result batch) answer when the hub
 * itself fails: each channel's route configuration, on a route that fails as a store that is down
 * would; and each of the channel's routes names its configuration. (Without Spring or a web
 * server: the configurations are plain Camel.)
 */
class FaultAnswersTest {
    static final Map<String, String> PUSH = Map.of("Authorization", "Bearer secret-key", "X-Signature", "abc");

    @Test
    void hotline12345AnswersItsOwn50000() throws Exception {
        Exchange answer = failOn(new Hotline12345Faults(), Hotline12345Faults.ID);
        assertThat(answer.getException()).isNull();
        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(500);
        assertThat(answer.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/json;charset=UTF-8");
        assertThat(answer.getMessage().getBody(String.class)).isEqualTo("{\"code\":50000,\"msg\":\"temporarily unavailable, please retry\"}");
    }

    @Test
    void theMiniprogramAnswers500NeverA400AndDropsTheKey() throws Exception {
        Exchange answer = failOn(new MiniprogramFaults(), MiniprogramFaults.ID);
        assertThat(answer.getException()).isNull();
        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(500);
        assertThat(answer.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/json;charset=UTF-8");
        assertThat(answer.getMessage().getBody(String.class)).isEqualTo("{\"error\":\"temporarily unavailable, please retry\"}");
        assertThat(answer.getMessage().getHeaders()).doesNotContainKey("Authorization").containsKey("X-Signature");
    }

    @Test
    void weChatGets500InPlainTextAndNoHeaderEchoedOnlyWhenNothingWasKept() throws Exception {
        Exchange answer = failOn(new WechatFaults(), WechatFaults.ID);
        assertThat(answer.getException()).isNull();
        assertThat(answer.getMessage().getHeaders()).containsOnlyKeys(Exchange.HTTP_RESPONSE_CODE, Exchange.CONTENT_TYPE);
        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(500);
        assertThat(answer.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("text/plain;charset=UTF-8");
        assertThat(answer.getMessage().getBody(String.class)).isEqualTo("temporarily unavailable, please retry");
    }

    @Test
    void weChatGetsSuccessOnceThePushIsStored() throws Exception {
        // Stored as raw item 42 before the failure: the recovery takes it in, WeChat must not show an error.
        Exchange answer = failOn(new WechatFaults(), WechatFaults.ID, Map.of(WechatInbound.RAW_ITEM, 42L));
        assertThat(answer.getException()).isNull();
        assertThat(answer.getMessage().getHeaders()).containsOnlyKeys(Exchange.HTTP_RESPONSE_CODE, Exchange.CONTENT_TYPE);
        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
        assertThat(answer.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("text/plain;charset=UTF-8");
        assertThat(answer.getMessage().getBody(String.class)).isEqualTo("success");
    }

    @Test
    void theOnDemandResultBatchSaysWhyInJson() throws Exception {
        Exchange answer = failOn(new SupervisionFaults(new ObjectMapper()), SupervisionFaults.RESULT_BATCH_ID);
        assertThat(answer.getException()).isNull();
        assertThat(answer.getMessage().getHeaders()).containsOnlyKeys(Exchange.HTTP_RESPONSE_CODE, Exchange.CONTENT_TYPE);
        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(500);
        assertThat(new ObjectMapper().readTree(answer.getMessage().getBody(byte[].class)).path("error").asText())
                .isEqualTo("result batch failed, the next run repairs it: database \"down\"");
    }

    @Test
    void aFailedPollIsLoggedAndTheNextTickComes() throws Exception {
        Exchange answer = failOn(new PollFaults(), PollFaults.ID);
        assertThat(answer.getException()).isNull();
        assertThat(answer.getMessage().getHeaders()).doesNotContainKey(Exchange.HTTP_RESPONSE_CODE);
    }

    @Test
    void eachRouteNamesItsChannelsConfiguration() {
        Map<String, Map<String, String>> expected = Map.of(
                "hotline12345", Map.of("hotline12345-push", Hotline12345Faults.ID, "hotline12345-evaluation", Hotline12345Faults.ID,
                        "hotline12345-pull", PollFaults.ID),
                "leaderboard", Map.of("leaderboard-pull", PollFaults.ID),
                "miniprogram", Map.of("miniprogram-push", MiniprogramFaults.ID),
                "wechat", Map.of("wechat-inbound", WechatFaults.ID, "wechat-recovery", PollFaults.ID),
                "supervision", Map.of("supervision-result-batch-ops", SupervisionFaults.RESULT_BATCH_ID));
        expected.forEach((channel, routes) -> {
            var built = new ConnectorModel(channel).build(Map.of()).routes();
            routes.forEach((routeId, configuration) -> assertThat(built.get(routeId).getRouteConfigurationId())
                    .as(routeId).isEqualTo(configuration));
        });
    }

    /** The answer a route with this configuration gives when its work throws. */
    static Exchange failOn(RoutesBuilder configuration, String id) throws Exception {
        return failOn(configuration, id, Map.of());
    }

    /** The same, with exchange properties set by the work before it throws. */
    static Exchange failOn(RoutesBuilder configuration, String id, Map<String, Object> properties) throws Exception {
        try (var context = new DefaultCamelContext()) {
            context.disableJMX();
            context.addRoutes(configuration);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    var work = from("direct:work").routeId("work").routeConfigurationId(id);
                    properties.forEach((k, v) -> work.setProperty(k, constant(v)));
                    work.throwException(new IllegalStateException("database \"down\""));
                }
            });
            context.start();
            Exchange request = new DefaultExchange(context);
            request.getIn().setHeaders(new java.util.HashMap<>(PUSH));
            request.getIn().setBody("<the request>");
            return context.createProducerTemplate().send("direct:work", request);
        }
    }
}
