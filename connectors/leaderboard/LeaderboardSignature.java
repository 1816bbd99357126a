package appealhub.connectors.leaderboard;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The boards' request signature: {@code Authorization: HMAC <appId>:<signature>}, signature =
 * Base64 of HMAC-SHA1 (key: secret, UTF-8) over
 * {@code METHOD + "\n" + path + "\n" + sortedQueryString + "\n" + Date}, with {@code Date} the
 * RFC 1123 GMT date sent in the header of the same name.
 */
public final class LeaderboardSignature {
    /** IMF-fixdate (RFC 7231 / RFC 1123): "Tue, 09 Apr 2024 08:00:00 GMT", always two-digit day, English names. */
    public static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private LeaderboardSignature() {}

    public static String httpDate(Instant at) {
        return HTTP_DATE.format(at);
    }

    /** Query parameters sorted by name, {@code k=v} joined with {@code &}; empty when none. Values as sent. */
    public static String sortedQuery(Map<String, String> params) {
        if (params == null || params.isEmpty()) return "";
        return new TreeMap<>(params).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&"));
    }

    /** The same, from a raw query string ("b=2&a=1" → "a=1&b=2"); used by the mock board to check calls. */
    public static String sortedQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) return "";
        TreeMap<String, String> params = new TreeMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            params.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
        }
        return sortedQuery(params);
    }

    public static String stringToSign(String method, String path, String sortedQuery, String date) {
        return method.toUpperCase(Locale.ROOT) + "\n" + path + "\n" + sortedQuery + "\n" + date;
    }

    public static String sign(String secret, String method, String path, String sortedQuery, String date) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            byte[] digest = mac.doFinal(stringToSign(method, path, sortedQuery, date).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA1 unavailable", e);
        }
    }

    public static String authorization(String appId, String secret, String method, String path, String sortedQuery,
                                       String date) {
        return "HMAC " + appId + ":" + sign(secret, method, path, sortedQuery, date);
    }

    /** Constant-time check of a whole Authorization header; a missing one never matches. */
    public static boolean verify(String appId, String secret, String method, String path, String sortedQuery,
                                 String date, String authorization) {
        if (authorization == null || date == null) return false;
        byte[] expected = authorization(appId, secret, method, path, sortedQuery, date).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, authorization.trim().getBytes(StandardCharsets.UTF_8));
    }
}
