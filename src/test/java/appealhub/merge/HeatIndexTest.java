package appealhub.merge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HeatIndexTest {
    private static final Instant NOW = Instant.parse("2026-04-10T00:00:00Z");

    @Test
    void citizensCountFullyRepeatsHalfAndVotesWithDiminishingReturns() {
        assertThat(HeatIndex.of(3, 3, 0, 0, NOW, NOW)).isEqualTo(3.0);
        assertThat(HeatIndex.of(3, 5, 0, 0, NOW, NOW)).isEqualTo(4.0);
        // ln(1 + 1000) × 2 = 13.8: a thousand likes weigh like fourteen citizens
        assertThat(HeatIndex.of(1, 1, 1000, 0, NOW, NOW)).isEqualTo(14.8);
        // dislikes take half a like each
        assertThat(HeatIndex.of(1, 1, 10, 20, NOW, NOW)).isEqualTo(1.0);
        assertThat(HeatIndex.of(1, 1, 10, 0, NOW, NOW)).isGreaterThan(HeatIndex.of(1, 1, 10, 10, NOW, NOW));
    }

    @Test
    void heatHalvesEveryHalfLifeSinceTheLastReport() {
        double fresh = HeatIndex.of(8, 8, 0, 0, NOW, NOW);
        assertThat(HeatIndex.of(8, 8, 0, 0, NOW.minus(Duration.ofDays(7)), NOW)).isEqualTo(fresh / 2);
        assertThat(HeatIndex.of(8, 8, 0, 0, NOW.minus(Duration.ofDays(14)), NOW)).isEqualTo(fresh / 4);
        // a settled storm of 8 citizens a month ago ranks below 3 citizens today
        assertThat(HeatIndex.of(8, 8, 0, 0, NOW.minus(Duration.ofDays(30)), NOW)).isLessThan(HeatIndex.of(3, 3, 0, 0, NOW, NOW));
        // a report "in the future" (clock skew between instances) is not hotter than now
        assertThat(HeatIndex.of(3, 3, 0, 0, NOW.plusSeconds(3600), NOW)).isEqualTo(3.0);
    }
}
