package appealhub.push;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * A channel's push endpoint as the guard sees it: which channel and raw-item kind, which content
 * types it takes, how the channel wants a refusal answered (its own error body, from
 * /work/shared/upstream/&lt;channel&gt;.md), and what identifies one source for the rate limit.
 * Each connector declares its own as a bean ({@code connectors/<channel>/*Routes.java}), so the
 * guard knows only the endpoints of the channels that are enabled.
 *
 * @param rateSourceParameter a query parameter naming the source for the rate limit (WeChat's
 *                            {@code openid}: all of WeChat comes from WeChat's servers), or null for
 *                            the remote address
 */
public record PushEndpoint(String path, String channel, String kind, List<String> contentTypes, RefusalFormat format,
                           String rateSourceParameter) {

    public PushEndpoint(String path, String channel, String kind, List<String> contentTypes, RefusalFormat format) {
        this(path, channel, kind, contentTypes, format, null);
    }

    /** Any other path under /api: the general limits, a plain JSON error. */
    static PushEndpoint unknown(String path) {
        return new PushEndpoint(path, "unknown", "push", List.of(), RefusalFormat.JSON_ERROR);
    }

    static String normalize(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** No content type said is let through (the connector reads the body as its channel's type). */
    boolean accepts(String contentType) {
        if (contentTypes.isEmpty() || contentType == null || contentType.isBlank()) return true;
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        for (String t : contentTypes) {
            if (type.equals(t)) return true;
            // application/problem+json and the like are JSON too, application/atom+xml XML
            if (t.equals("application/json") && type.startsWith("application/") && type.endsWith("+json")) return true;
            if (t.equals("application/xml") && type.startsWith("application/") && type.endsWith("+xml")) return true;
        }
        return false;
    }

    /** What a refusal is: too large (413), wrong content type (415), too many requests (429). */
    public enum Refusal {
        TOO_LARGE(413), WRONG_CONTENT_TYPE(415), TOO_MANY(429);

        public final int status;

        Refusal(int status) {
            this.status = status;
        }
    }

    /** A refusal's answer: HTTP status, content type and body. */
    public record Answer(int status, String contentType, byte[] body) {

        public static Answer json(int status, String body) {
            return new Answer(status, "application/json;charset=UTF-8", body.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A channel's own way of saying no. */
    @FunctionalInterface
    public interface RefusalFormat {
        /** {"error": "..."}: the mini-program's error body (miniprogram.md), and any path no channel declares. */
        RefusalFormat JSON_ERROR = (refusal, message) -> Answer.json(refusal.status, "{\"error\":" + quote(message) + "}");

        Answer answer(Refusal refusal, String message);

        /** A JSON string of our own messages (ASCII text with numbers; quotes and backslashes escaped anyway). */
        static String quote(String s) {
            StringBuilder b = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                if (c == '"' || c == '\\') b.append('\\').append(c);
                else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                else b.append(c);
            }
            return b.append('"').toString();
        }
    }
}
