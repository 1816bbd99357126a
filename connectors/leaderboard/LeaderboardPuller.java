package appealhub.connectors.leaderboard;

import appealhub.connectors.leaderboard.LeaderboardMapper.MalformedMessage;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Incremental pull: {@code GET /open/messages?since=<cursor>&limit=N} (no since on the very
 * first call), page after page while pages come back full. Every message of a page is stored
 * raw and taken in first; only then is the page's nextCursor saved, so a restart resumes from
 * the last page fully processed. Anything else stops the page loop and keeps the cursor:
 * HTTP 200 with result "error", 403 (signature: credentials or clock), 429 (no call until
 * Retry-After has passed), 5xx / time-out / open circuit, an unreadable page, a failed intake.
 */
@Component
public class LeaderboardPuller {
    private static final Logger log = LoggerFactory.getLogger(LeaderboardPuller.class);
    static final String MESSAGES_PATH = "/open/messages";

    /** What one poll did. stoppedBy: null when it ran until the board had nothing more. */
    public record PollResult(int pages, int received, int taken, int rejected, String stoppedBy) {}

    private final LeaderboardClient client;
    private final LeaderboardInbound inbound;
    private final LeaderboardCursorStore cursors;
    private final LeaderboardProperties props;

    public LeaderboardPuller(LeaderboardClient client, LeaderboardInbound inbound, LeaderboardCursorStore cursors,
                             LeaderboardProperties props) {
        this.client = client;
        this.inbound = inbound;
        this.cursors = cursors;
        this.props = props;
    }

    public synchronized PollResult poll() {
        if (client.blockedUntil() != null) {
            log.debug("leaderboard poll skipped: rate-limited until {}", client.blockedUntil());
            return new PollResult(0, 0, 0, 0, "rate-limited");
        }
        int limit = props.pull().limit();
        int maxPages = Math.max(1, props.pull().maxPages());
        Optional<String> cursor = cursors.load();
        int pages = 0, received = 0, taken = 0, rejected = 0;
        String stoppedBy = null;
        try {
            while (true) {
                if (pages >= maxPages) {
                    stoppedBy = "max-pages"; // the rest comes on the next poll, from the saved cursor
                    break;
                }
                Map<String, String> query = new LinkedHashMap<>();
                cursor.ifPresent(c -> query.put("since", c));
                query.put("limit", Integer.toString(limit));
                LeaderboardClient.Response r = client.call("GET", MESSAGES_PATH, query, null);
                pages++;
                stoppedBy = problem(r);
                if (stoppedBy != null) break;
                JsonNode messages = r.body().get("messages");
                if (messages == null || !messages.isArray()) {
                    inbound.keepUnreadablePage(r.rawBody(), "application/json", "page without a messages array");
                    stoppedBy = "unreadable page";
                    break;
                }
                int pageTaken = 0;
                for (JsonNode message : messages) {
                    received++;
                    try {
                        inbound.take(message);
                        pageTaken++;
                    } catch (MalformedMessage e) {
                        rejected++; // kept raw as INVALID for operations; the cursor moves past it
                    }
                }
                taken += pageTaken;
                // Every message of the page is durable now (taken in, or kept as INVALID): the cursor may move.
                String next = r.body().hasNonNull("nextCursor") ? r.body().get("nextCursor").asText().trim() : "";
                boolean moved = !next.isEmpty() && !cursor.map(next::equals).orElse(false);
                if (moved) {
                    cursors.save(next, pageTaken);
                    cursor = Optional.of(next);
                } else if (!messages.isEmpty()) {
                    log.warn("leaderboard page of {} messages came without a new nextCursor: it will be asked for again",
                            messages.size());
                }
                if (!moved || messages.size() < limit) break; // caught up
            }
        } catch (LeaderboardClient.RateLimited e) {
            stoppedBy = "rate-limited";
        } catch (LeaderboardClient.Unavailable e) {
            stoppedBy = "unavailable";
            log.warn("leaderboard pull interrupted: {}", e.getMessage());
        } catch (RuntimeException e) {
            // Intake failed (store or broker down): the page's cursor was not saved, the page comes again.
            stoppedBy = "intake failed";
            log.error("leaderboard pull stopped, cursor kept: {}", e.toString());
        }
        if (received > 0 || stoppedBy != null) {
            log.info("leaderboard pull: {} page(s), {} messages received, {} taken in, {} rejected{}", pages, received,
                    taken, rejected, stoppedBy == null ? "" : "; stopped: " + stoppedBy);
        }
        return new PollResult(pages, received, taken, rejected, stoppedBy);
    }

    /** Why a page answer cannot be used (logged here), or null when it is a good page. */
    private String problem(LeaderboardClient.Response r) {
        if (r.status() == 429) return "rate-limited"; // the client logged it and holds every call until Retry-After
        if (r.status() == 403) return "signature refused (403)"; // the client logged it: credentials or clock
        if (r.status() == 200 && r.body() == null) {
            inbound.keepUnreadablePage(r.rawBody(), "application/json", "page is not JSON");
            return "unreadable page";
        }
        if (r.status() == 200 && "error".equals(r.result())) {
            log.warn("leaderboard answered an error to the pull: {}; cursor kept, asking again next poll", r.describe());
            return "error " + r.errorCode();
        }
        if (!r.ok()) {
            log.warn("leaderboard pull answered {}; cursor kept", r.describe());
            return r.describe();
        }
        return null;
    }
}
