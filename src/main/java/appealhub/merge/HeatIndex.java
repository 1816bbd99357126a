package appealhub.merge;

import java.time.Duration;
import java.time.Instant;

/**
 * The heat index (热度) of a hot issue, what the dashboard's hot-issue panel and
 * bench/hot-issues.sh rank by (docs/hot-issues.md):
 * <pre>
 *   support = max(0, likes − dislikes / 2)
 *   base    = citizens + 0.5 × (reports − citizens) + 2 × ln(1 + support)
 *   heat    = base × 0.5 ^ (hours since the last report / (24 × half-life days))
 * </pre>
 * Different citizens count fully, the same citizen reporting again counts half (pressing, but
 * one voice), public votes (the leader board's 点赞/反对) count with diminishing returns (a
 * thousand likes weigh like fourteen citizens, not a thousand), and the whole fades with a
 * half-life since the last report, so a settled storm sinks below a fresh one.
 */
public final class HeatIndex {
    /** Default half-life of the recency factor. */
    public static final double HALF_LIFE_DAYS = 7;

    private HeatIndex() {}

    /**
     * @param citizens   different citizens (at least 1 for a case)
     * @param reports    every report of the case (sources), at least citizens
     * @param likes      public up-votes, 0 where the channel has none
     * @param dislikes   public down-votes
     * @param lastReport when the case was last reported
     * @param now        the time of ranking
     */
    public static double of(int citizens, int reports, long likes, long dislikes, Instant lastReport, Instant now) {
        return of(citizens, reports, likes, dislikes, lastReport, now, HALF_LIFE_DAYS);
    }

    public static double of(int citizens, int reports, long likes, long dislikes, Instant lastReport, Instant now,
                            double halfLifeDays) {
        int n = Math.max(0, citizens);
        int r = Math.max(n, reports);
        double support = Math.max(0, likes - dislikes / 2.0);
        double base = n + 0.5 * (r - n) + 2 * Math.log1p(support);
        double hours = lastReport == null || now == null ? 0 : Math.max(0, Duration.between(lastReport, now).toMinutes() / 60.0);
        double recency = Math.pow(0.5, hours / (24 * halfLifeDays));
        return Math.round(base * recency * 10) / 10.0;
    }
}
