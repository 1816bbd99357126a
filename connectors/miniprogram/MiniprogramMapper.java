package appealhub.connectors.miniprogram;

import appealhub.classify.TownshipLocator;
import appealhub.model.Appeal;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Mini-program report → the hub's appeal model. Checks what the spec requires and says what
 * is wrong ({@link MalformedReport}); finds the township of the map pin with the
 * {@link TownshipLocator}. The citizen's category is a hint only: kept in channelFields,
 * never the channel type (the classifier does not see it).
 */
public final class MiniprogramMapper {
    public static final String CHANNEL = "miniprogram";
    private static final Pattern REPORT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    /** The spec's list: category "is one of" these. Often the wrong one of them, never another value. */
    static final List<String> CATEGORIES = List.of("road", "environment", "water", "power", "heating", "safety",
            "dispute", "property", "wage", "other");

    /** A report the hub cannot take; the message becomes the 400 answer's error. */
    public static class MalformedReport extends RuntimeException {
        public MalformedReport(String message) {
            super(message);
        }
    }

    private final TownshipLocator locator;

    public MiniprogramMapper(TownshipLocator locator) {
        this.locator = locator;
    }

    public Appeal toAppeal(JsonNode report, long rawItemId, Instant receivedAt) {
        if (report == null || !report.isObject()) throw new MalformedReport("report must be a JSON object");
        String reportId = reportId(report);
        String description = required(report, "description");
        Instant submittedAt = submittedAt(report);
        Appeal.Location location = location(report.get("location"));
        List<Appeal.Attachment> images = images(report.get("images"));
        String category = category(report);
        String name = blankToNull(text(report, "userName"));
        String mobile = blankToNull(text(report, "mobile"));

        Map<String, String> fields = new LinkedHashMap<>();
        // The citizen's own pick, often wrong: a hint for people, not used for routing.
        if (category != null && !category.isBlank()) fields.put("category", category.trim());
        String openId = text(report, "openId");
        if (openId != null && !openId.isBlank()) fields.put("openId", openId.trim());
        if (location.lat() != null) fields.put("pin", pinNote(location.lat(), location.lon()));

        return new Appeal(null, null,
                List.of(new Appeal.Source(CHANNEL, reportId, receivedAt, rawItemId)),
                new Appeal.Citizen(name, mobile, name == null && mobile == null),
                abbreviate(description), description, submittedAt, receivedAt, location,
                null, null, false, images, fields);
    }

    /** The reportId of a body, if it has a usable one (to file a rejected raw item under it). */
    public static Optional<String> reportIdOf(JsonNode report) {
        try {
            return Optional.of(reportId(report));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String reportId(JsonNode report) {
        String id = required(report, "reportId");
        if (!REPORT_ID.matcher(id).matches()) {
            throw new MalformedReport("reportId has an invalid format (1 to 128 letters, digits, '.', '_', ':' or '-')");
        }
        return id;
    }

    /** Optional (the spec does not require it); when given, one of the spec's values, else the report is bad. */
    private static String category(JsonNode report) {
        String category = blankToNull(text(report, "category"));
        if (category != null && !CATEGORIES.contains(category)) {
            throw new MalformedReport("category must be one of " + String.join(", ", CATEGORIES));
        }
        return category;
    }

    private static Instant submittedAt(JsonNode report) {
        String v = required(report, "submittedAt");
        try {
            return OffsetDateTime.parse(v, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new MalformedReport("submittedAt must be ISO 8601 with an offset, e.g. 2025-04-09T09:12:33+08:00");
        }
    }

    private Appeal.Location location(JsonNode loc) {
        if (loc == null || loc.isNull()) throw new MalformedReport("location is required: lat and lng, or address");
        if (!loc.isObject()) throw new MalformedReport("location must be an object");
        Double lat = coordinate(loc, "lat");
        Double lng = coordinate(loc, "lng");
        if ((lat == null) != (lng == null)) throw new MalformedReport("location.lat and location.lng must be given together");
        if (lat != null && (lat < -90 || lat > 90)) throw new MalformedReport("location.lat must be between -90 and 90");
        if (lng != null && (lng < -180 || lng > 180)) throw new MalformedReport("location.lng must be between -180 and 180");
        String address = blankToNull(textIn(loc, "address", "location.address"));
        if (lat == null && address == null) throw new MalformedReport("location needs lat and lng, or an address");
        String township = lat == null ? null : locator.locate(lat, lng).map(TownshipLocator.Centroid::code).orElse(null);
        return new Appeal.Location(address, null, township, null, lat, lng, null);
    }

    private String pinNote(double lat, double lon) {
        TownshipLocator.Nearest n = locator.nearest(lat, lon);
        String km = String.format(Locale.ROOT, "%.1f km", n.distanceKm());
        return n.inside()
                ? n.township().code() + " " + n.township().name() + ", " + km + " from its centroid"
                : "outside the district (nearest " + n.township().code() + " at " + km + ")";
    }

    private static Double coordinate(JsonNode loc, String field) {
        JsonNode v = loc.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isNumber()) throw new MalformedReport("location." + field + " must be a number");
        double d = v.asDouble();
        if (Double.isNaN(d) || Double.isInfinite(d)) throw new MalformedReport("location." + field + " must be a number");
        return d;
    }

    private static List<Appeal.Attachment> images(JsonNode images) {
        List<Appeal.Attachment> out = new ArrayList<>();
        if (images == null || images.isNull()) return out;
        if (!images.isArray()) throw new MalformedReport("images must be an array of URLs");
        for (JsonNode image : images) {
            if (!image.isTextual() || image.asText().isBlank()) throw new MalformedReport("images must be an array of URLs");
            out.add(new Appeal.Attachment("图片" + (out.size() + 1), image.asText().trim()));
        }
        return out;
    }

    static String required(JsonNode node, String field) {
        String v = text(node, field);
        if (v == null || v.isBlank()) throw new MalformedReport(field + " is required");
        return v.trim();
    }

    static String text(JsonNode node, String field) {
        return textIn(node, field, field);
    }

    private static String textIn(JsonNode node, String field, String label) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isValueNode()) throw new MalformedReport(label + " must be a string");
        return v.asText();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String abbreviate(String s) {
        return s.length() <= 30 ? s : s.substring(0, 30) + "…";
    }
}
