package appealhub.metrics;

import appealhub.organization.OrganizationRegistry;
import appealhub.store.RawItemStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The hub's domain counts, read from the store with a few grouped queries. Tags carry only
 * channel names, statuses and organisation codes and names: never anything about a citizen.
 * Every known channel and organisation gets a row for every state (zero included), so a
 * dashboard shows 0 rather than "no data".
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

    /** Merges are counted from the case files' "merged" events, read once each (by event id). */
    private long lastMergedEventId;
    private final Map<String, Long> mergedByChannel = new TreeMap<>();

    DomainCounts(JdbcTemplate jdbc, Clock clock, OrganizationRegistry registry, ObjectMapper json) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.registry = registry;
        this.json = json;
    }

    /** Everything each channel delivered, by parse status (RECEIVED, ACCEPTED, DUPLICATE, INVALID, REJECTED). */
    List<TaggedCount> channelItems() {
        Map<String, Map<String, Long>> byChannel = new TreeMap<>();
        jdbc.query("select channel, parse_status, count(*) as n from raw_item group by channel, parse_status", rs -> {
            byChannel.computeIfAbsent(rs.getString("channel"), c -> new TreeMap<>())
                    .put(rs.getString("parse_status"), rs.getLong("n"));
        });
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

    /**
     * Appeals merged into an existing case, by the channel the merged appeal came from (the
     * "merged" event's detail names it). A merge undone later still counts: it was made.
     */
    synchronized List<TaggedCount> channelMerged() {
        jdbc.query("select id, detail from case_event where type = 'merged' and id > ? order by id", rs -> {
            lastMergedEventId = Math.max(lastMergedEventId, rs.getLong("id"));
            mergedByChannel.merge(channelOf(rs.getString("detail")), 1L, Long::sum);
        }, lastMergedEventId);
        Set<String> channels = new TreeSet<>(jdbc.queryForList("select distinct channel from raw_item", String.class));
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
    List<TaggedCount> orgTasks() {
        Map<String, long[]> byOrg = new LinkedHashMap<>();
        registry.departments().forEach(d -> byOrg.put(d.code(), new long[3]));
        registry.townships().forEach(t -> byOrg.put(t.code(), new long[3]));
        jdbc.query("select org_code, count(*) as dispatched, "
                + "sum(case when status in ('SENT', 'ACCEPTED') then 1 else 0 end) as open_now, "
                + "sum(case when status in ('SENT', 'ACCEPTED') and deadline < ? then 1 else 0 end) as overdue "
                + "from task group by org_code", rs -> {
                    long[] n = byOrg.computeIfAbsent(rs.getString("org_code"), o -> new long[3]);
                    n[0] = rs.getLong("dispatched");
                    n[1] = rs.getLong("open_now");
                    n[2] = rs.getLong("overdue");
                }, clock.instant().atOffset(ZoneOffset.UTC));
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
    List<TaggedCount> feedbackItems() {
        Map<String, Map<String, Long>> byChannel = new TreeMap<>();
        jdbc.query("select channel, status, case when attempts > 0 then 1 else 0 end as tried, count(*) as n "
                + "from feedback_outbox group by channel, status, case when attempts > 0 then 1 else 0 end", rs -> {
                    String state = feedbackState(rs.getString("status"), rs.getInt("tried") == 1);
                    byChannel.computeIfAbsent(rs.getString("channel"), c -> new TreeMap<>())
                            .merge(state, rs.getLong("n"), Long::sum);
                });
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
