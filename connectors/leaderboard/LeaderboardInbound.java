package appealhub.connectors.leaderboard;

import appealhub.organization.OrganizationRegistry;
import appealhub.connectors.leaderboard.LeaderboardMapper.MalformedMessage;
import appealhub.intake.IntakeGuard;
import appealhub.intake.IntakeService;
import appealhub.model.Appeal;
import appealhub.store.RawItemStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One message from a pulled page: stored raw first, then checked, mapped and taken in.
 * A malformed message is kept as INVALID with the reason (once, however often it comes again).
 */
@Component
public class LeaderboardInbound {
    private static final Logger log = LoggerFactory.getLogger(LeaderboardInbound.class);
    private static final String CHANNEL = LeaderboardMapper.CHANNEL;

    private final RawItemStore raw;
    private final IntakeService intake;
    private final OrganizationRegistry registry;
    private final ObjectMapper json;
    private final Clock clock;

    public LeaderboardInbound(RawItemStore raw, IntakeService intake, OrganizationRegistry registry, ObjectMapper json,
                              Clock clock) {
        this.raw = raw;
        this.intake = intake;
        this.registry = registry;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Takes one message in; returns when it is durable (new or recognised).
     *
     * @throws MalformedMessage the message cannot be taken (its raw item is kept as INVALID)
     */
    public IntakeService.Result take(JsonNode message) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(message);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        String tid = message != null && message.hasNonNull("tid") && message.get("tid").isValueNode()
                ? message.get("tid").asText() : null;
        if (tid != null && alreadyRejected(tid, body)) throw new MalformedMessage("already rejected before");
        long rawId = raw.store(CHANNEL, "message", "application/json", body);
        try {
            Appeal appeal = LeaderboardMapper.toAppeal(message, rawId, clock.instant(), registry);
            // Too long for the store (the area, as address) or refused by it: INVALID, and the cursor moves past
            // it, instead of the page failing and being pulled again forever.
            return IntakeGuard.take(intake, appeal, MalformedMessage::new);
        } catch (MalformedMessage e) {
            raw.mark(rawId, RawItemStore.Status.INVALID, tid, null, e.getMessage());
            log.warn("leaderboard message rejected as malformed (raw item {}): {}", rawId, e.getMessage());
            throw e;
        }
    }

    /** A page the hub cannot read at all (not JSON, no messages array): kept for operations. */
    public void keepUnreadablePage(byte[] body, String contentType, String why) {
        long rawId = raw.store(CHANNEL, "page", contentType, body == null ? new byte[0] : body);
        raw.mark(rawId, RawItemStore.Status.INVALID, null, null, why);
        log.warn("leaderboard page kept as raw item {} and not processed: {}", rawId, why);
    }

    private boolean alreadyRejected(String tid, byte[] body) {
        return raw.bySource(CHANNEL, tid).stream()
                .anyMatch(r -> "INVALID".equals(r.status()) && Arrays.equals(r.body(), body));
    }
}
