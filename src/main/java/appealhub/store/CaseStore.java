package appealhub.store;

import appealhub.model.CaseStatus;

import appealhub.model.Appeal;
import appealhub.model.PhoneHasher;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Collections;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Cases, their appeals and sources, and the case file (一案一卷). */
@Repository
public class CaseStore {

    public record CaseRecord(String caseId, CaseStatus status, String category, String topic, String leadDept,
                             List<String> coDepts, String townshipCode, String urgency, String complexity,
                             Instant deadline, int round, Instant createdAt, Instant updatedAt,
                             String mergedInto, int citizenCount, boolean hot, int priority) {

        /** JMS priority of the case's tasks and task updates: 9 urgent, else its own (7 hot issue, 4 normal). */
        public int messagePriority() {
            return "urgent".equals(urgency) ? 9 : priority;
        }
    }

    public record SourceRecord(String appealId, String channel, String sourceItemId, long rawItemId, Instant receivedAt) {}

    public record CaseEvent(long id, Instant at, String type, String actor, String detail) {}

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final PhoneHasher phones;
    private final CaseStageCounts stages;

    public CaseStore(JdbcTemplate jdbc, ObjectMapper json, Clock clock, PhoneHasher phones, CaseStageCounts stages) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.phones = phones;
        this.stages = stages;
    }

    /** What appeal.phone_key holds for an appeal without a usable phone (null there means "not computed yet"). */
    public static final String NO_PHONE_KEY = "-";

    /** The appeal's phone_key: the keyed HMAC of its normalised phone (as the merge index's), or {@link #NO_PHONE_KEY}. */
    public String phoneKey(Appeal appeal) {
        String key = appeal.citizen() == null ? null : phones.hash(appeal.citizen().phone());
        return key == null ? NO_PHONE_KEY : key;
    }

    /** The phone_key a search for this phone looks up, or null when it is no usable phone. */
    public String phoneKey(String phone) {
        return phones.hash(phone);
    }

    /** The case's status under its row lock (null when there is no such case). */
    private String lockedStatus(String caseId) {
        List<String> found = jdbc.queryForList("select status from hub_case where case_id = ? for update", String.class, caseId);
        return found.isEmpty() ? null : found.get(0);
    }

    /** Changes a case's status with the given update, counting the change (CaseStageCounts) in the same transaction. */
    private void changeStatus(String caseId, String to, Runnable update) {
        stages.inTransaction(() -> {
            String from = lockedStatus(caseId);
            update.run();
            if (from != null) stages.moved(caseId, from, to);
            return null;
        });
    }

    public Optional<String> appealIdBySource(String channel, String sourceItemId) {
        return jdbc.queryForList("select appeal_id from appeal_source where channel = ? and source_item_id = ?",
                String.class, channel, sourceItemId).stream().findFirst();
    }

    public void insertCase(String caseId, CaseStatus status) {
        Instant now = clock.instant();
        stages.inTransaction(() -> {
            jdbc.update("insert into hub_case (case_id, status, round, created_at, updated_at) values (?,?,0,?,?)",
                    caseId, status.name(), Times.db(now), Times.db(now));
            stages.moved(caseId, null, status.name());
            return null;
        });
    }

    public void insertAppeal(Appeal appeal) {
        jdbc.update("insert into appeal (appeal_id, case_id, title, received_at, model_json, created_at, phone_key) "
                        + "values (?,?,?,?,?,?,?)",
                appeal.appealId(), appeal.caseId(), appeal.title(), Times.db(appeal.receivedAt()),
                toJson(appeal), Times.db(clock.instant()), phoneKey(appeal));
    }

    public void insertSource(String appealId, Appeal.Source source) {
        jdbc.update("insert into appeal_source (appeal_id, channel, source_item_id, raw_item_id, received_at) values (?,?,?,?,?)",
                appealId, source.channel(), source.sourceItemId(), source.rawItemId(), Times.db(source.receivedAt()));
    }

    /** Replaces an appeal's model (e.g. a location or photo sent after the text, as WeChat followers do). */
    public void updateAppeal(Appeal appeal) {
        jdbc.update("update appeal set title = ?, model_json = ?, phone_key = ? where appeal_id = ?",
                appeal.title(), toJson(appeal), phoneKey(appeal), appeal.appealId());
    }

    public Appeal appeal(String appealId) {
        return jdbc.query("select model_json from appeal where appeal_id = ?",
                (rs, n) -> fromJson(rs.getString(1)), appealId).stream().findFirst().orElse(null);
    }

    public List<Appeal> appealsOfCase(String caseId) {
        return jdbc.query("select model_json from appeal where case_id = ? order by received_at",
                (rs, n) -> fromJson(rs.getString(1)), caseId);
    }

    /** Appeals of several cases in one query (a page of search results), by case id, each in received order. */
    public Map<String, List<Appeal>> appealsOfCases(List<String> caseIds) {
        Map<String, List<Appeal>> out = new LinkedHashMap<>();
        caseIds.forEach(id -> out.put(id, new ArrayList<>()));
        if (caseIds.isEmpty()) return out;
        jdbc.query("select case_id, model_json from appeal where case_id in ("
                + String.join(",", Collections.nCopies(caseIds.size(), "?")) + ") order by received_at", rs -> {
                    out.get(rs.getString(1)).add(fromJson(rs.getString(2)));
                }, caseIds.toArray());
        return out;
    }

    /** Appeals received as this case and merged into another since. */
    public List<Appeal> appealsReceivedAs(String caseId) {
        return jdbc.query("select model_json from appeal where origin_case_id = ? and case_id <> ? order by received_at",
                (rs, n) -> fromJson(rs.getString(1)), caseId, caseId);
    }

    public String caseIdOfAppeal(String appealId) {
        return jdbc.queryForList("select case_id from appeal where appeal_id = ?", String.class, appealId)
                .stream().findFirst().orElse(null);
    }

    public CaseRecord findCase(String caseId) {
        return jdbc.query("select * from hub_case where case_id = ?", (rs, n) -> caseRecord(rs), caseId)
                .stream().findFirst().orElse(null);
    }

    /** Several cases in one query (a page of search results), by case id; ids without a case are left out. */
    public Map<String, CaseRecord> findCases(List<String> caseIds) {
        Map<String, CaseRecord> out = new LinkedHashMap<>();
        if (caseIds.isEmpty()) return out;
        jdbc.query("select * from hub_case where case_id in (" + String.join(",", Collections.nCopies(caseIds.size(), "?")) + ")",
                rs -> {
                    CaseRecord c = caseRecord(rs);
                    out.put(c.caseId(), c);
                }, caseIds.toArray());
        return out;
    }

    private static CaseRecord caseRecord(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new CaseRecord(
                rs.getString("case_id"), CaseStatus.valueOf(rs.getString("status")), rs.getString("category"),
                rs.getString("topic"), rs.getString("lead_dept"), splitOrgs(rs.getString("co_depts")), rs.getString("township_code"),
                rs.getString("urgency"), rs.getString("complexity"), Times.read(rs, "deadline"),
                rs.getInt("round"), Times.read(rs, "created_at"), Times.read(rs, "updated_at"),
                rs.getString("merged_into"), rs.getInt("citizen_count"), rs.getBoolean("hot"), rs.getInt("priority"));
    }

    /** Locks the case row for the rest of the transaction, so concurrent steps on one case serialize. */
    public CaseRecord lockCase(String caseId) {
        jdbc.queryForList("select case_id from hub_case where case_id = ? for update", String.class, caseId);
        return findCase(caseId);
    }

    /** Moves an appeal to another case (a merge or its undo); the first case it had is kept as its origin. */
    public void moveAppeal(String appealId, String fromCaseId, String toCaseId) {
        jdbc.update("update appeal set case_id = ?, origin_case_id = coalesce(origin_case_id, ?) where appeal_id = ?",
                toCaseId, fromCaseId, appealId);
    }

    /** The case an appeal was received as, when it has since been merged into another. */
    public String originCaseOfAppeal(String appealId) {
        List<String> found = jdbc.queryForList("select origin_case_id from appeal where appeal_id = ?", String.class, appealId);
        return found.isEmpty() ? null : found.get(0);
    }

    public void markMerged(String caseId, String targetCaseId) {
        changeStatus(caseId, CaseStatus.MERGED.name(), () -> jdbc.update(
                "update hub_case set status = 'MERGED', merged_into = ?, updated_at = ? where case_id = ?",
                targetCaseId, Times.db(clock.instant()), caseId));
    }

    /** Undo of a merge: the case is received again and never merged automatically. */
    public void unmerge(String caseId) {
        changeStatus(caseId, CaseStatus.RECEIVED.name(), () -> jdbc.update(
                "update hub_case set status = 'RECEIVED', merged_into = null, merge_blocked = true, updated_at = ? "
                + "where case_id = ?", Times.db(clock.instant()), caseId));
    }

    public boolean mergeBlocked(String caseId) {
        return Boolean.TRUE.equals(jdbc.queryForObject("select merge_blocked from hub_case where case_id = ?",
                Boolean.class, caseId));
    }

    public void updateCitizens(String caseId, int citizens, boolean hot, int priority) {
        jdbc.update("update hub_case set citizen_count = ?, hot = ?, priority = ?, updated_at = ? where case_id = ?",
                citizens, hot, priority, Times.db(clock.instant()), caseId);
    }

    /** Hot issues (热点): open cases several citizens reported, most reported first. */
    public List<CaseRecord> hotCases(int limit) {
        List<String> ids = jdbc.queryForList("select case_id from hub_case where hot = true "
                + "and status not in ('RESOLVED', 'MERGED', 'RETURNED_UPSTREAM') order by citizen_count desc, updated_at desc limit ?",
                String.class, limit);
        return ids.stream().map(this::findCase).toList();
    }

    public List<SourceRecord> sourcesOfCase(String caseId) {
        return jdbc.query("select s.* from appeal_source s join appeal a on a.appeal_id = s.appeal_id "
                        + "where a.case_id = ? order by s.id",
                (rs, n) -> new SourceRecord(rs.getString("appeal_id"), rs.getString("channel"),
                        rs.getString("source_item_id"), rs.getLong("raw_item_id"), Times.read(rs, "received_at")),
                caseId);
    }

    /** Where a case was placed: what {@link #updatePlacement} writes. */
    public record CasePlacement(CaseStatus status, String category, String topic, String leadDept, List<String> coDepts,
                                String townshipCode, String urgency, String complexity, Instant deadline, int round) {
        public CasePlacement {
            coDepts = coDepts == null ? List.of() : List.copyOf(coDepts);
        }
    }

    public void updatePlacement(String caseId, CasePlacement p) {
        changeStatus(caseId, p.status().name(), () -> jdbc.update("update hub_case set status = ?, category = ?, topic = ?, lead_dept = ?, co_depts = ?, "
                        + "township_code = ?, urgency = ?, complexity = ?, deadline = ?, round = ?, updated_at = ? "
                        + "where case_id = ?",
                p.status().name(), p.category(), p.topic(), p.leadDept(), joinOrgs(p.coDepts()), p.townshipCode(),
                p.urgency(), p.complexity(), Times.db(p.deadline()), p.round(), Times.db(clock.instant()), caseId));
    }

    /** Column co_depts holds the co-organisations' codes comma-joined (codes hold no comma). */
    private static List<String> splitOrgs(String column) {
        if (column == null || column.isBlank()) return List.of();
        return java.util.Arrays.stream(column.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    private static String joinOrgs(List<String> orgs) {
        return orgs.isEmpty() ? null : String.join(",", orgs);
    }

    /**
     * Moves a case out of RECEIVED, only if it still is (a conditional update: the database
     * re-checks the status under the row lock, on H2 and PostgreSQL alike).
     * @return false when another placement of the case got there first
     */
    public boolean leaveReceived(String caseId, CaseStatus status) {
        return Boolean.TRUE.equals(stages.inTransaction(() -> {
            boolean left = jdbc.update("update hub_case set status = ?, updated_at = ? where case_id = ? and status = 'RECEIVED'",
                    status.name(), Times.db(clock.instant()), caseId) == 1;
            if (left) stages.moved(caseId, CaseStatus.RECEIVED.name(), status.name());
            return left;
        }));
    }

    public void updateStatus(String caseId, CaseStatus status) {
        changeStatus(caseId, status.name(), () -> jdbc.update("update hub_case set status = ?, updated_at = ? where case_id = ?",
                status.name(), Times.db(clock.instant()), caseId));
    }

    /** A stored case still waiting for placement: its hand-over to hub.intake may have been lost. */
    public record Waiting(String caseId, int round, int handoverAttempts, Instant lastTry) {}

    /**
     * Cases still RECEIVED (not parked) whose last hand-over, or whose storing when none was
     * retried yet, is older than {@code before}; oldest first.
     */
    public List<Waiting> awaitingHandover(Instant before, int limit) {
        return jdbc.query("select case_id, round, handover_attempts, coalesce(handover_at, updated_at) last_try "
                        + "from hub_case where status = 'RECEIVED' and parked_at is null "
                        + "and coalesce(handover_at, updated_at) < ? order by last_try limit ?",
                (rs, n) -> new Waiting(rs.getString("case_id"), rs.getInt("round"), rs.getInt("handover_attempts"),
                        Times.read(rs, "last_try")), Times.db(before), limit);
    }

    /**
     * Counts one more hand-over attempt of a case that is still waiting, before the attempt is
     * sent, so each attempt has a number (and a duplicate id) of its own even across restarts.
     * @return false when the case moved on meanwhile (placed, parked): nothing to send
     */
    public boolean countHandoverAttempt(String caseId, int attempt) {
        return jdbc.update("update hub_case set handover_attempts = ?, handover_at = ? "
                + "where case_id = ? and status = 'RECEIVED' and parked_at is null and handover_attempts = ?",
                attempt, Times.db(clock.instant()), caseId, attempt - 1) == 1;
    }

    /** Takes back an attempt whose send failed (the broker was away): it does not count towards parking. */
    public void uncountHandoverAttempt(String caseId, int attempt) {
        jdbc.update("update hub_case set handover_attempts = ? where case_id = ? and handover_attempts = ?",
                attempt - 1, caseId, attempt);
    }

    /** Gives up re-sending a case's hand-over: operations see it (GET /ops/parked, the dashboard). */
    public boolean park(String caseId, String reason) {
        return jdbc.update("update hub_case set parked_at = ?, parked_reason = ? where case_id = ? and status = 'RECEIVED' "
                + "and parked_at is null", Times.db(clock.instant()), reason.length() > 500 ? reason.substring(0, 500) : reason,
                caseId) == 1;
    }

    /** Operations hand a parked case over again: its attempts start from nothing. */
    public boolean unpark(String caseId) {
        return jdbc.update("update hub_case set parked_at = null, parked_reason = null, handover_attempts = 0, "
                + "handover_at = null where case_id = ? and parked_at is not null", caseId) == 1;
    }

    /** A parked case: still RECEIVED after every hand-over attempt. */
    public record Parked(String caseId, Instant parkedAt, String reason, int attempts, Instant createdAt) {}

    public List<Parked> parked(int limit) {
        return jdbc.query("select case_id, parked_at, parked_reason, handover_attempts, created_at from hub_case "
                        + "where parked_at is not null and status = 'RECEIVED' order by parked_at desc limit ?",
                (rs, n) -> new Parked(rs.getString("case_id"), Times.read(rs, "parked_at"), rs.getString("parked_reason"),
                        rs.getInt("handover_attempts"), Times.read(rs, "created_at")), limit);
    }

    public int parkedCount() {
        Integer n = jdbc.queryForObject("select count(*) from hub_case where parked_at is not null and status = 'RECEIVED'",
                Integer.class);
        return n == null ? 0 : n;
    }

    public void addEvent(String caseId, String type, String actor, Map<String, ?> detail) {
        jdbc.update("insert into case_event (case_id, at, type, actor, detail) values (?,?,?,?,?)",
                caseId, Times.db(clock.instant()), type, actor, detail == null ? null : toJson(detail));
    }

    public List<CaseEvent> events(String caseId) {
        return jdbc.query("select * from case_event where case_id = ? order by id", (rs, n) -> new CaseEvent(
                rs.getLong("id"), Times.read(rs, "at"), rs.getString("type"), rs.getString("actor"),
                rs.getString("detail")), caseId);
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    private Appeal fromJson(String text) {
        try {
            return json.readValue(text, Appeal.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored appeal is not readable", e);
        }
    }
}
