package appealhub.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;

import appealhub.organization.OrganizationRegistry;
import appealhub.connectors.grid.GridFeedbackSink;
import appealhub.connectors.grid.GridProperties;
import appealhub.feedback.FeedbackPayload;
import appealhub.feedback.FeedbackSink;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.jms.UncategorizedJmsException;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.jms.core.MessageCreator;

/** What the sink makes of a broker that is down (the end-to-end test covers the messages themselves). */
class GridFeedbackSinkTest {

    @Test
    void aBrokerFailureIsRetriedAndAnUnknownKindRefused() throws Exception {
        JmsTemplate jms = mock(JmsTemplate.class);
        doThrow(new UncategorizedJmsException("broker down")).when(jms).send(anyString(), any(MessageCreator.class));
        GridFeedbackSink sink = new GridFeedbackSink(new GridProperties(true, null, null, null, 0, null), jms,
                new ObjectMapper(), Clock.systemUTC(), new OrganizationRegistry("config/organizations.yaml"));
        assertThat(sink.channel()).isEqualTo("grid");
        assertThat(sink.acknowledgesIntake()).isTrue();

        var outcome = sink.deliver("EV-1", FeedbackPayload.of("result", "已处理", "司法局", Instant.now()));
        assertThat(outcome).isInstanceOf(FeedbackSink.Outcome.Retry.class);
        assertThat(((FeedbackSink.Outcome.Retry) outcome).error()).contains("outbound.grid.feedback").contains("broker down");
        assertThat(((FeedbackSink.Outcome.Retry) outcome).retryAfter()).isNull();

        assertThat(sink.deliver("EV-1", FeedbackPayload.of("evaluation", "x", null, Instant.now())))
                .isInstanceOf(FeedbackSink.Outcome.Refused.class);
    }
}
