package appealhub.connectors.leaderboard;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The board's pull cursor (table leaderboard_cursor, V2__leaderboard.sql). The puller saves a
 * page's nextCursor only after every message of that page is durably taken in.
 */
@Repository
public class LeaderboardCursorStore {
    public static final String FEED = "messages";

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public LeaderboardCursorStore(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The cursor to send as since=; empty before the very first page. */
    public Optional<String> load() {
        return jdbc.queryForList("select cursor_value from leaderboard_cursor where feed = ?", String.class, FEED)
                .stream().findFirst();
    }

    /** Moves the cursor on (one statement: committed on return). */
    public void save(String cursor, int messagesTaken) {
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        int updated = jdbc.update("update leaderboard_cursor set cursor_value = ?, messages_taken = messages_taken + ?, "
                + "updated_at = ? where feed = ?", cursor, messagesTaken, now, FEED);
        if (updated == 0) {
            jdbc.update("insert into leaderboard_cursor (feed, cursor_value, messages_taken, updated_at) values (?,?,?,?)",
                    FEED, cursor, messagesTaken, now);
        }
    }
}
