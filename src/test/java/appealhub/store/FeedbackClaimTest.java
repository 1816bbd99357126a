package appealhub.store;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Two instances working one outbox: a row is delivered by whoever claims it, and by nobody else
 * until the claim runs out by the database's clock (the instances' own clocks may disagree).
 */
class FeedbackClaimTest {
    private static final Duration CLAIM = Duration.ofSeconds(30);
    private final MutableClock clock = new MutableClock(Instant.now());
    private JdbcTemplate jdbc;
    private FeedbackOutbox outbox;

    @BeforeEach
    void database() {
        var ds = new DriverManagerDataSource("jdbc:h2:mem:claims-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "hub", "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(ds);
        outbox = new FeedbackOutbox(jdbc, clock, new CaseStageCounts(jdbc));
    }

    @Test
    void aClaimedRowIsNobodyElsesUntilTheClaimRunsOut() {
        outbox.enqueue("CS1", "hotline12345", "GD1", "progress", "{}");
        FeedbackOutbox.Item row = outbox.due("hotline12345", 10).get(0);

        assertThat(outbox.claim(row.id(), "hub-a", CLAIM)).isTrue();
        assertThat(outbox.claim(row.id(), "hub-b", CLAIM)).as("second claimant").isFalse();
        assertThat(outbox.due("hotline12345", 10)).as("a claimed row is not due").isEmpty();

        // hub-a died in the middle of the call: once its claim has run out, hub-b sends it again.
        runOutClaims();
        assertThat(outbox.due("hotline12345", 10)).extracting(FeedbackOutbox.Item::id).containsExactly(row.id());
        assertThat(outbox.claim(row.id(), "hub-b", CLAIM)).isTrue();
        outbox.markDone(row.id());
        assertThat(outbox.claim(row.id(), "hub-a", CLAIM)).as("a row delivered").isFalse();
        runOutClaims();
        assertThat(outbox.due("hotline12345", 10)).isEmpty();
    }

    @Test
    void anInstanceWhoseClockRunsAheadCannotTakeALiveClaim() {
        outbox.enqueue("CS1", "wechat", "openid-1", "result", "{}");
        FeedbackOutbox.Item row = outbox.due("wechat", 10).get(0);
        assertThat(outbox.claim(row.id(), "hub-a", CLAIM)).isTrue();

        MutableClock ahead = new MutableClock(clock.instant().plus(Duration.ofMinutes(10)));
        FeedbackOutbox fromAhead = new FeedbackOutbox(jdbc, ahead, new CaseStageCounts(jdbc));
        assertThat(fromAhead.due("wechat", 10)).as("claimed, whatever this instance's clock says").isEmpty();
        assertThat(fromAhead.claim(row.id(), "hub-b", CLAIM)).isFalse();
    }

    @Test
    void aRetryReleasesTheClaimAndEachChannelHasItsOwnRows() {
        outbox.enqueue("CS1", "hotline12345", "GD1", "progress", "{}");
        outbox.enqueue("CS2", "grid", "EV1", "ack", "{}");
        FeedbackOutbox.Item row = outbox.due("hotline12345", 10).get(0);
        assertThat(outbox.due("grid", 10)).extracting(FeedbackOutbox.Item::sourceItemId).containsExactly("EV1");
        assertThat(outbox.channelsDue()).containsExactlyInAnyOrder("hotline12345", "grid");

        assertThat(outbox.claim(row.id(), "hub-a", CLAIM)).isTrue();
        outbox.retryAt(row.id(), clock.instant().plusSeconds(5), "HTTP 503", true);
        clock.advance(Duration.ofSeconds(6));
        assertThat(outbox.claim(row.id(), "hub-b", CLAIM)).as("claim released by the retry").isTrue();
    }

    /** The claims' time passes (by the database's clock: the claim is moved into the past). */
    private void runOutClaims() {
        jdbc.update("update feedback_outbox set claimed_until = current_timestamp - interval '1' second "
                + "where claimed_until is not null");
    }
}
