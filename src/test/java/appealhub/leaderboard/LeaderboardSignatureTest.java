package appealhub.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.connectors.leaderboard.LeaderboardSignature;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The board's signature, pinned to vectors computed outside Java:
 * <pre>
 * printf 'GET\n/open/messages\nlimit=100&since=1712649600000-5512873\nTue, 09 Apr 2024 08:00:00 GMT' \
 *   | openssl dgst -sha1 -hmac demo-leaderboard-secret -binary | base64
 * </pre>
 * and the mock board's check of it (403 for a wrong one).
 */
class LeaderboardSignatureTest {
    private static final String DATE = "Tue, 09 Apr 2024 08:00:00 GMT";

    @Test
    void signatureMatchesOpensslVectors() {
        assertThat(LeaderboardSignature.sign(LeaderboardBoard.SECRET, "GET", "/open/messages",
                "limit=100&since=1712649600000-5512873", DATE)).isEqualTo("TXL/2UWw/IWKZzd6GRI6+/Pke24=");
        // First pull: no since.
        assertThat(LeaderboardSignature.sign(LeaderboardBoard.SECRET, "GET", "/open/messages", "limit=100", DATE))
                .isEqualTo("i8O3mFgcrmYBj+e83KYqUAFsbc0=");
        // Feedback: no query, the empty line stays.
        assertThat(LeaderboardSignature.sign(LeaderboardBoard.SECRET, "POST", "/open/messages/5512873/reply", "", DATE))
                .isEqualTo("jYrle1dvwda0rbR8OUdyS+4hoOU=");
        assertThat(LeaderboardSignature.authorization("jizhou-hub", LeaderboardBoard.SECRET, "get", "/open/messages",
                "limit=100", DATE)).isEqualTo("HMAC jizhou-hub:i8O3mFgcrmYBj+e83KYqUAFsbc0=");
    }

    @Test
    void queryIsSortedByNameAndTheDateIsRfc1123Gmt() {
        Map<String, String> sent = new LinkedHashMap<>();
        sent.put("since", "1712649600000-5512873");
        sent.put("limit", "100");
        assertThat(LeaderboardSignature.sortedQuery(sent)).isEqualTo("limit=100&since=1712649600000-5512873");
        assertThat(LeaderboardSignature.sortedQuery("since=1712649600000-5512873&limit=100"))
                .isEqualTo("limit=100&since=1712649600000-5512873");
        assertThat(LeaderboardSignature.sortedQuery(Map.of())).isEmpty();
        assertThat(LeaderboardSignature.sortedQuery((String) null)).isEmpty();
        assertThat(LeaderboardSignature.httpDate(Instant.parse("2024-04-09T08:00:00Z"))).isEqualTo(DATE);
        assertThat(LeaderboardSignature.httpDate(Instant.parse("2024-12-01T23:05:09Z"))).isEqualTo("Sun, 01 Dec 2024 23:05:09 GMT");
    }

    @Test
    void theMockBoardAnswers403ToAWrongOrMissingSignatureOrAStaleDate() throws Exception {
        try (LeaderboardBoard board = new LeaderboardBoard()) {
            String date = LeaderboardSignature.httpDate(Instant.now());
            String good = LeaderboardSignature.authorization(LeaderboardBoard.APP_ID, LeaderboardBoard.SECRET, "GET",
                    "/open/messages", "limit=100", date);
            assertThat(get(board, "/open/messages?limit=100", date, good).status()).isEqualTo(200);

            String wrongKey = LeaderboardSignature.authorization(LeaderboardBoard.APP_ID, "not-the-secret", "GET",
                    "/open/messages", "limit=100", date);
            Answer wrong = get(board, "/open/messages?limit=100", date, wrongKey);
            assertThat(wrong.status()).isEqualTo(403);
            assertThat(wrong.body()).contains("SIGNATURE_INVALID");

            // Signed over another query than the one sent.
            assertThat(get(board, "/open/messages?limit=100&since=x", date, good).status()).isEqualTo(403);
            assertThat(get(board, "/open/messages?limit=100", date, null).status()).isEqualTo(403);
            assertThat(get(board, "/open/messages?limit=100", date, "Bearer something").status()).isEqualTo(403);

            String stale = LeaderboardSignature.httpDate(Instant.now().minus(Duration.ofMinutes(16)));
            Answer old = get(board, "/open/messages?limit=100", stale, LeaderboardSignature.authorization(
                    LeaderboardBoard.APP_ID, LeaderboardBoard.SECRET, "GET", "/open/messages", "limit=100", stale));
            assertThat(old.status()).isEqualTo(403);
            assertThat(old.body()).contains("DATE_EXPIRED");
        }
    }

    record Answer(int status, String body) {}

    /** HttpURLConnection: java.net.http.HttpClient does not let a caller set Date. */
    private static Answer get(LeaderboardBoard board, String pathAndQuery, String date, String authorization) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create(board.baseUrl() + pathAndQuery).toURL().openConnection();
        c.setRequestProperty("Date", date);
        if (authorization != null) c.setRequestProperty("Authorization", authorization);
        int status = c.getResponseCode();
        try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            return new Answer(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
