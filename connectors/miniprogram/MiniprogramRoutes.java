package appealhub.connectors.miniprogram;

import appealhub.push.PushEndpoint;
import appealhub.push.PushEndpoint.RefusalFormat;
import java.util.List;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

/** The mini-program channel's inbound side (connector.yaml): the push endpoint for reports. */
@Component
@ConditionalOnProperty(prefix = "hub.channels.miniprogram", name = "enabled", havingValue = "true")
public class MiniprogramRoutes extends RouteBuilder {
    public static final String PUSH_PATH = "/api/miniprogram/reports";

    /** Refusals in the mini-program's error body {"error": "..."} (miniprogram.md). */
    @Bean
    PushEndpoint miniprogramReportPush() {
        return new PushEndpoint(PUSH_PATH, "miniprogram", "report", List.of("application/json"), RefusalFormat.JSON_ERROR);
    }

    private final MiniprogramInbound inbound;

    public MiniprogramRoutes(MiniprogramInbound inbound) {
        this.inbound = inbound;
    }

    @Override
    public void configure() {
        // A failure of ours answers 500, never 400, and the backend re-sends (MiniprogramFaults).
        from("platform-http:" + PUSH_PATH + "?httpMethodRestrict=POST&useStreaming=true")
                .routeId("miniprogram-push").routeConfigurationId(MiniprogramFaults.ID)
                .process(inbound::onReport);
    }
}
