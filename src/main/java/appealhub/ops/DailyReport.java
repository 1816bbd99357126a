package appealhub.ops;

import appealhub.organization.OrganizationRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * 日汇总: one Beijing day's numbers from the store. Received per channel, merged, dispatched per
 * department and township, resolved and how many on time, overdue at the day's end (or now, for
 * today), returned, and the citizens' satisfaction (12345 回访 evaluations).
 */
@Component
public class DailyReport {
    public static final List<String> SATISFACTION = List.of("满意", "基本满意", "不满意");

    /** A named count, e.g. a channel or an organisation. */
    public record Line(String code, String name, long count) {}

    /** Dispatched tasks of one organisation: as lead and as co-handler. */
    public record Dispatched(String code, String name, long lead, long co) {
        public long total() {
            return lead + co;
        }
    }

    /**
     * @param onTimeRate resolved on time / resolved, in percent with one decimal; null when nothing was resolved
     * @param satisfactionRate (满意 + 基本满意) / evaluations, in percent; null without evaluations
     */
    public record Report(LocalDate day, String district, Instant generatedAt, List<Line> received, long receivedTotal,
                         long duplicates, long refused, long urgent, long merged, long manuallyTriaged,
                         List<Dispatched> departments, List<Dispatched> townships, long dispatchedTotal,
                         long resolved, long resolvedOnTime, Double onTimeRate, long overdue, long returnedUpstream,
                         List<Line> satisfaction, long evaluations, Double satisfactionRate) {}

    private final JdbcTemplate jdbc;
    private final OrganizationRegistry registry;
    private final ObjectMapper json;
    private final Clock clock;

    public DailyReport(JdbcTemplate jdbc, OrganizationRegistry registry, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.registry = registry;
        this.json = json;
        this.clock = clock;
    }

    public Report of(LocalDate day) {
        Instant now = clock.instant();
        Instant start = day.atStartOfDay(Labels.BEIJING).toInstant();
        Instant end = day.plusDays(1).atStartOfDay(Labels.BEIJING).toInstant();
        // the day's end, or now for a day not over yet: overdue counts what was overdue then
        Instant cutoff = now.isBefore(end) ? now : end;
        OffsetDateTime s = Dashboard.db(start);
        OffsetDateTime e = Dashboard.db(end);

        Map<String, Long> byChannel = counts("select channel, count(*) from appeal_source where received_at >= ? and received_at < ? "
                + "group by channel", s, e);
        List<Line> received = new ArrayList<>();
        Labels.CHANNELS.forEach((code, name) -> received.add(new Line(code, name, byChannel.getOrDefault(code, 0L))));
        byChannel.forEach((code, n) -> {
            if (!Labels.CHANNELS.containsKey(code)) received.add(new Line(code, code, n));
        });
        long receivedTotal = received.stream().mapToLong(Line::count).sum();

        Map<String, long[]> dispatched = new LinkedHashMap<>();
        jdbc.query("select org_code, role, count(*) from task where created_at >= ? and created_at < ? group by org_code, role", rs -> {
            dispatched.computeIfAbsent(rs.getString(1), c -> new long[2])["lead".equals(rs.getString(2)) ? 0 : 1] += rs.getLong(3);
        }, s, e);
        List<Dispatched> departments = new ArrayList<>();
        for (OrganizationRegistry.Department d : registry.departments()) {
            long[] n = dispatched.get(d.code());
            if (n != null) departments.add(new Dispatched(d.code(), d.name(), n[0], n[1]));
        }
        List<Dispatched> townships = new ArrayList<>();
        for (OrganizationRegistry.Township t : registry.townships()) {
            long[] n = dispatched.getOrDefault(t.code(), new long[2]);
            townships.add(new Dispatched(t.code(), t.name(), n[0], n[1]));
        }
        long dispatchedTotal = dispatched.values().stream().mapToLong(n -> n[0] + n[1]).sum();

        long[] resolved = new long[2];
        jdbc.query("select deadline, updated_at from task where role = 'lead' and status = 'RESOLVED' "
                + "and updated_at >= ? and updated_at < ?", rs -> {
            resolved[0]++;
            OffsetDateTime deadline = rs.getObject(1, OffsetDateTime.class);
            OffsetDateTime at = rs.getObject(2, OffsetDateTime.class);
            if (deadline == null || !at.isAfter(deadline)) resolved[1]++;
        }, s, e);

        // two index ranges, not one "or": H2 walked every lead task of the year for it (issue 16). The second only
        // reads the tasks resolved after the cutoff (task_status_updated holds what it compares, V21)
        long overdue = count("select count(*) from task where status in ('SENT', 'ACCEPTED') and deadline < ? "
                + "and role = 'lead' and created_at < ?", Dashboard.db(cutoff), e)
                + count("select count(case when role = 'lead' and deadline < ? and created_at < ? then 1 end) from task "
                + "where status = 'RESOLVED' and updated_at > ?", Dashboard.db(cutoff), e, Dashboard.db(cutoff));

        Map<String, Long> satisfaction = new LinkedHashMap<>();
        SATISFACTION.forEach(v -> satisfaction.put(v, 0L));
        for (String detail : jdbc.queryForList("select detail from case_event where type = 'evaluated' and at >= ? and at < ?",
                String.class, s, e)) {
            String value = satisfactionOf(detail);
            if (value != null) satisfaction.merge(value, 1L, Long::sum);
        }
        long evaluations = satisfaction.values().stream().mapToLong(Long::longValue).sum();
        long satisfied = satisfaction.getOrDefault("满意", 0L) + satisfaction.getOrDefault("基本满意", 0L);

        // the day's raw items once by the received_at index: "parse_status in (...)" first made H2 walk every INVALID
        // and REJECTED row of the year (issue 16)
        Map<String, Long> raw = counts("select parse_status, count(*) from raw_item where received_at >= ? and received_at < ? "
                + "group by parse_status", s, e);
        return new Report(day, registry.district().name(), now, received, receivedTotal,
                raw.getOrDefault("DUPLICATE", 0L), raw.getOrDefault("INVALID", 0L) + raw.getOrDefault("REJECTED", 0L),
                count("select count(*) from hub_case where urgency = 'urgent' and created_at >= ? and created_at < ?", s, e),
                eventCount("merged", s, e), eventCount("triaged", s, e),
                departments, townships, dispatchedTotal, resolved[0], resolved[1], percent(resolved[1], resolved[0]),
                overdue, eventCount("returned-upstream", s, e),
                satisfaction.entrySet().stream().map(x -> new Line(x.getKey(), x.getKey(), x.getValue())).toList(),
                evaluations, percent(satisfied, evaluations));
    }

    /** The evaluation's satisfaction as EvaluationService records it (detail.satisfaction). */
    private String satisfactionOf(String detail) {
        if (detail == null) return null;
        try {
            JsonNode n = json.readTree(detail).get("satisfaction");
            return n == null || !n.isTextual() ? null : n.asText();
        } catch (Exception unreadable) {
            return null;
        }
    }

    private long eventCount(String type, OffsetDateTime s, OffsetDateTime e) {
        return count("select count(*) from case_event where type = ? and at >= ? and at < ?", type, s, e);
    }

    private static Double percent(long part, long whole) {
        return whole == 0 ? null : Math.round(part * 1000.0 / whole) / 10.0;
    }

    private long count(String sql, Object... args) {
        return SqlCounts.count(jdbc, sql, args);
    }

    private Map<String, Long> counts(String sql, Object... args) {
        return SqlCounts.counts(jdbc, sql, args);
    }
}
