package appealhub.upstream;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * The circuit breaker every upstream platform gets (hub.channels.<channel>.circuit-breaker):
 * after enough failed calls it stays open for a while, so a platform that is down is left
 * alone instead of being hammered by pulls and feedback; then one trial call decides.
 */
public record BreakerSettings(float failureRateThreshold, int minimumNumberOfCalls, int slidingWindowSize,
                              long waitInOpenSeconds) {

    /** @param failure which exceptions count as the platform failing (not, e.g., a 4xx answer) */
    public CircuitBreaker build(String name, Predicate<Throwable> failure) {
        return CircuitBreaker.of(name, CircuitBreakerConfig.custom()
                .failureRateThreshold(failureRateThreshold)
                .minimumNumberOfCalls(minimumNumberOfCalls)
                .slidingWindowSize(slidingWindowSize)
                .waitDurationInOpenState(Duration.ofSeconds(waitInOpenSeconds))
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordException(failure::test)
                .build());
    }
}
