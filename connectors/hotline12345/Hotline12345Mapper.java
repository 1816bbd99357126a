package appealhub.connectors.hotline12345;

import appealhub.model.Appeal;
import appealhub.model.Ids;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** 12345 work order (工单) → the hub's appeal model. Throws {@link MalformedOrder} saying what is wrong. */
public final class Hotline12345Mapper {
    public static final String CHANNEL = "hotline12345";
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Pattern GDBH = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Set<String> SQLX = Set.of("01", "02", "03", "04", "05", "06");

    /** A work order the hub cannot take; the message becomes the 40001 answer's msg. */
    public static class MalformedOrder extends RuntimeException {
        public MalformedOrder(String message) {
            super(message);
        }
    }

    private Hotline12345Mapper() {}

    public static Appeal toAppeal(JsonNode order, long rawItemId, Instant receivedAt) {
        if (order == null || !order.isObject()) throw new MalformedOrder("work order must be a JSON object");
        String gdbh = required(order, "gdbh");
        if (!GDBH.matcher(gdbh).matches()) throw new MalformedOrder("gdbh has an invalid format");
        Instant ldsj = time(order, "ldsj", true);
        String sqnr = required(order, "sqnr");
        String sqbt = text(order, "sqbt");
        String sqlx = text(order, "sqlx");
        if (sqlx != null && !SQLX.contains(sqlx)) throw new MalformedOrder("sqlx must be one of 01..06");
        String sfnm = flag(order, "sfnm");
        String sfjj = flag(order, "sfjj");
        Instant blsx = time(order, "blsx", false);
        String name = text(order, "ldrxm");
        boolean anonymous = "1".equals(sfnm) || "匿名".equals(name);

        List<Appeal.Attachment> attachments = new ArrayList<>();
        JsonNode fj = order.get("fj");
        if (fj != null && !fj.isNull()) {
            if (!fj.isArray()) throw new MalformedOrder("fj must be an array");
            for (JsonNode a : fj) attachments.add(new Appeal.Attachment(text(a, "mc"), text(a, "url")));
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("sqlx", sqlx);
        fields.put("sfjj", sfjj);
        fields.put("ssqx", text(order, "ssqx"));
        fields.values().removeIf(v -> v == null);

        return new Appeal(null, null,
                List.of(new Appeal.Source(CHANNEL, gdbh, receivedAt, rawItemId)),
                new Appeal.Citizen(anonymous ? null : name, text(order, "lxdh"), anonymous),
                sqbt == null || sqbt.isBlank() ? abbreviate(sqnr) : sqbt,
                sqnr, ldsj, receivedAt,
                new Appeal.Location(text(order, "sqdz"), text(order, "ssqx"), null, null, null, null, null),
                sqlx, blsx, "1".equals(sfjj), attachments, fields);
    }

    static String required(JsonNode node, String field) {
        String v = text(node, field);
        if (v == null || v.isBlank()) throw new MalformedOrder(field + " is required");
        return v.trim();
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isValueNode()) throw new MalformedOrder(field + " must be a string");
        return v.asText();
    }

    private static String flag(JsonNode node, String field) {
        String v = text(node, field);
        if (v != null && !v.equals("0") && !v.equals("1")) throw new MalformedOrder(field + " must be \"0\" or \"1\"");
        return v;
    }

    static Instant time(JsonNode node, String field, boolean required) {
        String v = required ? required(node, field) : text(node, field);
        if (v == null || v.isBlank()) return null;
        try {
            return LocalDateTime.parse(v.trim(), TIME).atZone(Ids.BEIJING).toInstant();
        } catch (DateTimeParseException e) {
            throw new MalformedOrder(field + " must be yyyy-MM-dd HH:mm:ss");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 30 ? s : s.substring(0, 30) + "…";
    }
}
