package appealhub.connectors.leaderboard;

import appealhub.feedback.FeedbackPayload;
import appealhub.feedback.FeedbackSink;
import appealhub.model.Appeal;
import appealhub.store.CaseStore;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Feedback to the board, in order per message (the dispatcher sees to that):
 * ack → progress 已受理 (right after intake: boards expect it within 2 days); progress → 办理中;
 * result → the public reply {replyOrg, replyContent, replyTime}, stripped of phone and ID
 * numbers and of the citizens' names (refused for operations if it still looks personal);
 * return (退回) has no counterpart on a board: nothing is sent.
 * ALREADY_REPLIED is done; 429 waits for Retry-After; 403, 5xx, time-outs, an open circuit and
 * an HTTP-200 error answer with a transient code ({@link #TRANSIENT_CODES}: SYSTEM_BUSY, ...) are
 * tried again later with back-off; any other error answer is refused for operations.
 * Runs where the pull runs (lease {@link LeaderboardRoutes#LEADER_NAMESPACE}), so the board's
 * 10 requests/s hold for all hub instances together.
 */
@Component
public class LeaderboardFeedbackSink implements FeedbackSink {
    private static final Logger log = LoggerFactory.getLogger(LeaderboardFeedbackSink.class);
    static final String ALREADY_REPLIED = "ALREADY_REPLIED";
    /**
     * Error codes of an HTTP-200 {"result":"error"} answer that say "not now" rather than "never":
     * tried again with the dispatcher's back-off. The board's spec lists no codes beyond
     * ALREADY_REPLIED; these are the ones the boards answer for load and limits (SYSTEM_BUSY,
     * RATE_LIMITED, as 429's twin), time-outs and maintenance, and a signature refused inside a
     * 200 (the same credentials/clock matter as a 403, which is retried too). Anything else
     * (INVALID_PARAM, MESSAGE_NOT_FOUND, ...) will not change by itself: refused for operations.
     */
    static final Set<String> TRANSIENT_CODES = Set.of("SYSTEM_BUSY", "SERVER_BUSY", "BUSY", "RATE_LIMITED",
            "TOO_MANY_REQUESTS", "SYSTEM_ERROR", "INTERNAL_ERROR", "SERVICE_UNAVAILABLE", "TIMEOUT", "MAINTENANCE",
            "TRY_AGAIN_LATER", "SIGNATURE_INVALID");

    private final LeaderboardClient client;
    private final CaseStore cases;
    private final LeaderboardProperties props;

    public LeaderboardFeedbackSink(LeaderboardClient client, CaseStore cases, LeaderboardProperties props) {
        this.client = client;
        this.cases = cases;
        this.props = props;
    }

    @Override
    public String channel() {
        return LeaderboardMapper.CHANNEL;
    }

    @Override
    public boolean acknowledgesIntake() {
        return true;
    }

    @Override
    public Optional<String> leaderNamespace() {
        return Optional.of(LeaderboardRoutes.LEADER_NAMESPACE);
    }

    @Override
    public Outcome deliver(String tid, FeedbackPayload payload) {
        long time = (payload.at() == null ? Instant.now() : payload.at()).toEpochMilli();
        String path;
        Map<String, Object> body = new LinkedHashMap<>();
        switch (payload.kind()) {
            case "ack", "progress" -> {
                path = "/open/messages/" + tid + "/progress";
                body.put("status", "ack".equals(payload.kind()) ? "已受理" : "办理中");
                body.put("time", time);
            }
            case "result" -> {
                String text = LeaderboardPublicReply.strip(payload.text(), citizenNames(tid));
                String problem = LeaderboardPublicReply.problem(text);
                if (problem != null) {
                    return new Outcome.Refused("public reply not published: " + problem
                            + "; operations must edit it and reply on the board");
                }
                path = "/open/messages/" + tid + "/reply";
                body.put("replyOrg", payload.orgName() == null || payload.orgName().isBlank()
                        ? props.defaultReplyOrg() : payload.orgName());
                body.put("replyContent", text);
                body.put("replyTime", time);
            }
            case "return" -> {
                return new Outcome.Delivered("leaderboard has no return (退回): nothing sent to the board; "
                        + "the message stays unanswered there, operations decide whether to post a public reply");
            }
            default -> {
                return new Outcome.Refused("leaderboard has no feedback of kind " + payload.kind());
            }
        }
        LeaderboardClient.Response r;
        try {
            r = client.call("POST", path, null, body);
        } catch (LeaderboardClient.RateLimited e) {
            return new Outcome.Retry(e.getMessage(), Duration.between(Instant.now(), e.until()).plusMillis(100));
        } catch (LeaderboardClient.Unavailable e) {
            return new Outcome.Retry(e.getMessage(), null);
        }
        if (r.ok()) return new Outcome.Delivered("result".equals(payload.kind()) ? "public reply published" : "status " + body.get("status"));
        if (ALREADY_REPLIED.equals(r.errorCode())) return new Outcome.Delivered("already replied (ALREADY_REPLIED)");
        if (r.status() == 429) {
            return new Outcome.Retry("leaderboard rate limit (429)", r.retryAfter() != null ? r.retryAfter()
                    : Duration.ofSeconds(props.defaultRetryAfterSeconds()));
        }
        if (r.status() == 403) {
            // Logged by the client as a credentials/clock problem; once fixed, the next try goes through.
            return new Outcome.Retry("leaderboard refused our signature (403): credentials or clock", null);
        }
        if (r.status() == 200 && isTransient(r.errorCode())) {
            // Busy or limited for now (HTTP 200 result error): the message stays unanswered on the board until it goes through.
            log.info("leaderboard answered {} for message {}: tried again later", r.describe(), tid);
            return new Outcome.Retry("leaderboard busy: " + r.describe(), null);
        }
        // An error answer (HTTP 200 result error, other 4xx) will not change by itself: operations look at it.
        log.warn("leaderboard refused {} for message {}: {}", payload.kind(), tid, r.describe());
        return new Outcome.Refused("leaderboard answered " + r.describe());
    }

    /** A "not now" code of an HTTP-200 error answer ({@link #TRANSIENT_CODES}, compared ignoring case). */
    static boolean isTransient(String code) {
        return code != null && TRANSIENT_CODES.contains(code.trim().toUpperCase(java.util.Locale.ROOT));
    }

    /** Every citizen name the case knows (its appeals through any channel): none may be published. */
    private List<String> citizenNames(String tid) {
        return cases.appealIdBySource(LeaderboardMapper.CHANNEL, tid)
                .map(cases::caseIdOfAppeal)
                .map(cases::appealsOfCase)
                .orElse(List.of())
                .stream()
                .map(Appeal::citizen)
                .filter(Objects::nonNull)
                .map(Appeal.Citizen::name)
                .filter(Objects::nonNull)
                .toList();
    }
}
