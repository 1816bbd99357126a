package appealhub.metrics;

import appealhub.organization.OrganizationRegistry;
import appealhub.store.RawItemStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.stereotype.Component;

/**
 * The hub's domain counts, read from the store with a few grouped queries. Tags carry only
 * channel names, statuses and organisation codes and names: never anything about a citizen.
 * Every known channel and organisation gets a row for every state (zero included), so a
 * dashboard shows 0 rather than "no data".
 *
 * <p>Refreshed every 15 s on tables that grow for ever (issue 16, a year of data: 3M raw items,
 * 1M tasks), so nothing is counted by a full scan more than once: rows older than
 * {@link #SETTLED_AFTER} whose state can no longer change are counted once into running totals,
 * and only the recent rows and the few rows still in a changing state (raw items RECEIVED, open
 * tasks, feedback not DONE) are read again, through indexes (V17). Each refresh reads one
 * snapshot (REPEATABLE READ), so a row is never counted twice or lost between two queries.
 * Assumes what the stores do: a raw item leaves RECEIVED once and its other statuses are final;
 * a task's organisation and a feedback row's channel never change; rows are never deleted; a row
 * is committed within {@link #SETTLED_AFTER} of the time it carries.
 *
 * <p>The running totals are saved with their cutoffs in metrics_settled ({@link SettledTotals})
 * whenever a cutoff moves, and a hub's first refresh starts from the saved ones: after a restart
 * only the rows since the last save are read, not the year again.
 */
@Component
class DomainCounts {
    static final String UNKNOWN = "unknown";
    static final List<String> TASK_STATES = List.of("dispatched", "open", "overdue");
    static final List<String> FEEDBACK_STATES = List.of("pending", "failing", "sent", "refused");

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final OrganizationRegistry registry;
    private final ObjectMapper json;

    /** Rows older than this (by their received_at / created_at) are counted once, into running totals. */
    static final Duration SETTLED_AFTER = Duration.ofMinutes(10);

    private final TransactionTemplate snapshot;
    private final SettledTotals saved;
    /** Counter names in metrics_settled. */
    static final String RAW = "raw_item", TASKS = "task", FEEDBACK = "feedback", MERGED = "merged";
    /** Old raw items still RECEIVED beyond this many (a stuck channel): the raw totals are not saved. */
    static final int MAX_WAITING_SAVED = 5000;
    private boolean rawAdvanced, tasksAdvanced, feedbackAdvanced, mergedRestored;

    /** raw_item: settled rows (not RECEIVED) received before rawCutoff, by channel and status. */
    private Instant rawCutoff;
    private final Map<String, Map<String, Long>> rawSettled = new TreeMap<>();
    /** raw_item ids received before rawCutoff still RECEIVED at the last refresh, with their channel. */
    private Map<Long, String> rawWaiting = new HashMap<>();
    /** Every channel raw_item has a row of. */
    private final Set<String> rawChannels = new TreeSet<>();

    /** task: tasks created before taskCutoff, by organisation. */
    private Instant taskCutoff;
    private final Map<String, Long> tasksBefore = new HashMap<>();

    /** feedback_outbox: rows created before feedbackCutoff, by channel. */
    private Instant feedbackCutoff;
    private final Map<String, Long> feedbackBefore = new HashMap<>();

    /** Merges are counted from the case files' "merged" events, read once each (by event id). */
    private long lastMergedEventId;
    private final Map<String, Long> mergedByChannel = new TreeMap<>();

    DomainCounts(JdbcTemplate jdbc, Clock clock, OrganizationRegistry registry, ObjectMapper json) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.registry = registry;
        this.json = json;
        this.snapshot = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        snapshot.setReadOnly(true);
        this.saved = new SettledTotals(jdbc, json, clock);
    }

    private Instant settledBefore() {
        return clock.instant().minus(SETTLED_AFTER);
    }

    private static OffsetDateTime db(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }

    private static void add(Map<String, Map<String, Long>> into, String channel, String status, long n) {
        into.computeIfAbsent(channel, c -> new TreeMap<>()).merge(status, n, Long::sum);
    }

    /** Everything each channel delivered, by parse status (RECEIVED, ACCEPTED, DUPLICATE, INVALID, REJECTED). */
    synchronized List<TaggedCount> channelItems() {
        Map<String, Map<String, Long>> byChannel = snapshot.execute(tx -> rawItemCounts());
        rawChannels.addAll(byChannel.keySet());
        if (rawAdvanced && rawWaiting.size() <= MAX_WAITING_SAVED) {
            saved.saveUpTo(RAW, rawCutoff, Map.of("settled", rawSettled, "waiting", rawWaiting));
        }
        rawAdvanced = false;
        List<TaggedCount> out = new ArrayList<>();
        byChannel.forEach((channel, counts) -> {
            Set<String> statuses = new LinkedHashSet<>();
            for (RawItemStore.Status s : RawItemStore.Status.values()) statuses.add(s.name());
            statuses.addAll(counts.keySet());
            for (String status : statuses) {
                out.add(TaggedCount.of(counts.getOrDefault(status, 0L), "channel", channel, "status", status));
            }
        });
        return out;
    }

    /** raw_item by channel and status, read incrementally (see the class comment); in one snapshot. */
    private Map<String, Map<String, Long>> rawItemCounts() {
        if (rawCutoff == null) restoreRaw();
        Instant cutoff = settledBefore();
        if (rawCutoff == null || cutoff.isAfter(rawCutoff)) {
            // settled rows that became old since the last refresh (the first time: every old row, once)
            String from = rawCutoff == null ? "" : "received_at >= ? and ";
            List<Object> args = new ArrayList<>();
            if (rawCutoff != null) args.add(db(rawCutoff));
            args.add(db(cutoff));
            jdbc.query("select channel, parse_status, count(*) from raw_item where " + from + "received_at < ? "
                    + "and parse_status <> 'RECEIVED' group by channel, parse_status",
                    rs -> {
                        add(rawSettled, rs.getString(1), rs.getString(2), rs.getLong(3));
                    }, args.toArray());
            // old rows still RECEIVED; those of the last refresh that are not any more have settled since
            Map<Long, String> waiting = new HashMap<>();
            jdbc.query("select id, channel from raw_item where parse_status = 'RECEIVED' and received_at < ?", rs -> {
                waiting.put(rs.getLong(1), rs.getString(2));
            }, db(cutoff));
            List<Long> settled = new ArrayList<>(rawWaiting.keySet());
            settled.removeAll(waiting.keySet());
            for (int i = 0; i < settled.size(); i += 500) {
                List<Long> part = settled.subList(i, Math.min(settled.size(), i + 500));
                jdbc.query("select channel, parse_status from raw_item where id in ("
                        + String.join(",", Collections.nCopies(part.size(), "?")) + ")", rs -> {
                            add(rawSettled, rs.getString(1), rs.getString(2), 1);
                        }, part.toArray());
            }
            rawWaiting = waiting;
            rawCutoff = cutoff;
            rawAdvanced = true;
        }
        Map<String, Map<String, Long>> byChannel = new TreeMap<>();
        rawSettled.forEach((channel, counts) -> byChannel.put(channel, new TreeMap<>(counts)));
        rawWaiting.values().forEach(channel -> add(byChannel, channel, RawItemStore.Status.RECEIVED.name(), 1));
        jdbc.query("select channel, parse_status, count(*) from raw_item where received_at >= ? group by channel, parse_status",
                rs -> {
                    add(byChannel, rs.getString(1), rs.getString(2), rs.getLong(3));
                }, db(rawCutoff));
        return byChannel;
    }

    private void restoreRaw() {
        saved.load(RAW).filter(s -> s.cutoff() != null).ifPresent(s -> {
            s.totals().path("settled").fields().forEachRemaining(channel -> channel.getValue().fields().forEachRemaining(
                    status -> add(rawSettled, channel.getKey(), status.getKey(), status.getValue().asLong())));
            Map<Long, String> waiting = new HashMap<>();
            s.totals().path("waiting").fields().forEachRemaining(id -> waiting.put(Long.parseLong(id.getKey()), id.getValue().asText()));
            rawWaiting = waiting;
            rawChannels.addAll(rawSettled.keySet());
            rawChannels.addAll(waiting.values());
            rawCutoff = s.cutoff();
        });
    }

    /** A saved {key: count} map (tasks by organisation, feedback rows by channel), added into the given totals. */
    private static void restoreCounts(SettledTotals.Saved s, Map<String, Long> into) {
        s.totals().fields().forEachRemaining(e -> into.merge(e.getKey(), e.getValue().asLong(), Long::sum));
    }

    /** A counter saved up to a cutoff, added into the given totals; its cutoff, or null when none was saved. */
    private Instant restoreCounts(String counter, Map<String, Long> into) {
        return saved.load(counter).filter(s -> s.cutoff() != null).map(s -> {
            restoreCounts(s, into);
            return s.cutoff();
        }).orElse(null);
    }

    /**
     * Appeals merged into an existing case, by the channel the merged appeal came from (the
     * "merged" event's detail names it). A merge undone later still counts: it was made.
     */
    synchronized List<TaggedCount> channelMerged() {
        if (!mergedRestored) {
            saved.load(MERGED).ifPresent(s -> {
                restoreCounts(s, mergedByChannel);
                lastMergedEventId = s.lastId();
            });
            mergedRestored = true;
        }
        long readUpTo = lastMergedEventId;
        jdbc.query("select id, detail from case_event where type = 'merged' and id > ? order by id", rs -> {
            lastMergedEventId = Math.max(lastMergedEventId, rs.getLong("id"));
            mergedByChannel.merge(channelOf(rs.getString("detail")), 1L, Long::sum);
        }, lastMergedEventId);
        if (lastMergedEventId > readUpTo) saved.saveUpToId(MERGED, lastMergedEventId, mergedByChannel);
        if (rawCutoff == null) channelItems();   // the channels raw_item has rows of, without a scan of its own
        Set<String> channels = new TreeSet<>(rawChannels);
        channels.addAll(mergedByChannel.keySet());
        List<TaggedCount> out = new ArrayList<>();
        for (String channel : channels) {
            out.add(TaggedCount.of(mergedByChannel.getOrDefault(channel, 0L), "channel", channel));
        }
        return out;
    }

    private String channelOf(String detail) {
        if (detail == null) return UNKNOWN;
        try {
            JsonNode channel = json.readTree(detail).path("channel");
            return channel.isTextual() && !channel.asText().isBlank() ? channel.asText() : UNKNOWN;
        } catch (Exception notJson) {
            return UNKNOWN;
        }
    }

    /**
     * Per department and township: tasks dispatched (every round), open now (SENT or ACCEPTED)
     * and overdue (open past their deadline). The three overlap: overdue is part of open, open
     * of dispatched.
     */
    synchronized List<TaggedCount> orgTasks() {
        Map<String, long[]> byOrg = new LinkedHashMap<>();
        registry.departments().forEach(d -> byOrg.put(d.code(), new long[3]));
        registry.townships().forEach(t -> byOrg.put(t.code(), new long[3]));
        snapshot.executeWithoutResult(tx -> {
            // dispatched: every task ever; old ones counted once, the recent ones again each time
            if (taskCutoff == null) taskCutoff = restoreCounts(TASKS, tasksBefore);
            Instant cutoff = settledBefore();
            if (taskCutoff == null || cutoff.isAfter(taskCutoff)) {
                String from = taskCutoff == null ? "" : "created_at >= ? and ";
                List<Object> args = new ArrayList<>();
                if (taskCutoff != null) args.add(db(taskCutoff));
                args.add(db(cutoff));
                jdbc.query("select org_code, count(*) from task where " + from + "created_at < ? group by org_code", rs -> {
                    tasksBefore.merge(rs.getString(1), rs.getLong(2), Long::sum);
                }, args.toArray());
                taskCutoff = cutoff;
                tasksAdvanced = true;
            }
            tasksBefore.forEach((org, n) -> byOrg.computeIfAbsent(org, o -> new long[3])[0] += n);
            jdbc.query("select org_code, count(*) from task where created_at >= ? group by org_code", rs -> {
                byOrg.computeIfAbsent(rs.getString(1), o -> new long[3])[0] += rs.getLong(2);
            }, db(taskCutoff));
            // open and overdue: only the open tasks (index on status)
            jdbc.query("select org_code, count(*) as open_now, sum(case when deadline < ? then 1 else 0 end) as overdue "
                    + "from task where status in ('SENT', 'ACCEPTED') group by org_code", rs -> {
                        long[] n = byOrg.computeIfAbsent(rs.getString("org_code"), o -> new long[3]);
                        n[1] = rs.getLong("open_now");
                        n[2] = rs.getLong("overdue");
                    }, db(clock.instant()));
        });
        if (tasksAdvanced) saved.saveUpTo(TASKS, taskCutoff, tasksBefore);
        tasksAdvanced = false;
        List<TaggedCount> out = new ArrayList<>();
        byOrg.forEach((org, n) -> {
            String kind = registry.isTownship(org) ? "township" : registry.department(org).isPresent() ? "department" : UNKNOWN;
            for (int i = 0; i < TASK_STATES.size(); i++) {
                out.add(TaggedCount.of(n[i], "org", org, "org_name", registry.orgName(org), "kind", kind,
                        "state", TASK_STATES.get(i)));
            }
        });
        return out;
    }

    /**
     * Feedback owed to the channels, by channel and state: pending (not tried yet), failing
     * (tried, will be tried again), sent (DONE), refused (the channel will never take it), and
     * any other outbox status by its own name.
     */
    synchronized List<TaggedCount> feedbackItems() {
        Map<String, Map<String, Long>> byChannel = new TreeMap<>();
        snapshot.executeWithoutResult(tx -> {
            // rows per channel (old ones counted once), minus those not DONE (read through the status index) = sent
            if (feedbackCutoff == null) feedbackCutoff = restoreCounts(FEEDBACK, feedbackBefore);
            Instant cutoff = settledBefore();
            if (feedbackCutoff == null || cutoff.isAfter(feedbackCutoff)) {
                String from = feedbackCutoff == null ? "" : "created_at >= ? and ";
                List<Object> args = new ArrayList<>();
                if (feedbackCutoff != null) args.add(db(feedbackCutoff));
                args.add(db(cutoff));
                jdbc.query("select channel, count(*) from feedback_outbox where " + from + "created_at < ? group by channel", rs -> {
                    feedbackBefore.merge(rs.getString(1), rs.getLong(2), Long::sum);
                }, args.toArray());
                feedbackCutoff = cutoff;
                feedbackAdvanced = true;
            }
            Map<String, Long> rows = new TreeMap<>(feedbackBefore);
            jdbc.query("select channel, count(*) from feedback_outbox where created_at >= ? group by channel", rs -> {
                rows.merge(rs.getString(1), rs.getLong(2), Long::sum);
            }, db(feedbackCutoff));
            Map<String, Long> notDone = new HashMap<>();
            for (String notDoneStatus : List.of("status < 'DONE'", "status > 'DONE'")) {   // two index ranges (H2 scans an OR)
                jdbc.query("select channel, status, case when attempts > 0 then 1 else 0 end as tried, count(*) as n "
                        + "from feedback_outbox where " + notDoneStatus
                        + " group by channel, status, case when attempts > 0 then 1 else 0 end", rs -> {
                            String state = feedbackState(rs.getString("status"), rs.getInt("tried") == 1);
                            byChannel.computeIfAbsent(rs.getString("channel"), c -> new TreeMap<>())
                                    .merge(state, rs.getLong("n"), Long::sum);
                            notDone.merge(rs.getString("channel"), rs.getLong("n"), Long::sum);
                        });
            }
            rows.forEach((channel, n) -> {
                long sent = n - notDone.getOrDefault(channel, 0L);
                if (sent > 0) byChannel.computeIfAbsent(channel, c -> new TreeMap<>()).merge(feedbackState("DONE", true), sent, Long::sum);
            });
        });
        if (feedbackAdvanced) saved.saveUpTo(FEEDBACK, feedbackCutoff, feedbackBefore);
        feedbackAdvanced = false;
        List<TaggedCount> out = new ArrayList<>();
        byChannel.forEach((channel, counts) -> {
            Set<String> states = new LinkedHashSet<>(FEEDBACK_STATES);
            states.addAll(counts.keySet());
            for (String state : states) {
                out.add(TaggedCount.of(counts.getOrDefault(state, 0L), "channel", channel, "state", state));
            }
        });
        return out;
    }

    static String feedbackState(String status, boolean tried) {
        return switch (status) {
            case "PENDING" -> tried ? "failing" : "pending";
            case "DONE" -> "sent";
            default -> status.toLowerCase(Locale.ROOT);
        };
    }
}
