package appealhub.miniprogram;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.connectors.miniprogram.MiniprogramClient;
import appealhub.connectors.miniprogram.MiniprogramFeedbackSink;
import appealhub.connectors.miniprogram.MiniprogramProperties;
import appealhub.feedback.FeedbackPayload;
import appealhub.feedback.FeedbackSink.Outcome;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Every answer of the status callback and what the sink makes of it, without a network. */
class MiniprogramFeedbackSinkTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final MiniprogramProperties PROPS = new MiniprogramProperties(true, "k", "http://127.0.0.1:1/miniprogram",
            "cb", "config/townships-geo.yaml", 300, new MiniprogramProperties.Http(1000, 1000),
            new MiniprogramProperties.DemoFeed(0, 1, 2));
    static final FeedbackPayload RESULT = FeedbackPayload.of("result", "已修复，电话13912345678，身份证130181199001011234。",
            "综合行政执法局", Instant.parse("2025-04-09T01:12:33Z"));

    /** A client answering what the test says, remembering the last body. */
    static final class FakeClient extends MiniprogramClient {
        final Function<Object, Response> answer;
        Map<?, ?> last;

        FakeClient(Function<Object, Response> answer) {
            super(PROPS, null, JSON);
            this.answer = answer;
        }

        @Override
        public Response postStatus(Object body) {
            last = (Map<?, ?>) body;
            return answer.apply(body);
        }
    }

    static Outcome deliver(Function<Object, MiniprogramClient.Response> answer, FeedbackPayload payload) {
        return new MiniprogramFeedbackSink(new FakeClient(answer), PROPS).deliver("r-1", payload);
    }

    static MiniprogramClient.Response status(int code) {
        if (code == 200) return new MiniprogramClient.Response(code, JSON.createObjectNode().put("ok", true), null);
        return new MiniprogramClient.Response(code, JSON.createObjectNode().put("error", "e" + code), null);
    }

    static com.fasterxml.jackson.databind.JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void onlyOkTrueIsDelivered() {
        assertThat(deliver(b -> new MiniprogramClient.Response(200, tree("{\"ok\": true}"), null), RESULT))
                .isInstanceOf(Outcome.Delivered.class);
        assertThat(deliver(b -> new MiniprogramClient.Response(200,
                tree("{\"ok\": false, \"error\": \"report not found\"}"), null), RESULT))
                .isInstanceOfSatisfying(Outcome.Refused.class, f -> assertThat(f.error()).contains("ok\": false")
                        .contains("report not found").contains("RESOLVED"));
        // No flag to read: not known to be recorded, so not delivered, tried again.
        for (String body : new String[] {"{}", "{\"ok\": \"true\"}", "{\"appealId\": \"x\"}"}) {
            assertThat(deliver(b -> new MiniprogramClient.Response(200, tree(body), null), RESULT)).as(body)
                    .isInstanceOf(Outcome.Retry.class);
        }
        assertThat(deliver(b -> new MiniprogramClient.Response(200, null, null), RESULT)).isInstanceOf(Outcome.Retry.class);
    }

    @Test
    void kindsBecomeStatusesAndTheMessageIsMasked() {
        FakeClient client = new FakeClient(b -> status(200));
        var sink = new MiniprogramFeedbackSink(client, PROPS);
        assertThat(sink.acknowledgesIntake()).isTrue();
        assertThat(sink.channel()).isEqualTo("miniprogram");
        assertThat(sink.deliver("r-1", RESULT)).isInstanceOf(Outcome.Delivered.class);
        assertThat(client.last.get("reportId")).isEqualTo("r-1");
        assertThat(client.last.get("status")).isEqualTo("RESOLVED");
        assertThat(client.last.get("message")).isEqualTo("已修复，电话139****5678，身份证130181********1234。");
        assertThat(client.last.get("updatedAt")).isEqualTo("2025-04-09T09:12:33+08:00");
        for (var kind : Map.of("ack", "ACCEPTED", "progress", "PROCESSING", "result", "RESOLVED", "return", "REJECTED").entrySet()) {
            sink.deliver("r-1", FeedbackPayload.of(kind.getKey(), null, "门庄乡", Instant.now()));
            assertThat(client.last.get("status")).isEqualTo(kind.getValue());
            assertThat((String) client.last.get("message")).isNotBlank();
        }
        assertThat(sink.deliver("r-1", FeedbackPayload.of("evaluation", "x", null, Instant.now())))
                .isInstanceOf(Outcome.Refused.class);
    }

    @Test
    void conflictIsDoneAndOtherClientErrorsAreRefused() {
        assertThat(deliver(b -> status(409), RESULT)).isInstanceOfSatisfying(Outcome.Delivered.class,
                d -> assertThat(d.note()).contains("409"));
        for (int code : new int[] {400, 401, 403, 404, 422}) {
            assertThat(deliver(b -> status(code), RESULT)).as("HTTP " + code).isInstanceOfSatisfying(Outcome.Refused.class,
                    f -> assertThat(f.error()).contains(Integer.toString(code)).contains("e" + code));
        }
    }

    @Test
    void maintenanceAndOutagesAreRetried() {
        Function<Object, MiniprogramClient.Response> maintenance = b -> {
            throw new MiniprogramClient.Unavailable("HTTP 503", 503, null, null);
        };
        assertThat(deliver(maintenance, RESULT)).isInstanceOfSatisfying(Outcome.Retry.class,
                r -> assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(300)));
        Function<Object, MiniprogramClient.Response> maintenanceSaid = b -> {
            throw new MiniprogramClient.Unavailable("HTTP 503", 503, 120L, null);
        };
        assertThat(deliver(maintenanceSaid, RESULT)).isInstanceOfSatisfying(Outcome.Retry.class,
                r -> assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(120)));
        Function<Object, MiniprogramClient.Response> down = b -> {
            throw new MiniprogramClient.Unavailable("connection refused", 0, null, null);
        };
        assertThat(deliver(down, RESULT)).isInstanceOfSatisfying(Outcome.Retry.class,
                r -> assertThat(r.retryAfter()).as("the dispatcher's back-off").isNull());
        assertThat(deliver(b -> new MiniprogramClient.Response(429, null, 7L), RESULT))
                .isInstanceOfSatisfying(Outcome.Retry.class, r -> assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(7)));
    }
}
