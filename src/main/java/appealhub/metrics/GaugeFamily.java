package appealhub.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One gauge name with a row per tag set, whose values are replaced at each refresh. A row's
 * gauge is registered once and then only its value changes, so a scrape running at the same
 * time never sees a row twice or not at all (re-registering rows, as MultiGauge does, races
 * with the Prometheus scrape). A row no longer read is removed.
 */
final class GaugeFamily {
    private final String name;
    private final String description;
    private final MeterRegistry registry;
    private final Map<Tags, Row> rows = new ConcurrentHashMap<>();

    private record Row(AtomicLong value, Gauge gauge) {}

    GaugeFamily(String name, String description, MeterRegistry registry) {
        this.name = name;
        this.description = description;
        this.registry = registry;
    }

    synchronized void show(List<TaggedCount> counts) {
        Set<Tags> seen = new HashSet<>();
        for (TaggedCount c : counts) {
            seen.add(c.tags());
            rows.computeIfAbsent(c.tags(), this::register).value().set(c.value());
        }
        for (Tags gone : Set.copyOf(rows.keySet())) {
            if (!seen.contains(gone)) registry.remove(rows.remove(gone).gauge());
        }
    }

    private Row register(Tags tags) {
        AtomicLong value = new AtomicLong();
        Gauge gauge = Gauge.builder(name, value, AtomicLong::get).tags(tags).description(description)
                .strongReference(true).register(registry);
        return new Row(value, gauge);
    }
}
