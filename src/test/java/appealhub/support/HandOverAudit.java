package appealhub.support;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.messaging.TaskMessages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The end counts of a crash test (kill -9 of the hub, of its broker, a fail-over): what reached
 * the queues, read off them once the hub is done, against what its database holds. Nothing
 * answered may be missing, no case unplaced, each task message on its queue exactly once, no
 * case with two leads.
 */
public final class HandOverAudit {
    public final List<String> taskMessages = new ArrayList<>();
    public final Set<String> triaged = new HashSet<>();
    /** queue → messages on its dead-letter queue, for the queues that have any. */
    public final Map<String, Integer> deadLetters = new HashMap<>();

    /** Takes every task message off the department and township queues and the triage queue, and counts dead letters. */
    public static HandOverAudit drain(Department departments) {
        HandOverAudit audit = new HandOverAudit();
        for (String queue : StandaloneArtemis.taskQueues()) {
            for (var t : departments.drain(queue, 50)) {
                // a department's queue also carries task updates, reminders and escalations for the same task
                if (TaskMessages.SCHEMA.equals(t.path("schema").asText()) && t.hasNonNull("taskId")) {
                    audit.taskMessages.add(t.path("taskId").asText());
                }
            }
        }
        for (var t : departments.drain("hub.triage", 300)) audit.triaged.add(t.path("caseId").asText());
        for (String queue : StandaloneArtemis.deadLetteredQueues()) {
            int n = departments.count("DLA::DLQ." + queue);
            if (n > 0) audit.deadLetters.put(queue, n);
        }
        return audit;
    }

    /**
     * @param answered  the appeal ids the hub answered the pushes with
     * @param orders    the orders of the load (each answered once)
     * @param probes    orders pushed besides the load, with gdbh starting {@code probePrefix} (null: none)
     * @param logs      the hub's data folder, whose *.log files are kept in target/ when a case has two leads (or null)
     */
    public void assertEachOrderHandedOverOnce(JdbcTemplate db, Collection<String> answered, int orders, String probePrefix,
                                              int probes, Path logs) {
        Set<String> stored = new HashSet<>(db.queryForList("select appeal_id from appeal", String.class));
        List<String> lost = answered.stream().filter(id -> !stored.contains(id)).toList();
        assertThat(lost).as("answered orders missing").isEmpty();
        String notProbes = probePrefix == null ? "" : " where appeal_id not in (select appeal_id from appeal_source "
                + "where source_item_id like '" + probePrefix + "%')";
        assertThat(db.queryForObject("select count(*) from appeal" + notProbes, Integer.class))
                .as("one appeal per order").isEqualTo(orders);
        assertThat(db.queryForObject("select count(*) from hub_case where status = 'RECEIVED'", Integer.class))
                .as("cases stuck unplaced").isZero();
        assertThat(db.queryForObject("select count(*) from task where queued_at is null", Integer.class))
                .as("tasks not confirmed on their queue").isZero();
        List<String> twice = taskMessages.stream().filter(id -> taskMessages.indexOf(id) != taskMessages.lastIndexOf(id))
                .distinct().toList();
        List<String> casesOfTwice = twice.isEmpty() ? List.of() : db.queryForList("select distinct case_id from task where task_id in ("
                + String.join(",", java.util.Collections.nCopies(twice.size(), "?")) + ")", String.class, twice.toArray());
        assertThat(twice).as("task messages on their queue more than once: %s", evidence(db, logs, casesOfTwice)).isEmpty();
        assertThat(new HashSet<>(taskMessages)).as("every stored task on its queue")
                .isEqualTo(new HashSet<>(db.queryForList("select task_id from task", String.class)));
        List<String> twoLeads = db.queryForList("select case_id from task where role = 'lead' "
                + "group by case_id, round having count(*) > 1", String.class);
        assertThat(twoLeads).as("cases with two leads: %s", evidence(db, logs, twoLeads)).isEmpty();
        int leads = db.queryForObject("select count(distinct case_id) from task where role = 'lead'", Integer.class);
        assertThat(leads + triaged.size()).as("each order placed once: a lead task or a triage entry")
                .isEqualTo(orders + probes);
    }

    /** What a failed run leaves for its reader: the cases' tasks and events, and the hub logs kept in target/. */
    private static String evidence(JdbcTemplate db, Path logs, List<String> caseIds) {
        if (caseIds.isEmpty()) return "";
        StringBuilder out = new StringBuilder();
        for (String caseId : caseIds) {
            out.append("\n").append(caseId).append(" tasks ").append(db.queryForList(
                    "select task_id, org_code, role, round, status, queued_at, created_at from task where case_id = ?", caseId));
            out.append("\n").append(caseId).append(" events ").append(db.queryForList(
                    "select type, actor, detail, at from case_event where case_id = ? order by id", caseId));
        }
        if (logs == null) return out.toString();
        try {
            Path kept = Path.of("target", "hand-over-audit-logs");
            Files.createDirectories(kept);
            try (var files = Files.list(logs)) {
                for (Path log : files.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                    Files.copy(log, kept.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            out.append("\nhub logs kept in ").append(kept.toAbsolutePath());
        } catch (IOException e) {
            out.append("\nhub logs not kept: ").append(e);
        }
        return out.toString();
    }
}
