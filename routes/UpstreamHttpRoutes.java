package appealhub.routes;

import appealhub.connectors.leaderboard.LeaderboardHttpHeaders;
import appealhub.upstream.UpstreamHttp;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The transport of every call to an upstream platform: one route per upstream, made from one
 * template, "upstream-&lt;channel&gt;" from direct:upstream-&lt;channel&gt; (appealhub.upstream.UpstreamHttp
 * sends to it):
 * <pre>
 *   circuitBreaker (id breaker-&lt;channel&gt;, camel.resilience4j.configurations.&lt;channel&gt;)
 *     → http: hub.channels.&lt;channel&gt;.base-url, its connect and response time-outs;
 *       method, path and query from the exchange's headers (one endpoint per upstream)
 *     → an answer of 500 or more is thrown, so the breaker records it as a failure
 * </pre>
 * A time-out or connection failure is thrown by the http component and recorded too; any other
 * answer (4xx included) is a success to the breaker and goes back to the caller as it is. An open
 * circuit throws CallNotPermittedException without calling. No error handler: what went wrong goes
 * back to the caller (the channel's client), which decides (retry later, stop paging, ...).
 * A channel without a base-url (switched off in production) gets no route.
 */
@Component
public class UpstreamHttpRoutes extends RouteBuilder {
    private static final Logger log = LoggerFactory.getLogger(UpstreamHttpRoutes.class);

    /** Every upstream called over HTTP, with http endpoint options of its own (beyond the time-outs). */
    static final Map<String, String> UPSTREAMS = new LinkedHashMap<>();

    static {
        UPSTREAMS.put("hotline12345", "");
        // the board signs over the Date header, which Camel's default header filter drops
        UPSTREAMS.put("leaderboard", "&headerFilterStrategy=#class:" + LeaderboardHttpHeaders.class.getName());
        UPSTREAMS.put("miniprogram", "");
        UPSTREAMS.put("wechat", "");
    }

    private final Environment env;

    public UpstreamHttpRoutes(Environment env) {
        this.env = env;
    }

    /** The transport routes start before and stop after the routes that call them (those have no startup order). */
    static final int FIRST_STARTUP_ORDER = 100;

    @Override
    public void configure() {
        int order = FIRST_STARTUP_ORDER;
        for (Map.Entry<String, String> upstream : UPSTREAMS.entrySet()) {
            String channel = upstream.getKey();
            String prefix = "hub.channels." + channel + ".";
            String base = env.getProperty(prefix + "base-url", "").trim();
            if (base.isEmpty()) {
                log.info("{}base-url is not set: no calls to {}", prefix, channel);
                continue;
            }
            if (base.endsWith("/")) base = base.substring(0, base.length() - 1);
            int connect = env.getRequiredProperty(prefix + "http.connect-timeout-ms", Integer.class);
            int response = env.getRequiredProperty(prefix + "http.response-timeout-ms", Integer.class);
            String http = base + "?throwExceptionOnFailure=false&connectTimeout=" + connect
                    + "&responseTimeout=" + response + "&connectionRequestTimeout=" + connect + upstream.getValue();

            from(UpstreamHttp.endpoint(channel)).routeId(UpstreamHttp.routeId(channel)).startupOrder(order++)
                    .errorHandler(noErrorHandler())
                    .circuitBreaker().id(UpstreamHttp.breakerId(channel)).configuration(channel)
                        // transport semantics, not tuning: an open circuit is an error, never a silent pass
                        .resilience4jConfiguration().throwExceptionWhenHalfOpenOrOpenState(true).end()
                        .to(http).id("http-" + channel)
                        .convertBodyTo(byte[].class)
                        .process(UpstreamHttp::failOnServerError).id("fail-on-5xx-" + channel)
                    .end();
        }
    }
}
