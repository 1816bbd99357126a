package appealhub.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.cluster.ClusterProperties;
import appealhub.model.CaseStatus;
import appealhub.model.PhoneHasher;
import appealhub.store.CaseStageCounts;
import appealhub.store.CaseStore;
import appealhub.store.FeedbackOutbox;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A feedback row whose payload cannot be delivered as it is (not JSON, no kind, no time: written by
 * something other than the hub's own flow, e.g. an import) is refused for operations at once, with the
 * reason, and its upstream is never called; before, each such row failed inside the sink and was
 * retried for ever (found on a generated year of data: 1,317 rows, 5,500 warnings per run).
 */
class UnreadableFeedbackPayloadTest {

    @Test
    void aPayloadNoRetryCanMendIsRefusedForOperationsAndAGoodOneStillGoesOut() {
        var ds = new DriverManagerDataSource("jdbc:h2:mem:feedback-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "hub", "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        ObjectMapper json = new ObjectMapper().findAndRegisterModules() // as Spring Boot's: unknown fields ignored
                .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        Clock clock = Clock.systemUTC();
        CaseStageCounts stages = new CaseStageCounts(jdbc);
        CaseStore cases = new CaseStore(jdbc, json, clock, new PhoneHasher("k"), stages);
        FeedbackOutbox outbox = new FeedbackOutbox(jdbc, clock, stages);
        List<String> delivered = new ArrayList<>();
        FeedbackSink upstream = new FeedbackSink() {
            @Override
            public String channel() {
                return "hotline12345";
            }

            @Override
            public Outcome deliver(String sourceItemId, FeedbackPayload payload) {
                delivered.add(sourceItemId + ":" + payload.kind());
                return new Outcome.Delivered("ok");
            }
        };
        FeedbackDispatcher dispatcher = new FeedbackDispatcher(outbox, cases, List.of(upstream), json, clock,
                new ClusterProperties(true, 15, "hub-a"), 10, 5, 300, 30);
        for (String id : List.of("CS-1", "CS-2", "CS-3")) cases.insertCase(id, CaseStatus.RESOLVED);
        outbox.enqueue("CS-1", "hotline12345", "GD1", "result",
                FeedbackPayload.of("result", "已办结。", "区住建局", Instant.now()).toJson(json));
        outbox.enqueue("CS-2", "hotline12345", "GD2", "result", "{\"result\":\"已办结\"}");
        outbox.enqueue("CS-3", "hotline12345", "GD3", "result", "办结 (not JSON)");

        assertThat(dispatcher.dispatchDue("hotline12345")).isEqualTo(1);

        assertThat(delivered).containsExactly("GD1:result");
        assertThat(outbox.ofCase("CS-1").get(0).status()).isEqualTo(FeedbackOutbox.Status.DONE);
        FeedbackOutbox.Item noKind = outbox.ofCase("CS-2").get(0);
        assertThat(noKind.status()).isEqualTo(FeedbackOutbox.Status.REFUSED);
        assertThat(noKind.lastError()).contains("without its kind");
        FeedbackOutbox.Item notJson = outbox.ofCase("CS-3").get(0);
        assertThat(notJson.status()).isEqualTo(FeedbackOutbox.Status.REFUSED);
        assertThat(notJson.lastError()).contains("not a feedback payload");
        assertThat(cases.events("CS-2")).extracting(CaseStore.CaseEvent::type).contains("feedback-refused");
        assertThat(outbox.due("hotline12345", 10)).as("nothing left to retry").isEmpty();
    }
}
