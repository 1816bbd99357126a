package appealhub.connectors.grid;

import appealhub.organization.OrganizationRegistry;
import appealhub.model.Appeal;
import appealhub.model.Ids;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Grid worker's report (网格员上报) → the hub's appeal model. The grid code names the
 * township exactly (JZ-&lt;township no.&gt;-&lt;grid no.&gt;); severity 3 makes the case urgent.
 * Throws {@link BadReport} saying what is wrong (that text becomes the dead letter's reason).
 */
@Component
public class GridReportMapper {
    public static final String CHANNEL = "grid";
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    static final Set<String> EVENT_TYPES = Set.of("矛盾纠纷", "安全隐患", "社情民意", "求助");
    private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern GRID_CODE = Pattern.compile("JZ-(\\d{2})-(\\d{1,6})");

    /** A report the hub cannot take in; the message is the reason operations see. */
    public static class BadReport extends RuntimeException {
        public BadReport(String message) {
            super(message);
        }
    }

    private final OrganizationRegistry registry;

    public GridReportMapper(OrganizationRegistry registry) {
        this.registry = registry;
    }

    public Appeal toAppeal(JsonNode report, long rawItemId, Instant receivedAt) {
        if (report == null || !report.isObject()) throw new BadReport("report must be a JSON object");
        String eventId = required(report, "eventId");
        if (!EVENT_ID.matcher(eventId).matches()) throw new BadReport("eventId has an invalid format");
        String gridCode = required(report, "gridCode");
        OrganizationRegistry.Township township = township(gridCode);
        String description = required(report, "description");
        Instant reportedAt = time(report, "reportedAt");
        int severity = severity(report);
        // eventType and severity: the spec lists their values, so any other value is a bad report.
        String eventType = required(report, "eventType");
        if (!EVENT_TYPES.contains(eventType)) throw new BadReport("eventType must be one of 矛盾纠纷, 安全隐患, 社情民意, 求助");
        Double lat = number(report, "lat");
        Double lon = number(report, "lon");
        String reporterId = text(report, "reporterId");
        String reporterName = text(report, "reporterName");

        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("eventType", eventType);
        fields.put("severity", String.valueOf(severity));
        fields.put("gridCode", gridCode);
        if (reporterId != null) fields.put("reporterId", reporterId);

        String district = registry.district() == null ? null : registry.district().name();
        return new Appeal(null, null,
                List.of(new Appeal.Source(CHANNEL, eventId, receivedAt, rawItemId)),
                // The person to call back is the grid worker who reported it, not a citizen's phone.
                new Appeal.Citizen(reporterName, null, reporterName == null || reporterName.isBlank()),
                eventType + "：" + abbreviate(description),
                description, reportedAt, receivedAt,
                new Appeal.Location((district == null ? "" : district) + township.name(), district, township.code(),
                        null, lat, lon, gridCode),
                eventType, null, severity == 3, List.of(), fields);
    }

    /** JZ-&lt;township no.&gt;-&lt;grid no.&gt; → the registry's township with that number. */
    public OrganizationRegistry.Township township(String gridCode) {
        Matcher m = GRID_CODE.matcher(gridCode);
        if (!m.matches()) throw new BadReport("gridCode must be JZ-<township no.>-<grid no.>, got " + clip(gridCode));
        Optional<OrganizationRegistry.Township> t = registry.townships().stream()
                .filter(x -> m.group(1).equals(x.no())).findFirst();
        return t.orElseThrow(() -> new BadReport("gridCode " + gridCode + ": unknown township number " + m.group(1)));
    }

    static String required(JsonNode node, String field) {
        String v = text(node, field);
        if (v == null || v.isBlank()) throw new BadReport(field + " is required");
        return v.trim();
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isValueNode()) throw new BadReport(field + " must be a string");
        return v.asText();
    }

    private static Instant time(JsonNode node, String field) {
        String v = required(node, field);
        try {
            return LocalDateTime.parse(v, TIME).atZone(Ids.BEIJING).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadReport(field + " must be yyyy-MM-dd HH:mm:ss");
        }
    }

    private static int severity(JsonNode node) {
        JsonNode v = node.get("severity");
        if (v == null || v.isNull()) throw new BadReport("severity is required");
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1 || v.asInt() > 3) {
            throw new BadReport("severity must be 1, 2 or 3");
        }
        return v.asInt();
    }

    private static Double number(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isNumber()) throw new BadReport(field + " must be a number");
        return v.asDouble();
    }

    private static String abbreviate(String s) {
        return s.length() <= 30 ? s : s.substring(0, 30) + "…";
    }

    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
