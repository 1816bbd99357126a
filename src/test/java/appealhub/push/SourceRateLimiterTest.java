package appealhub.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SourceRateLimiterTest {
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Test
    void aSourceGetsItsBurstThenItsRate() {
        SourceRateLimiter limiter = new SourceRateLimiter(2, 5, 100, nanos::get);
        for (int i = 0; i < 5; i++) assertThat(limiter.acquire("a")).isZero();
        assertThat(limiter.acquire("a")).isEqualTo(1);
        assertThat(limiter.acquire("b")).as("another source has its own bucket").isZero();
        nanos.addAndGet(500_000_000L); // half a second: one token at 2 per second
        assertThat(limiter.acquire("a")).isZero();
        assertThat(limiter.acquire("a")).isEqualTo(1);
    }

    @Test
    void retryAfterSaysHowLongUntilTheNextToken() {
        SourceRateLimiter limiter = new SourceRateLimiter(0.1, 1, 100, nanos::get);
        assertThat(limiter.acquire("a")).isZero();
        assertThat(limiter.acquire("a")).isEqualTo(10);
        nanos.addAndGet(5_000_000_000L);
        assertThat(limiter.acquire("a")).isEqualTo(5);
    }

    @Test
    void idleSourcesAreForgottenAndTheMapStaysBounded() {
        SourceRateLimiter limiter = new SourceRateLimiter(1, 2, 3, nanos::get);
        for (int i = 0; i < 10; i++) limiter.acquire("s" + i);
        assertThat(limiter.sources()).isLessThanOrEqualTo(3);
        nanos.addAndGet(10_000_000_000L); // all full again: forgotten on the next new source
        assertThat(limiter.acquire("new")).isZero();
        assertThat(limiter.sources()).isLessThanOrEqualTo(3);
    }
}
