package appealhub.ops;

import appealhub.organization.OrganizationRegistry;
import appealhub.model.Appeal;
import appealhub.model.Pii;
import appealhub.store.CaseStageCounts;
import appealhub.store.CaseStore;
import appealhub.merge.HeatIndex;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The numbers of the domain dashboard (GET /ops/dashboard), read from the store: inflow per
 * channel, the pipeline's stages, backlog and overdue per department and township, hot issues,
 * emergencies, failed feedback and dead letters. Built at most once per {@link #FRESH_FOR} for
 * however many screens ask.
 */
@Component
public class Dashboard {
    static final Duration FRESH_FOR = Duration.ofSeconds(2);
    static final int HOURS = 12;
    private static final String CLOSED = "('RESOLVED', 'RETURNED_UPSTREAM', 'MERGED')";
    /**
     * Every other status: "status in OPEN" rather than "status not in CLOSED", so a year of closed
     * cases is skipped through the status index instead of scanned (issue 16).
     */
    private static final String OPEN = java.util.Arrays.stream(appealhub.model.CaseStatus.values()).map(Enum::name)
            .filter(s -> !CLOSED.contains("'" + s + "'")).collect(java.util.stream.Collectors.joining("', '", "('", "')"));

    private final JdbcTemplate jdbc;
    private final CaseStore cases;
    private final OrganizationRegistry registry;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final CaseStageCounts stages;
    private volatile Map<String, Object> last;
    private volatile Instant lastAt = Instant.EPOCH;

    public Dashboard(JdbcTemplate jdbc, CaseStore cases, OrganizationRegistry registry, DeadLetters deadLetters, Clock clock,
                     CaseStageCounts stages) {
        this.stages = stages;
        this.jdbc = jdbc;
        this.cases = cases;
        this.registry = registry;
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    public synchronized Map<String, Object> current() {
        Instant now = clock.instant();
        if (last == null || Duration.between(lastAt, now).compareTo(FRESH_FOR) >= 0 || now.isBefore(lastAt)) {
            last = build(now);
            lastAt = now;
        }
        return last;
    }

    private Map<String, Object> build(Instant now) {
        LocalDate today = LocalDate.ofInstant(now, Labels.BEIJING);
        Instant dayStart = today.atStartOfDay(Labels.BEIJING).toInstant();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("at", now);
        d.put("day", today.toString());
        d.put("district", registry.district().name());

        Map<String, Object> inflow = inflow(now, dayStart);
        Map<String, Long> stages = this.stages.current();
        List<Map<String, Object>> pipeline = pipeline(stages);
        long[] overdueLead = new long[1];
        Map<String, List<Map<String, Object>>> backlog = backlog(now, overdueLead);
        List<Map<String, Object>> urgent = emergencies();
        Map<String, Object> feedback = failedFeedback();
        List<Map<String, Object>> dead = deadLetters();

        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("receivedToday", inflow.get("todayTotal"));
        // from the kept stage counts and the backlog's own query: no further reads of a year of cases (issue 16)
        totals.put("open", stages.getOrDefault("TRIAGE", 0L) + stages.getOrDefault("DISPATCHED", 0L)
                + stages.getOrDefault("ACCEPTED", 0L));
        totals.put("overdue", overdueLead[0]);
        totals.put("resolvedToday", count("select count(*) from task where role = 'lead' and status = 'RESOLVED' and updated_at >= ?",
                db(dayStart)));
        totals.put("triage", stages.getOrDefault("TRIAGE", 0L));
        totals.put("urgentOpen", urgent.size());
        totals.put("failedFeedback", feedback.get("total"));
        totals.put("deadLetters", dead.stream().mapToInt(q -> (Integer) q.get("count")).sum());
        // stored but never placed after every hand-over attempt (HandoverRecovery): operations act on /ops/parked
        totals.put("parked", cases.parkedCount());
        // 办结 replies the reply check held for operations (docs/reply-quality.md): decided on /ops/reply-reviews.html
        totals.put("heldReplies", count("select count(*) from reply_review where status = 'HELD'"));
        d.put("totals", totals);
        d.put("inflow", inflow);
        d.put("pipeline", pipeline);
        d.put("departments", backlog.get("departments"));
        d.put("townships", backlog.get("townships"));
        d.put("hotIssues", hotIssues(8));
        d.put("emergencies", urgent);
        d.put("feedback", feedback);
        d.put("deadLetters", dead);
        return d;
    }

    /** Appeals received per channel today, by Beijing hour over the last hours, and what was turned away today. */
    private Map<String, Object> inflow(Instant now, Instant dayStart) {
        Map<String, Long> today = counts("select channel, count(*) from appeal_source where received_at >= ? group by channel",
                db(dayStart));
        // today's raw items once, by the received_at index alone: "parse_status in (...) and received_at >= ?" made H2
        // walk every INVALID and REJECTED row of the year through raw_item_status (issue 16)
        Map<String, Long> duplicates = new LinkedHashMap<>();
        Map<String, Long> refused = new LinkedHashMap<>();
        jdbc.query("select channel, parse_status, count(*) from raw_item where received_at >= ? group by channel, parse_status", rs -> {
            String status = rs.getString(2);
            Map<String, Long> to = "DUPLICATE".equals(status) ? duplicates
                    : "INVALID".equals(status) || "REJECTED".equals(status) ? refused : null;
            if (to != null) to.merge(rs.getString(1), rs.getLong(3), Long::sum);
        }, db(dayStart));
        ZonedDateTime firstHour = ZonedDateTime.ofInstant(now, Labels.BEIJING).truncatedTo(ChronoUnit.HOURS).minusHours(HOURS - 1);
        List<String> hours = new ArrayList<>();
        for (int i = 0; i < HOURS; i++) hours.add(String.format("%02d:00", firstHour.plusHours(i).getHour()));
        Map<String, long[]> perHour = new LinkedHashMap<>();
        Labels.CHANNELS.keySet().forEach(c -> perHour.put(c, new long[HOURS]));
        jdbc.query("select channel, received_at from appeal_source where received_at >= ?", rs -> {
            Instant at = rs.getObject(2, OffsetDateTime.class).toInstant();
            int slot = (int) Duration.between(firstHour.toInstant(), at).toHours();
            if (slot >= 0 && slot < HOURS) perHour.computeIfAbsent(rs.getString(1), c -> new long[HOURS])[slot]++;
        }, db(firstHour.toInstant()));

        List<Map<String, Object>> channels = new ArrayList<>();
        long total = 0;
        for (String channel : perHour.keySet()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("channel", channel);
            c.put("name", Labels.channel(channel));
            long n = today.getOrDefault(channel, 0L);
            total += n;
            c.put("today", n);
            c.put("duplicatesToday", duplicates.getOrDefault(channel, 0L));
            c.put("refusedToday", refused.getOrDefault(channel, 0L));
            c.put("hourly", perHour.get(channel));
            channels.add(c);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("todayTotal", total);
        m.put("hours", hours);
        m.put("channels", channels);
        return m;
    }

    /**
     * Cases at each stage now, in the pipeline's order; a resolved case is "fed back" once its result reached a source.
     * Kept counts (CaseStageCounts), not a count over every case of the year (issue 16).
     */
    List<Map<String, Object>> pipeline(Map<String, Long> byStatus) {
        long fedBack = byStatus.getOrDefault(CaseStageCounts.FED_BACK, 0L);
        List<Map<String, Object>> stages = new ArrayList<>();
        stages.add(stage("RECEIVED", "已接收", byStatus.getOrDefault("RECEIVED", 0L)));
        stages.add(stage("TRIAGE", "待人工分拨", byStatus.getOrDefault("TRIAGE", 0L)));
        stages.add(stage("DISPATCHED", "已分派", byStatus.getOrDefault("DISPATCHED", 0L)));
        stages.add(stage("ACCEPTED", "办理中", byStatus.getOrDefault("ACCEPTED", 0L)));
        stages.add(stage("RESOLVED", "已办结待反馈", byStatus.getOrDefault("RESOLVED", 0L) - fedBack));
        stages.add(stage("FED_BACK", "已反馈", fedBack));
        stages.add(stage("RETURNED_UPSTREAM", "已退回上级", byStatus.getOrDefault("RETURNED_UPSTREAM", 0L)));
        stages.add(stage("MERGED", "已合并", byStatus.getOrDefault("MERGED", 0L)));
        return stages;
    }

    private static Map<String, Object> stage(String code, String name, long count) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stage", code);
        m.put("name", name);
        m.put("count", count);
        return m;
    }

    /**
     * Open tasks (backlog) and those past their deadline, per department and per township; adds the
     * overdue lead tasks (the "overdue" total) to {@code overdueLead}, from the same read. Index
     * entries only (task_open, hub_case_id_status, V21): no task or case row is read (issue 16).
     */
    private Map<String, List<Map<String, Object>>> backlog(Instant now, long[] overdueLead) {
        Map<String, long[]> byOrg = new LinkedHashMap<>();
        jdbc.query("select t.org_code, count(*), sum(case when t.deadline < ? then 1 else 0 end), "
                + "sum(case when t.deadline < ? and t.role = 'lead' then 1 else 0 end) from task t "
                + "join hub_case c on c.case_id = t.case_id where t.status in ('SENT', 'ACCEPTED') and c.status in " + OPEN
                + " group by t.org_code", rs -> {
            byOrg.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
            overdueLead[0] += rs.getLong(4);
        }, db(now), db(now));
        List<Map<String, Object>> departments = new ArrayList<>();
        byOrg.forEach((code, n) -> {
            if (registry.department(code).isPresent()) departments.add(org(code, n));
        });
        departments.sort(Comparator.comparingLong((Map<String, Object> m) -> (Long) m.get("backlog")).reversed()
                .thenComparing(m -> (String) m.get("code")));
        List<Map<String, Object>> townships = new ArrayList<>();
        for (OrganizationRegistry.Township t : registry.townships()) {
            townships.add(org(t.code(), byOrg.getOrDefault(t.code(), new long[2])));
        }
        return Map.of("departments", departments.size() > 12 ? departments.subList(0, 12) : departments,
                "townships", townships);
    }

    private Map<String, Object> org(String code, long[] n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code);
        m.put("name", registry.orgName(code));
        m.put("backlog", n[0]);
        m.put("overdue", n[1]);
        return m;
    }

    /**
     * Hot issues (热点): open cases several citizens reported, hottest first by the heat index
     * ({@link HeatIndex}: citizens, repeated reports, votes where a channel has them, and how recently
     * it was last reported). ADAPTER over the merge step's columns (hub_case.hot and citizen_count,
     * migration V9): the only place the dashboard knows how a hot issue is stored. The most reported
     * {@code HOT_POOL} open hot cases are ranked (a hot case beyond them has fewer citizens than all of them).
     */
    List<Map<String, Object>> hotIssues(int limit) {
        List<Map<String, Object>> out = new ArrayList<>();
        jdbc.query("select case_id, citizen_count, status from hub_case where hot = true and status in " + OPEN
                + " order by citizen_count desc, updated_at desc limit ?", rs -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("caseId", rs.getString(1));
            m.put("citizens", rs.getInt(2));
            m.put("status", rs.getString(3));
            m.put("statusName", Labels.status(rs.getString(3)));
            out.add(m);
        }, Math.max(limit, HOT_POOL));
        Instant now = clock.instant();
        for (Map<String, Object> m : out) {
            String caseId = (String) m.get("caseId");
            CaseStore.CaseRecord c = cases.findCase(caseId);
            m.put("title", title(caseId));
            m.put("leadName", c == null || c.leadDept() == null ? null : registry.orgName(c.leadDept()));
            List<CaseStore.SourceRecord> sources = cases.sourcesOfCase(caseId);
            m.put("sources", sources.size());
            putHeat(m, (Integer) m.get("citizens"), sources, now);
        }
        out.sort(Comparator.comparingDouble((Map<String, Object> m) -> -(Double) m.get("heat")));
        return out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
    }

    /**
     * A hot case's heat index and last report, as the panel and GET /ops/hot-issues show them. No
     * channel stores public votes yet (the leader board's likes are not kept): 0 here.
     */
    static void putHeat(Map<String, Object> m, int citizens, List<CaseStore.SourceRecord> sources, Instant now) {
        Instant last = sources.stream().map(CaseStore.SourceRecord::receivedAt).filter(java.util.Objects::nonNull)
                .max(Comparator.naturalOrder()).orElse(now);
        m.put("lastReportAt", last);
        m.put("heat", HeatIndex.of(citizens, sources.size(), 0, 0, last, now));
    }

    /** How many of the most reported open hot cases the panel ranks by heat. */
    private static final int HOT_POOL = 50;

    /** Open urgent cases (应急), newest first. */
    private List<Map<String, Object>> emergencies() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String caseId : jdbc.queryForList("select case_id from hub_case where urgency = 'urgent' and status not in "
                + CLOSED + " order by created_at desc limit 20", String.class)) {
            CaseStore.CaseRecord c = cases.findCase(caseId);
            if (c == null) continue;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("caseId", caseId);
            m.put("title", title(caseId));
            m.put("status", c.status().name());
            m.put("statusName", Labels.status(c.status().name()));
            m.put("leadName", c.leadDept() == null ? null : registry.orgName(c.leadDept()));
            m.put("townshipName", c.townshipCode() == null ? null : registry.orgName(c.townshipCode()));
            m.put("createdAt", c.createdAt());
            m.put("deadline", c.deadline());
            out.add(m);
        }
        return out;
    }

    /** Feedback refused for good or still failing, per channel. */
    private Map<String, Object> failedFeedback() {
        Map<String, long[]> byChannel = new LinkedHashMap<>();
        Labels.CHANNELS.keySet().forEach(c -> byChannel.put(c, new long[2]));
        // "status in (...)" first: an "or" of the two made H2 scan the whole table; feedback_outbox_failed (V21) covers it
        jdbc.query("select channel, status, count(*) from feedback_outbox where status in ('REFUSED', 'PENDING') "
                + "and (status = 'REFUSED' or attempts > 0) group by channel, status", rs -> {
            long[] n = byChannel.computeIfAbsent(rs.getString(1), c -> new long[2]);
            n["REFUSED".equals(rs.getString(2)) ? 0 : 1] += rs.getLong(3);
        });
        List<Map<String, Object>> channels = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, long[]> e : byChannel.entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("channel", e.getKey());
            m.put("name", Labels.channel(e.getKey()));
            m.put("refused", e.getValue()[0]);
            m.put("retrying", e.getValue()[1]);
            total += e.getValue()[0] + e.getValue()[1];
            channels.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total", total);
        m.put("channels", channels);
        m.put("calledBack", count("select count(*) from feedback_outbox where status = 'CALLED_BACK'"));
        return m;
    }

    /** Parking queues that hold messages now. */
    private List<Map<String, Object>> deadLetters() {
        Map<String, Integer> counts = deadLetters.counts();
        List<Map<String, Object>> out = new ArrayList<>();
        for (appealhub.contract.ParkingQueue q : deadLetters.queues()) {
            int n = counts.getOrDefault(q.name(), 0);
            if (n == 0) continue;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("queue", q.name());
            m.put("label", q.label());
            m.put("count", n);
            out.add(m);
        }
        return out;
    }

    private String title(String caseId) {
        List<Appeal> appeals = cases.appealsOfCase(caseId);
        return appeals.isEmpty() ? null : Pii.maskInText(appeals.get(0).title());
    }

    private long count(String sql, Object... args) {
        return SqlCounts.count(jdbc, sql, args);
    }

    private Map<String, Long> counts(String sql, Object... args) {
        return SqlCounts.counts(jdbc, sql, args);
    }

    static OffsetDateTime db(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
