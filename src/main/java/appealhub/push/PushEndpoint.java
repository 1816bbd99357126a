package appealhub.push;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;


/**
 * A channel's push endpoint as the guard sees it: which channel and raw-item kind, which content
 * types it takes, how the channel wants a refusal answered (its own error body, from
 * /work/shared/upstream/&lt;channel&gt;.md), and what identifies one source for the rate limit.
 */
record PushEndpoint(String path, String channel, String kind, List<String> contentTypes, Format format) {

    /** The hub's push endpoints (connectors/&lt;channel&gt;/*Routes.java). */
    static final List<PushEndpoint> ALL = List.of(
            new PushEndpoint("/api/hotline12345/workorders", "hotline12345", "workorder", List.of("application/json"),
                    Format.HOTLINE12345),
            new PushEndpoint("/api/hotline12345/evaluations", "hotline12345", "evaluation", List.of("application/json"),
                    Format.HOTLINE12345),
            new PushEndpoint("/api/miniprogram/reports", "miniprogram", "report", List.of("application/json"),
                    Format.MINIPROGRAM),
            // WeChat: its connector judges the XML; the guard caps size and rate, keeps a form or a file
            // upload away from Camel's binding, and answers "success" (never an error to WeChat)
            new PushEndpoint("/api/wechat", "wechat", "message", List.of("text/xml", "application/xml", "text/plain"),
                    Format.WECHAT));

    /** Any other path under /api: the general limits, a plain JSON error. */
    static PushEndpoint unknown(String path) {
        return new PushEndpoint(path, "unknown", "push", List.of(), Format.PLAIN);
    }

    static PushEndpoint of(String path) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        for (PushEndpoint e : ALL) if (e.path.equals(p)) return e;
        return unknown(path);
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
    enum Refusal {
        TOO_LARGE(413, 41300), WRONG_CONTENT_TYPE(415, 41500), TOO_MANY(429, 42900);

        final int status;
        final int code;

        Refusal(int status, int code) {
            this.status = status;
            this.code = code;
        }
    }

    /** A refusal's answer: HTTP status, content type and body. */
    record Answer(int status, String contentType, byte[] body) {}

    /** The channels' own ways of saying no. */
    enum Format {
        /** 12345: {"code": 4xx00, "msg": "..."}, like its 40001 and 40100 (hotline12345.md). */
        HOTLINE12345 {
            @Override
            Answer answer(Refusal refusal, String message) {
                return json(refusal.status, "{\"code\":" + refusal.code + ",\"msg\":" + quote(message) + "}");
            }
        },
        /** Mini-program: {"error": "..."} (miniprogram.md). */
        MINIPROGRAM {
            @Override
            Answer answer(Refusal refusal, String message) {
                return json(refusal.status, "{\"error\":" + quote(message) + "}");
            }
        },
        /**
         * WeChat: never an error (after three failed tries WeChat tells the follower the account cannot
         * serve): plain "success"; the item is kept (metadata and prefix) and handled inside the hub.
         */
        WECHAT {
            @Override
            Answer answer(Refusal refusal, String message) {
                return new Answer(200, "text/plain;charset=UTF-8", "success".getBytes(StandardCharsets.UTF_8));
            }
        },
        PLAIN {
            @Override
            Answer answer(Refusal refusal, String message) {
                return json(refusal.status, "{\"error\":" + quote(message) + "}");
            }
        };

        abstract Answer answer(Refusal refusal, String message);

        private static Answer json(int status, String body) {
            return new Answer(status, "application/json;charset=UTF-8", body.getBytes(StandardCharsets.UTF_8));
        }

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
