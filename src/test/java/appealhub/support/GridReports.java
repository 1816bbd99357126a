package appealhub.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** A valid grid report as the grid app's backend publishes it on inbound.grid.reports. */
public final class GridReports {
    public static final String QUEUE = "inbound.grid.reports";
    public static final String FEEDBACK = "outbound.grid.feedback";
    private static final ObjectMapper JSON = new ObjectMapper();

    private GridReports() {
    }

    public static String report(String eventId) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("eventId", eventId);
        r.put("gridCode", "JZ-03-017");
        r.put("reporterId", "W0317");
        r.put("reporterName", "王某");
        r.put("eventType", "社情民意");
        r.put("description", "前屯村村道坑洼不平，雨后积水严重（" + eventId + "）。");
        r.put("reportedAt", ZonedDateTime.now(ZoneId.of("Asia/Shanghai")).minusMinutes(5)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")));
        r.put("lat", 37.52);
        r.put("lon", 115.49);
        r.put("severity", 1);
        try {
            return JSON.writeValueAsString(r);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
