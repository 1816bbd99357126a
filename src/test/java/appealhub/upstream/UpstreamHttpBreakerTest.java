package appealhub.upstream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import appealhub.routes.UpstreamHttpRoutes;
import appealhub.support.TestHub;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.springboot.HttpComponentAutoConfiguration;
import org.apache.camel.component.resilience4j.ResilienceProcessor;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Import;

/**
 * The upstream transport alone (Camel, its http component, the upstream routes, config/application.yml
 * with small breaker values on top), against WireMock: Camel's circuitBreaker() EIP opens after the
 * configured failures (5xx answers, refused connections, time-outs), a 4xx answer does not count,
 * an open circuit makes no call, and after wait-duration-in-open-state one trial call closes it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpstreamHttpBreakerTest {
    /** 12345 is played by WireMock; the mini-program's port refuses connections; WeChat's WireMock is slow. */
    WireMockServer platform;
    ConfigurableApplicationContext app;
    UpstreamHttp http;

    @SpringBootConfiguration
    @ImportAutoConfiguration({CamelAutoConfiguration.class, HttpComponentAutoConfiguration.class})
    @ComponentScan(basePackageClasses = UpstreamHttp.class)
    @Import(UpstreamHttpRoutes.class)
    static class Transport {}

    @BeforeAll
    void start() {
        platform = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
        platform.start();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("spring.main.banner-mode", "off");
        p.put("camel.main.jmx-enabled", false);
        p.put("hub.channels.hotline12345.base-url", platform.baseUrl());
        p.put("hub.channels.wechat.base-url", platform.baseUrl());
        p.put("hub.channels.wechat.http.response-timeout-ms", 300);
        p.put("hub.channels.miniprogram.base-url", "http://127.0.0.1:" + TestHub.freePort() + "/miniprogram");
        p.put("hub.channels.leaderboard.base-url", "");
        for (String channel : new String[] {"hotline12345", "miniprogram", "wechat"}) {
            String c = "camel.resilience4j.configurations." + channel + ".";
            p.put(c + "minimum-number-of-calls", 2);
            p.put(c + "sliding-window-size", 2);
            p.put(c + "wait-duration-in-open-state", 1);
        }
        String[] args = p.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        app = new SpringApplicationBuilder(Transport.class).web(WebApplicationType.NONE).run(args);
        http = app.getBean(UpstreamHttp.class);
    }

    @AfterAll
    void stop() {
        if (app != null) app.close();
        platform.stop();
    }

    @BeforeEach
    void reset() {
        platform.resetAll();
        for (String channel : new String[] {"hotline12345", "miniprogram", "wechat"}) {
            http.circuitBreaker(channel).reset();
        }
    }

    @Test
    void theBreakersAreTheEipsConfiguredFromCamelResilience4jConfigurations() {
        CamelContext camel = app.getBean(CamelContext.class);
        assertThat(camel.getRoute("upstream-hotline12345")).isNotNull();
        assertThat(camel.getRoute("upstream-wechat")).isNotNull();
        assertThat(camel.getRoute("upstream-leaderboard")).as("no base-url, no route").isNull();
        ResilienceProcessor eip = camel.getProcessor("breaker-hotline12345", ResilienceProcessor.class);
        assertThat(eip.getCircuitBreaker()).isSameAs(http.circuitBreaker("hotline12345"));
        // the test's small values on top of config/application.yml's
        assertThat(eip.getCircuitBreakerMinimumNumberOfCalls()).isEqualTo(2);
        assertThat(eip.getCircuitBreakerSlidingWindowSize()).isEqualTo(2);
        assertThat(eip.getCircuitBreakerWaitDurationInOpenState()).isEqualTo(1);
        // config/application.yml's own
        assertThat(eip.getCircuitBreakerFailureRateThreshold()).isEqualTo(50f);
        assertThat(eip.getCircuitBreakerPermittedNumberOfCallsInHalfOpenState()).isEqualTo(1);
        assertThat(eip.getCircuitBreakerSlidingWindowType()).isEqualTo("COUNT_BASED");
        assertThat(http.circuitBreaker("leaderboard")).isNull();
        assertThatThrownBy(() -> http.call("leaderboard", "GET", "/x", null, null, null))
                .isInstanceOfSatisfying(UpstreamHttp.Failure.class, f -> {
                    assertThat(f.kind()).isEqualTo(UpstreamHttp.Failure.Kind.NOT_REACHED);
                    assertThat(f.getMessage()).contains("hub.channels.leaderboard.base-url");
                });
    }

    @Test
    void aClientErrorIsAnAnswerAndLeavesTheCircuitClosed() {
        platform.stubFor(get(urlEqualTo("/api/v1/pending?page=1")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "30").withBody("{\"code\":42901}")));
        platform.stubFor(any(urlEqualTo("/api/v1/missing")).willReturn(aResponse().withStatus(404)));
        CircuitBreaker breaker = http.circuitBreaker("hotline12345");
        for (int i = 0; i < 5; i++) {
            UpstreamHttp.Answer a = http.call("hotline12345", "GET", "/api/v1/pending?page=1", null,
                    Map.of("X-Auth-Token", "t-1"), null);
            assertThat(a.status()).isEqualTo(429);
            assertThat(a.retryAfter()).isEqualTo("30");
            assertThat(new String(a.body(), StandardCharsets.UTF_8)).isEqualTo("{\"code\":42901}");
            assertThat(http.call("hotline12345", "POST", "/api/v1/missing", null, null, "{}".getBytes()).status())
                    .isEqualTo(404);
        }
        platform.stubFor(any(urlEqualTo("/api/v1/nothing")).willReturn(aResponse().withStatus(204)));
        UpstreamHttp.Answer none = http.call("hotline12345", "DELETE", "/api/v1/nothing", null, null, null);
        assertThat(none.status()).isEqualTo(204);
        assertThat(none.body()).isNullOrEmpty();
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();
        assertThat(breaker.getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(2);
        platform.verify(5, getRequestedFor(urlEqualTo("/api/v1/pending?page=1"))
                .withHeader("X-Auth-Token", equalTo("t-1")).withHeader("Accept", equalTo("application/json")));
    }

    @Test
    void serverErrorsOpenTheCircuitWhichMakesNoCallsThenOneTrialCallClosesItAfterTheWait() throws Exception {
        platform.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503).withHeader("Retry-After", "7")
                .withBody("maintenance")));
        CircuitBreaker breaker = http.circuitBreaker("hotline12345");
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> http.call("hotline12345", "POST", "/api/v1/workorders/GD1/reply", null, null,
                    "{}".getBytes())).isInstanceOfSatisfying(UpstreamHttp.Failure.class, f -> {
                        assertThat(f.kind()).isEqualTo(UpstreamHttp.Failure.Kind.SERVER_ERROR);
                        assertThat(f.status()).isEqualTo(503);
                        assertThat(f.retryAfter()).isEqualTo("7");
                        assertThat(new String(f.body(), StandardCharsets.UTF_8)).isEqualTo("maintenance");
                    });
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);

        // Open: no call reaches the platform.
        platform.stubFor(any(anyUrl()).willReturn(okJson("{\"code\":0}")));
        assertThatThrownBy(() -> http.call("hotline12345", "GET", "/api/v1/pending", null, null, null))
                .isInstanceOfSatisfying(UpstreamHttp.Failure.class, f -> {
                    assertThat(f.kind()).isEqualTo(UpstreamHttp.Failure.Kind.CIRCUIT_OPEN);
                    assertThat(f.getCause()).isInstanceOf(CallNotPermittedException.class);
                });
        platform.verify(2, anyRequestedFor(anyUrl()));

        // After wait-duration-in-open-state (1 s here) one trial call goes through and closes it.
        Thread.sleep(1200);
        assertThat(http.call("hotline12345", "GET", "/api/v1/pending", null, null, null).status()).isEqualTo(200);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        platform.verify(3, anyRequestedFor(anyUrl()));
    }

    @Test
    void refusedConnectionsAndTimeOutsAreFailuresToo() {
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> http.call("miniprogram", "POST", "/callback/report-status", null, null, "{}".getBytes()))
                    .isInstanceOfSatisfying(UpstreamHttp.Failure.class, f -> {
                        assertThat(f.kind()).isEqualTo(UpstreamHttp.Failure.Kind.NOT_REACHED);
                        assertThat(f.getCause()).isInstanceOf(java.io.IOException.class);
                    });
        }
        assertThat(http.circuitBreaker("miniprogram").getState()).isEqualTo(CircuitBreaker.State.OPEN);

        platform.stubFor(any(anyUrl()).willReturn(okJson("{}").withFixedDelay(1500)));
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> http.call("wechat", "GET", "/cgi-bin/token", "secret=s", null, null))
                    .isInstanceOfSatisfying(UpstreamHttp.Failure.class, f -> {
                        assertThat(f.kind()).isEqualTo(UpstreamHttp.Failure.Kind.NOT_REACHED);
                        assertThat(f.getCause()).isInstanceOf(java.net.SocketTimeoutException.class);
                    });
        }
        assertThat(http.circuitBreaker("wechat").getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(http.circuitBreaker("hotline12345").getState()).as("each upstream has its own").isEqualTo(CircuitBreaker.State.CLOSED);
    }
}
