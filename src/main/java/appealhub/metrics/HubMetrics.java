package appealhub.metrics;

import appealhub.ops.DeadLetters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The hub's domain gauges for Prometheus (/actuator/prometheus) and the Grafana dashboard:
 * <ul>
 *   <li>{@code hub_channel_items{channel,status}}: raw items each channel delivered, by parse status;</li>
 *   <li>{@code hub_channel_merged{channel}}: appeals merged into an existing case, by their channel;</li>
 *   <li>{@code hub_org_tasks{org,org_name,kind,state}}: tasks dispatched / open / overdue per organisation;</li>
 *   <li>{@code hub_feedback_items{channel,state}}: feedback pending / failing / sent / refused per channel;</li>
 *   <li>{@code hub_dead_letters{queue}}: messages parked on each dead-letter queue.</li>
 * </ul>
 * They are read from the database and the broker (dead letters: the counts of the operations
 * dead-letter page, {@link DeadLetters}) by one query set every hub.metrics.refresh-ms
 * on a thread of their own, so a scrape (or many) costs no query, and a slow store slows no scrape.
 */
@Component
class HubMetrics implements MeterBinder, DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(HubMetrics.class);

    private final DomainCounts counts;
    private final DeadLetters deadLetters;
    private final long refreshMs;
    private final List<Gauges> bound = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hub-metrics");
        t.setDaemon(true);
        return t;
    });

    HubMetrics(DomainCounts counts, DeadLetters deadLetters,
                      @Value("${hub.metrics.refresh-ms:15000}") long refreshMs) {
        this.counts = counts;
        this.deadLetters = deadLetters;
        this.refreshMs = refreshMs;
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        if (bound.stream().noneMatch(g -> g.registry() == registry)) bound.add(new Gauges(registry));
    }

    /** First reading as soon as the hub is up, then every refresh-ms after the previous one ended. */
    @EventListener(ApplicationReadyEvent.class)
    void start() {
        refresher.scheduleWithFixedDelay(this::refresh, 0, refreshMs, TimeUnit.MILLISECONDS);
    }

    /** Reads everything once and shows it; a part that cannot be read keeps its last values. */
    void refresh() {
        show("hub_channel_items", counts::channelItems, Gauges::channelItems);
        show("hub_channel_merged", counts::channelMerged, Gauges::channelMerged);
        show("hub_org_tasks", counts::orgTasks, Gauges::orgTasks);
        show("hub_feedback_items", counts::feedbackItems, Gauges::feedbackItems);
        show("hub_dead_letters", this::deadLetterCounts, Gauges::deadLetters);
    }

    private void show(String what, Supplier<List<TaggedCount>> reading, Function<Gauges, GaugeFamily> family) {
        List<TaggedCount> values;
        try {
            values = reading.get();
        } catch (RuntimeException e) {
            log.warn("{} not refreshed, keeping the last values: {}", what, e.toString());
            return;
        }
        for (Gauges g : bound) family.apply(g).show(values);
    }

    /** The parking queues operations see on the dead-letter page, by the same names. */
    private List<TaggedCount> deadLetterCounts() {
        List<TaggedCount> out = new ArrayList<>();
        deadLetters.counts().forEach((queue, n) -> out.add(TaggedCount.of(n, "queue", queue)));
        return out;
    }

    @Override
    public void destroy() {
        refresher.shutdownNow();
    }

    /** The five gauge families on one registry. */
    private record Gauges(MeterRegistry registry, GaugeFamily channelItems, GaugeFamily channelMerged,
                          GaugeFamily orgTasks, GaugeFamily feedbackItems, GaugeFamily deadLetters) {
        Gauges(MeterRegistry registry) {
            this(registry, new GaugeFamily("hub.channel.items",
                            "Items each channel delivered, by parse status (RECEIVED, ACCEPTED, DUPLICATE, INVALID, REJECTED)", registry),
                    new GaugeFamily("hub.channel.merged",
                            "Appeals merged into an existing case, by the channel they came from", registry),
                    new GaugeFamily("hub.org.tasks",
                            "Tasks per department or township: dispatched (all rounds), open (SENT or ACCEPTED), overdue (open past deadline)", registry),
                    new GaugeFamily("hub.feedback.items",
                            "Feedback owed to each channel: pending, failing (being retried), sent, refused", registry),
                    new GaugeFamily("hub.dead.letters", "Messages parked on each dead-letter queue", registry));
        }
    }
}
