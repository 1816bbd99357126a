package appealhub.feedback;

import appealhub.cluster.ClusterProperties;
import appealhub.store.CaseStore;
import appealhub.store.FeedbackOutbox;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Works off the feedback outbox: due items, in order per source, each to its channel's
 * sink; delivered items are marked done, failed ones retried with exponential back-off
 * (or when the channel said), refused ones left for operations.
 */
@Service
public class FeedbackDispatcher {
    private static final Logger log = LoggerFactory.getLogger(FeedbackDispatcher.class);

    private final FeedbackOutbox outbox;
    private final CaseStore cases;
    private final Map<String, FeedbackSink> sinks;
    private final ObjectMapper json;
    private final Clock clock;
    private final int batchSize;
    private final Duration backoffInitial;
    private final Duration backoffMax;
    private final Duration claim;
    private final String claimant;

    public FeedbackDispatcher(FeedbackOutbox outbox, CaseStore cases, List<FeedbackSink> sinks, ObjectMapper json,
                              Clock clock, ClusterProperties cluster, @Value("${hub.feedback.batch-size}") int batchSize,
                              @Value("${hub.feedback.backoff-initial-seconds}") long backoffInitial,
                              @Value("${hub.feedback.backoff-max-seconds}") long backoffMax,
                              @Value("${hub.feedback.claim-seconds:30}") long claimSeconds) {
        this.claim = Duration.ofSeconds(claimSeconds);
        this.claimant = cluster.nodeId();
        this.outbox = outbox;
        this.cases = cases;
        this.sinks = sinks.stream().collect(Collectors.toMap(FeedbackSink::channel, Function.identity()));
        this.json = json;
        this.clock = clock;
        this.batchSize = batchSize;
        this.backoffInitial = Duration.ofSeconds(backoffInitial);
        this.backoffMax = Duration.ofSeconds(backoffMax);
    }

    /** The channels that owe feedback through a sink of theirs (one outbox route each). */
    public List<String> channels() {
        return sinks.keySet().stream().sorted().toList();
    }

    /** The lease a channel's feedback route follows, as its sink declares ({@link FeedbackSink#leaderNamespace()}). */
    public Optional<String> leaderNamespace(String channel) {
        FeedbackSink sink = sinks.get(channel);
        return sink == null ? Optional.empty() : sink.leaderNamespace();
    }

    /**
     * Rows of a channel without a sink (a channel switched off after it took items) never reach
     * an upstream: they wait for operations, with the reason.
     */
    public int parkOrphans() {
        int parked = 0;
        for (String channel : outbox.channelsDue()) {
            if (sinks.containsKey(channel)) continue;
            for (FeedbackOutbox.Item item : outbox.due(channel, batchSize)) {
                outbox.retryAt(item.id(), clock.instant().plus(backoffMax), "no feedback sink for channel " + channel, true);
                parked++;
            }
        }
        return parked;
    }

    /**
     * Works off one channel's due rows. Each row is claimed before its upstream call, so no other
     * instance calls for it meanwhile; a row whose claim ran out (this instance died mid-call) is
     * delivered again, which the upstreams with an idempotency answer take as already done.
     * @return how many items were delivered in this pass
     */
    public int dispatchDue(String channel) {
        int delivered = 0;
        FeedbackSink sink = sinks.get(channel);
        if (sink == null) return 0;
        for (FeedbackOutbox.Item item : outbox.due(channel, batchSize)) {
            if (!outbox.claim(item.id(), claimant, claim)) continue; // another instance has it
            FeedbackSink.Outcome outcome;
            try {
                outcome = sink.deliver(item.sourceItemId(), FeedbackPayload.fromJson(json, item.payload()));
            } catch (FeedbackPayload.Unreadable e) {
                // a row no retry can mend (written by something other than the hub's own flow): operations see it
                outcome = new FeedbackSink.Outcome.Refused(e.getMessage());
            } catch (RuntimeException e) {
                outcome = new FeedbackSink.Outcome.Retry(e.getClass().getSimpleName() + ": " + e.getMessage(), null);
            }
            if (outcome instanceof FeedbackSink.Outcome.Delivered d) {
                outbox.markDone(item.id());
                cases.addEvent(item.caseId(), "fed-back", item.channel(), Map.of(
                        "sourceItemId", item.sourceItemId(), "kind", item.kind(), "note", d.note()));
                delivered++;
                log.info("feedback {} ({}) delivered to {} item {}: {}", item.id(), item.kind(), item.channel(),
                        item.sourceItemId(), d.note());
            } else if (outcome instanceof FeedbackSink.Outcome.Retry r) {
                Duration wait = r.retryAfter() != null ? r.retryAfter() : backoff(item.attempts());
                outbox.retryAt(item.id(), clock.instant().plus(wait), r.error(), true);
                log.warn("feedback {} to {} item {} not delivered ({}); next try in {}s", item.id(), item.channel(),
                        item.sourceItemId(), r.error(), wait.toSeconds());
            } else if (outcome instanceof FeedbackSink.Outcome.Refused f) {
                outbox.markRefused(item.id(), f.error());
                cases.addEvent(item.caseId(), "feedback-refused", item.channel(), Map.of(
                        "sourceItemId", item.sourceItemId(), "kind", item.kind(), "error", f.error()));
                log.warn("feedback {} to {} item {} refused for good: {}", item.id(), item.channel(),
                        item.sourceItemId(), f.error());
            }
        }
        return delivered;
    }

    private Duration backoff(int attempts) {
        long seconds = backoffInitial.toSeconds() << Math.min(attempts, 16);
        return seconds > backoffMax.toSeconds() || seconds <= 0 ? backoffMax : Duration.ofSeconds(seconds);
    }
}
