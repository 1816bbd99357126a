package appealhub.push;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per source key (e.g. "hotline12345|10.1.2.3"): a source may send {@code burst}
 * requests at once and then {@code perSecond} on average. At most {@code maxSources} keys are held;
 * beyond that the full (idle) buckets are forgotten, and if every bucket is busy, the new source
 * shares one overflow bucket rather than growing the map without bound.
 */
final class SourceRateLimiter {
    private final double perSecond;
    private final double burst;
    private final int maxSources;
    private final LongSupplier nanos;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Bucket overflow;

    SourceRateLimiter(double perSecond, int burst, int maxSources, LongSupplier nanos) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.maxSources = Math.max(1, maxSources);
        this.nanos = nanos;
        this.overflow = new Bucket(burst, nanos.getAsLong());
    }

    /** 0 when the request may go; otherwise the whole seconds to wait before the next one (at least 1). */
    long acquire(String source) {
        long now = nanos.getAsLong();
        Bucket bucket = buckets.get(source);
        if (bucket == null) {
            if (buckets.size() >= maxSources) forgetIdle(now);
            bucket = buckets.size() >= maxSources ? overflow : buckets.computeIfAbsent(source, k -> new Bucket(burst, now));
        }
        return bucket.take(now);
    }

    int sources() {
        return buckets.size();
    }

    private void forgetIdle(long now) {
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
            if (it.next().full(now)) it.remove();
        }
    }

    private final class Bucket {
        private double tokens;
        private long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }

        synchronized long take(long now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
        }

        synchronized boolean full(long now) {
            refill(now);
            return tokens >= burst;
        }

        private void refill(long now) {
            if (now > at) {
                tokens = Math.min(burst, tokens + (now - at) / 1e9 * perSecond);
                at = now;
            }
        }
    }
}
