package appealhub.ops;

import appealhub.organization.OrganizationRegistry;
import appealhub.model.Appeal;
import appealhub.model.Pii;
import appealhub.store.CaseStore;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Finds cases for operations by appeal id, source item id, the citizen's phone, organisation,
 * status and Beijing date range. The phone is compared, never shown: results carry masked
 * phones, and the number is neither logged nor kept.
 */
@Component
public class CaseSearch {
    static final int MAX_RESULTS = 200;
    static final int DEFAULT_RESULTS = 50;

    /** What to look for; null or blank fields are not used. Dates are Beijing days, both included. */
    public record Query(String appealId, String sourceItemId, String phone, String org, String status,
                        LocalDate from, LocalDate to, int limit) {}

    private final JdbcTemplate jdbc;
    private final CaseStore cases;
    private final OrganizationRegistry registry;

    public CaseSearch(JdbcTemplate jdbc, CaseStore cases, OrganizationRegistry registry) {
        this.jdbc = jdbc;
        this.cases = cases;
        this.registry = registry;
    }

    /**
     * An organisation's search first walks this many newest cases, checking each (most
     * organisations have cases every day: 50 of them are among the newest few thousand); only when
     * they hold fewer than a page does it start from the organisation's own rows (issue 16).
     */
    static final int RECENT_CASES = 20_000;
    /** A phone with more cases than this is looked up by a sub-query rather than by its case ids. */
    private static final int MAX_PHONE_CASES = 5_000;

    private enum OrgBy { PROBE, ROWS }

    public List<Map<String, Object>> find(Query q) {
        int limit = Math.max(1, Math.min(q.limit() <= 0 ? DEFAULT_RESULTS : q.limit(), MAX_RESULTS));
        List<String> phoneCases = null;
        if (present(q.phone())) {
            if (phoneDigits(q.phone()) == null) throw new IllegalArgumentException("phone must have at least 7 digits");
            // the phone's keyed HMAC through the appeal_phone_key index (V18): every appeal of any age, no digits in
            // the SQL; its cases first, so the plan never depends on how fresh the planner's statistics of the key are
            phoneCases = jdbc.queryForList("select distinct case_id from appeal where phone_key = ? fetch first "
                    + (MAX_PHONE_CASES + 1) + " rows only", String.class, cases.phoneKey(q.phone()));
            if (phoneCases.isEmpty()) return List.of();
        }
        List<String> found;
        if (!present(q.org())) {
            found = caseIds(q, phoneCases, null, null, limit);
        } else {
            Object recent = jdbc.query("select created_at from hub_case order by created_at desc offset " + RECENT_CASES
                    + " rows fetch next 1 rows only", (rs, n) -> rs.getObject(1, OffsetDateTime.class)).stream().findFirst().orElse(null);
            found = caseIds(q, phoneCases, OrgBy.PROBE, recent, limit);
            if (recent != null && found.size() < limit) found = caseIds(q, phoneCases, OrgBy.ROWS, null, limit);
        }
        // the page's cases and their appeals in one query each, not one read per case (issue 16)
        Map<String, CaseStore.CaseRecord> records = cases.findCases(found);
        Map<String, List<Appeal>> appeals = cases.appealsOfCases(found);
        List<Map<String, Object>> out = new ArrayList<>();
        for (String caseId : found) {
            CaseStore.CaseRecord c = records.get(caseId);
            if (c != null) out.add(view(c, appeals.get(caseId)));
        }
        return out;
    }

    /** Ids of the newest matching cases; an organisation checked per case (newer than {@code since}) or from its rows. */
    private List<String> caseIds(Query q, List<String> phoneCases, OrgBy orgBy, Object since, int limit) {
        StringBuilder sql = new StringBuilder("select c.case_id from hub_case c where 1 = 1");
        List<Object> args = new ArrayList<>();
        if (present(q.appealId())) {
            // "in (one row by key)", not a correlated exists: H2 would run that per case (issue 16)
            sql.append(" and c.case_id in (select a.case_id from appeal a where a.appeal_id = ?)");
            args.add(q.appealId().strip());
        }
        if (present(q.sourceItemId())) {
            sql.append(" and c.case_id in (select a.case_id from appeal a join appeal_source s on s.appeal_id = a.appeal_id "
                    + "where s.source_item_id = ?)");
            args.add(q.sourceItemId().strip());
        }
        if (phoneCases != null && phoneCases.size() <= MAX_PHONE_CASES) {
            sql.append(" and c.case_id in (").append(String.join(",", Collections.nCopies(phoneCases.size(), "?"))).append(")");
            args.addAll(phoneCases);
        } else if (phoneCases != null) {
            sql.append(" and c.case_id in (select a.case_id from appeal a where a.phone_key = ?)");
            args.add(cases.phoneKey(q.phone()));
        }
        if (orgBy == OrgBy.PROBE) {
            // "offset 0" keeps PostgreSQL probing task_per_round per case instead of hashing every task of the organisation
            sql.append(" and (c.lead_dept = ? or c.township_code = ? or exists "
                    + "(select 1 from task t where t.case_id = c.case_id and t.org_code = ? offset 0))");
            if (since != null) sql.append(" and c.created_at >= ?");
        } else if (orgBy == OrgBy.ROWS) {
            // the organisation's own rows through hub_case_lead, hub_case_township and task_org (V18)
            sql.append(" and c.case_id in (select l.case_id from hub_case l where l.lead_dept = ? union all "
                    + "select w.case_id from hub_case w where w.township_code = ? union all "
                    + "select t.case_id from task t where t.org_code = ?)");
        }
        if (orgBy != null) {
            String org = q.org().strip();
            args.add(org);
            args.add(org);
            args.add(org);
            if (since != null) args.add(since);
        }
        if (present(q.status())) {
            sql.append(" and c.status = ?");
            args.add(q.status().strip().toUpperCase());
        }
        if (q.from() != null) {
            sql.append(" and c.created_at >= ?");
            args.add(dayStart(q.from()));
        }
        if (q.to() != null) {
            sql.append(" and c.created_at < ?");
            args.add(dayStart(q.to().plusDays(1)));
        }
        // by one status: "c.status" first (a constant here) lets H2 read the page in hub_case_status_newest's order, the
        // first 50 entries instead of every case of that status (V21, issue 16)
        sql.append(present(q.status()) ? " order by c.status, c.created_at desc, c.case_id limit ?"
                : " order by c.created_at desc, c.case_id limit ?");
        args.add(limit);
        return jdbc.queryForList(sql.toString(), String.class, args.toArray());
    }

    private Map<String, Object> view(CaseStore.CaseRecord c, List<Appeal> appeals) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("caseId", c.caseId());
        m.put("status", c.status().name());
        m.put("statusName", Labels.status(c.status().name()));
        m.put("category", c.category());
        m.put("topic", c.topic());
        m.put("urgency", c.urgency());
        m.put("lead", c.leadDept());
        m.put("leadName", c.leadDept() == null ? null : registry.orgName(c.leadDept()));
        m.put("township", c.townshipCode());
        m.put("townshipName", c.townshipCode() == null ? null : registry.orgName(c.townshipCode()));
        m.put("createdAt", c.createdAt());
        m.put("deadline", c.deadline());
        List<Map<String, Object>> list = new ArrayList<>();
        for (Appeal a : appeals) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("appealId", a.appealId());
            v.put("title", Pii.maskInText(a.title()));
            Appeal.Source s = a.firstSource();
            v.put("channel", s == null ? null : s.channel());
            v.put("channelName", s == null ? null : Labels.channel(s.channel()));
            v.put("sourceItemId", s == null ? null : s.sourceItemId());
            v.put("phone", Pii.maskPhone(phoneOf(a)));
            v.put("receivedAt", a.receivedAt());
            list.add(v);
        }
        m.put("appeals", list);
        return m;
    }

    private static String phoneOf(Appeal a) {
        return a.citizen() == null ? null : a.citizen().phone();
    }

    /** Digits only, without a +86 / 0086 prefix; null when too short to be a phone. */
    static String phoneDigits(String phone) {
        if (phone == null) return null;
        String d = phone.replaceAll("[^0-9]", "");
        if (d.startsWith("0086")) d = d.substring(4);
        else if (d.startsWith("86") && d.length() == 13) d = d.substring(2);
        return d.length() >= 7 ? d : null;
    }

    private static OffsetDateTime dayStart(LocalDate day) {
        Instant start = day.atStartOfDay(Labels.BEIJING).toInstant();
        return start.atOffset(ZoneOffset.UTC);
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
