package appealhub.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.model.Appeal;
import appealhub.model.CaseStatus;
import appealhub.model.TaskRole;
import appealhub.model.TaskStatus;
import appealhub.organization.OrganizationRegistry;
import appealhub.store.CaseStore;
import appealhub.store.TaskStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who gets the numbers inside an appeal's title and content: the lead of a named appeal only. */
class TaskMessagesMaskingTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TITLE = "请回电13912345678";
    static final String CONTENT = "家里座机0318-8621234，手机 139 1234 5678，身份证130181198805061234。";

    final TaskMessages messages;

    TaskMessagesMaskingTest() throws Exception {
        messages = new TaskMessages(JSON, new OrganizationRegistry("config/organizations.yaml"));
    }

    @Test
    void theLeadOfANamedAppealGetsTheTextAsSent() throws Exception {
        JsonNode task = task(TaskRole.LEAD, false);
        assertThat(task.path("appeal").path("title").asText()).isEqualTo(TITLE);
        assertThat(task.path("appeal").path("content").asText()).isEqualTo(CONTENT);
        assertThat(task.path("appeal").path("citizen").path("phone").asText()).isEqualTo("13800001111");
    }

    @Test
    void aCoDepartmentGetsTheNumbersMasked() throws Exception {
        JsonNode task = task(TaskRole.CO, false);
        assertThat(task.path("appeal").path("title").asText()).isEqualTo("请回电139****5678");
        assertThat(task.path("appeal").path("content").asText())
                .isEqualTo("家里座机0318-****34，手机 139****5678，身份证130181********1234。");
        assertThat(task.path("appeal").path("citizen").has("phone")).isFalse();
        assertThat(task.toString()).doesNotContain("13912345678", "8621234", "1234 5678", "198805061234", "13800001111");
    }

    @Test
    void everyDepartmentOfAnAnonymousAppealGetsTheNumbersMasked() throws Exception {
        for (TaskRole role : TaskRole.values()) {
            JsonNode task = task(role, true);
            assertThat(task.path("appeal").path("citizen").path("anonymous").asBoolean()).isTrue();
            assertThat(task.toString()).as(role.name()).doesNotContain("13912345678", "8621234", "198805061234");
        }
    }

    @Test
    void theTriageMessageCarriesTheTitleMasked() {
        CaseStore.CaseRecord c = caseRecord();
        String triage = messages.triage(c, List.of(appeal(false)), null, "low confidence");
        assertThat(triage).contains("请回电139****5678").doesNotContain("13912345678");
    }

    private JsonNode task(TaskRole role, boolean anonymous) throws Exception {
        TaskStore.TaskRecord t = new TaskStore.TaskRecord("TK1", "CS1", "D16", "dept.D16.tasks", role, 1,
                TaskStatus.values()[0], Instant.parse("2025-04-10T00:00:00Z"), Instant.parse("2025-04-09T00:00:00Z"));
        return JSON.readTree(messages.task(t, caseRecord(), List.of(appeal(anonymous))));
    }

    private static CaseStore.CaseRecord caseRecord() {
        return new CaseStore.CaseRecord("CS1", CaseStatus.values()[0], "urban", "市容", "D16", List.of("D08"), "T01",
                "normal", "general", null, 1, Instant.parse("2025-04-09T00:00:00Z"), Instant.parse("2025-04-09T00:00:00Z"),
                null, 1, false, 4);
    }

    private static Appeal appeal(boolean anonymous) {
        return new Appeal("AP1", "CS1", List.of(new Appeal.Source("hotline12345", "GD1", Instant.parse("2025-04-09T00:00:00Z"), 1L)),
                new Appeal.Citizen("王建国", anonymous ? null : "13800001111", anonymous), TITLE, CONTENT,
                Instant.parse("2025-04-09T00:00:00Z"), Instant.parse("2025-04-09T00:00:00Z"), null, "投诉", null, false,
                List.of(), Map.of());
    }
}
