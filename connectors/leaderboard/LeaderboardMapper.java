package appealhub.connectors.leaderboard;

import appealhub.organization.OrganizationRegistry;
import appealhub.model.Appeal;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A board message → the hub's appeal model. Throws {@link MalformedMessage} saying what is wrong.
 * <ul>
 *   <li>{@code tid} → the source item id (de-duplication key with channel leaderboard);</li>
 *   <li>{@code title}, {@code content} (HTML) → clean text; an empty title becomes the start of the content;</li>
 *   <li>{@code createTime} (epoch ms) → occurredAt;</li>
 *   <li>{@code area} ("河北省/衡水市/冀州区[/镇]") → location: address (the levels joined), district (the
 *       county level), and the township code when a level names one of the district's townships exactly;</li>
 *   <li>{@code nickName} is a board pseudonym, not a name: the citizen has no name, and is anonymous
 *       unless {@code phone} is given;</li>
 *   <li>{@code typeName} → channelType; {@code forumName}, {@code domainName}, {@code typeName} → channelFields;</li>
 *   <li>{@code attachments} (URLs) → attachments.</li>
 * </ul>
 */
public final class LeaderboardMapper {
    public static final String CHANNEL = "leaderboard";
    private static final Pattern TID = Pattern.compile("[0-9]{1,19}");
    private static final int TITLE_MAX = 200;

    /** A message the hub cannot take; the message says what is wrong (kept on the raw item). */
    public static class MalformedMessage extends RuntimeException {
        public MalformedMessage(String message) {
            super(message);
        }
    }

    private LeaderboardMapper() {}

    public static Appeal toAppeal(JsonNode message, long rawItemId, Instant receivedAt, OrganizationRegistry registry) {
        if (message == null || !message.isObject()) throw new MalformedMessage("message must be a JSON object");
        String tid = tid(message);
        String content = LeaderboardHtml.toText(text(message, "content"));
        if (content == null || content.isBlank()) throw new MalformedMessage("content is required (and must not be empty once HTML is removed)");
        Instant createTime = createTime(message);
        String title = LeaderboardHtml.toLine(text(message, "title"));
        if (title == null || title.isBlank()) title = abbreviate(content.replace('\n', ' '), 30);
        else title = abbreviate(title, TITLE_MAX);
        String phone = text(message, "phone");
        phone = phone == null || phone.isBlank() ? null : phone.trim();
        String area = text(message, "area");

        List<Appeal.Attachment> attachments = new ArrayList<>();
        JsonNode files = message.get("attachments");
        if (files != null && !files.isNull()) {
            if (!files.isArray()) throw new MalformedMessage("attachments must be an array of URLs");
            for (JsonNode f : files) {
                if (!f.isTextual() || f.asText().isBlank()) throw new MalformedMessage("attachments must be an array of URLs");
                String url = f.asText().trim();
                attachments.add(new Appeal.Attachment(fileName(url), url));
            }
        }
        // typeName: the spec shows 投诉 as an example and lists no set of values, so any value is tolerated
        // (kept as the channel type, a hint only). Same for forumName and domainName.
        String typeName = text(message, "typeName");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("forumName", text(message, "forumName"));
        fields.put("domainName", text(message, "domainName"));
        fields.put("typeName", typeName);
        fields.put("area", area);
        fields.values().removeIf(v -> v == null || v.isBlank());

        return new Appeal(null, null,
                List.of(new Appeal.Source(CHANNEL, tid, receivedAt, rawItemId)),
                new Appeal.Citizen(null, phone, phone == null),
                title, content, createTime, receivedAt,
                location(area, registry),
                typeName == null || typeName.isBlank() ? null : typeName, null, false, attachments, fields);
    }

    static String tid(JsonNode message) {
        JsonNode v = message.get("tid");
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) throw new MalformedMessage("tid is required");
        String tid = v.isIntegralNumber() ? v.asText() : v.isTextual() ? v.asText().trim() : null;
        if (tid == null || !TID.matcher(tid).matches()) throw new MalformedMessage("tid must be a positive integer");
        return tid;
    }

    private static Instant createTime(JsonNode message) {
        JsonNode v = message.get("createTime");
        if (v == null || v.isNull()) throw new MalformedMessage("createTime is required");
        long ms;
        if (v.isIntegralNumber()) {
            ms = v.asLong();
        } else if (v.isTextual() && v.asText().trim().matches("[0-9]{1,15}")) {
            ms = Long.parseLong(v.asText().trim());
        } else {
            throw new MalformedMessage("createTime must be epoch milliseconds");
        }
        // Epoch seconds by mistake would read as January 1970: refuse rather than date the appeal wrongly.
        if (ms < 946_684_800_000L) throw new MalformedMessage("createTime must be epoch milliseconds (after 2000)");
        return Instant.ofEpochMilli(ms);
    }

    private static Appeal.Location location(String area, OrganizationRegistry registry) {
        if (area == null || area.isBlank()) return null;
        List<String> levels = Arrays.stream(area.split("[/|>,，\\s]+")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        String district = levels.stream().filter(l -> l.endsWith("区") || l.endsWith("县")).findFirst()
                .orElse(levels.size() >= 3 ? levels.get(2) : null);
        String townshipCode = null;
        if (registry != null && district != null && district.equals(registry.district().name())) {
            for (String level : levels) {
                for (OrganizationRegistry.Township t : registry.townships()) {
                    if (t.name().equals(level)) townshipCode = t.code();
                }
            }
        }
        return new Appeal.Location(String.join("", levels), district, townshipCode, null, null, null, null);
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isValueNode()) throw new MalformedMessage(field + " must be a string");
        return v.asText();
    }

    private static String fileName(String url) {
        String path = url.replaceAll("[?#].*$", "");
        int slash = path.lastIndexOf('/');
        String name = slash < 0 ? path : path.substring(slash + 1);
        return name.isBlank() ? url : name;
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
