package appealhub.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import appealhub.organization.OrganizationRegistry;
import appealhub.connectors.grid.GridReportMapper;
import appealhub.model.Appeal;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Grid report → appeal, against the real organisation registry (config/organizations.yaml). */
class GridReportMapperTest {
    static final GridReportMapper MAPPER;

    static {
        try {
            MAPPER = new GridReportMapper(new OrganizationRegistry("config/organizations.yaml"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode node(Map<String, Object> report) {
        return GridApp.JSON.valueToTree(report);
    }

    @Test
    void theSpecsExampleMapsToAnAppealOfTownshipT03() throws Exception {
        JsonNode example = GridApp.JSON.readTree("""
                {"eventId": "EV-2025-000981", "gridCode": "JZ-03-017", "reporterId": "W0317", "reporterName": "王某",
                 "eventType": "矛盾纠纷", "description": "前屯村两户因宅基地边界发生争执，情绪激动",
                 "reportedAt": "2025-04-09 10:05:00", "lat": 37.52, "lon": 115.49, "severity": 2}""");
        Instant now = Instant.parse("2025-04-09T02:06:00Z");
        Appeal a = MAPPER.toAppeal(example, 42L, now);
        assertThat(a.firstSource()).isEqualTo(new Appeal.Source("grid", "EV-2025-000981", now, 42L));
        assertThat(a.occurredAt()).isEqualTo(Instant.parse("2025-04-09T02:05:00Z")); // Beijing 10:05
        assertThat(a.location().townshipCode()).isEqualTo("T03");
        assertThat(a.location().gridCode()).isEqualTo("JZ-03-017");
        assertThat(a.location().lat()).isEqualTo(37.52);
        assertThat(a.location().lon()).isEqualTo(115.49);
        assertThat(a.location().district()).isEqualTo("冀州区");
        assertThat(a.content()).isEqualTo("前屯村两户因宅基地边界发生争执，情绪激动");
        assertThat(a.title()).startsWith("矛盾纠纷：");
        assertThat(a.channelType()).isEqualTo("矛盾纠纷");
        assertThat(a.urgentHint()).isFalse();
        assertThat(a.channelFields()).containsEntry("eventType", "矛盾纠纷").containsEntry("severity", "2")
                .containsEntry("gridCode", "JZ-03-017").containsEntry("reporterId", "W0317");
        assertThat(a.citizen().name()).isEqualTo("王某");
        assertThat(a.citizen().phone()).isNull();
    }

    @ParameterizedTest
    @CsvSource({"JZ-01-001,T01", "JZ-02-120,T02", "JZ-05-7,T05", "JZ-09-004,T09", "JZ-10-031,T10"})
    void everyTownshipNumberGivesItsTownship(String gridCode, String township) {
        Appeal a = MAPPER.toAppeal(node(GridApp.report("EV-1", gridCode, "求助", "需要帮助", 1)), 1L, Instant.now());
        assertThat(a.location().townshipCode()).isEqualTo(township);
    }

    @Test
    void severityThreeIsUrgent() {
        Appeal a = MAPPER.toAppeal(node(GridApp.report("EV-1", "JZ-06-001", "安全隐患", "墙体开裂", 3)), 1L, Instant.now());
        assertThat(a.urgentHint()).isTrue();
        assertThat(a.channelFields()).containsEntry("severity", "3");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "gridCode|JZ-00-001|gridCode JZ-00-001: unknown township number 00",
            "gridCode|JZ-11-001|gridCode JZ-11-001: unknown township number 11",
            "gridCode|JZ-3-017|gridCode must be JZ-<township no.>-<grid no.>, got JZ-3-017",
            "gridCode|HS-03-017|gridCode must be JZ-<township no.>-<grid no.>, got HS-03-017",
            "eventType|投诉|eventType must be one of 矛盾纠纷, 安全隐患, 社情民意, 求助",
            "reportedAt|2025-04-09T10:05:00|reportedAt must be yyyy-MM-dd HH:mm:ss",
            "eventId|EV 1|eventId has an invalid format",
            "description| |description is required"})
    void invalidFieldsSayWhatIsWrong(String field, String value, String reason) {
        var report = GridApp.with(GridApp.report("EV-1", "JZ-03-017", "矛盾纠纷", "x", 1), field, value == null ? "" : value);
        assertThatThrownBy(() -> MAPPER.toAppeal(node(report), 1L, Instant.now()))
                .isInstanceOf(GridReportMapper.BadReport.class).hasMessage(reason);
    }

    @Test
    void severityMustBeTheNumber1To3() {
        var report = GridApp.report("EV-1", "JZ-03-017", "矛盾纠纷", "x", 1);
        for (Object bad : new Object[] {0, 4, "2", 2.5}) {
            assertThatThrownBy(() -> MAPPER.toAppeal(node(GridApp.with(report, "severity", bad)), 1L, Instant.now()))
                    .as(String.valueOf(bad)).hasMessage("severity must be 1, 2 or 3");
        }
        assertThatThrownBy(() -> MAPPER.toAppeal(node(GridApp.with(report, "severity", null)), 1L, Instant.now()))
                .hasMessage("severity is required");
        assertThatThrownBy(() -> MAPPER.toAppeal(node(GridApp.with(report, "lat", "北纬37度")), 1L, Instant.now()))
                .hasMessage("lat must be a number");
    }
}
