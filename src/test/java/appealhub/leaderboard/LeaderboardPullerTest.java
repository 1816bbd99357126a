package appealhub.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import appealhub.connectors.leaderboard.LeaderboardClient;
import appealhub.connectors.leaderboard.LeaderboardCursorStore;
import appealhub.connectors.leaderboard.LeaderboardInbound;
import appealhub.connectors.leaderboard.LeaderboardMapper.MalformedMessage;
import appealhub.connectors.leaderboard.LeaderboardProperties;
import appealhub.connectors.leaderboard.LeaderboardPuller;
import appealhub.intake.IntakeService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;
import org.springframework.dao.DataAccessResourceFailureException;

/** The page loop's rule: the cursor moves only after every message of the page is durably taken in. */
class LeaderboardPullerTest {
    private final LeaderboardClient client = mock(LeaderboardClient.class);
    private final LeaderboardInbound inbound = mock(LeaderboardInbound.class);
    private final LeaderboardCursorStore cursors = mock(LeaderboardCursorStore.class);
    private final LeaderboardPuller puller = new LeaderboardPuller(client, inbound, cursors, new LeaderboardProperties(
            true, "http://board", "app", "secret", new LeaderboardProperties.Pull(true, 1000, 0, 2, 10), 10, 30,
            "冀州区综治中心", new LeaderboardProperties.Http(1000, 1000)));

    @Test
    void theCursorIsSavedAfterThePagesMessagesAndPagingGoesOnWhileFull() {
        when(cursors.load()).thenReturn(Optional.of("c0"));
        when(client.call(eq("GET"), eq("/open/messages"), eq(Map.of("since", "c0", "limit", "2")), any()))
                .thenReturn(page("c2", 1, 2));
        when(client.call(eq("GET"), eq("/open/messages"), eq(Map.of("since", "c2", "limit", "2")), any()))
                .thenReturn(page("c3", 3));
        when(inbound.take(any())).thenReturn(new IntakeService.Result("AP", "CS", false));

        LeaderboardPuller.PollResult r = puller.poll();

        assertThat(r.taken()).isEqualTo(3);
        assertThat(r.stoppedBy()).isNull();
        InOrder order = inOrder(inbound, cursors);
        order.verify(inbound).take(tid(1));
        order.verify(inbound).take(tid(2));
        order.verify(cursors).save("c2", 2);
        order.verify(inbound).take(tid(3));
        order.verify(cursors).save("c3", 1);
    }

    @Test
    void anIntakeFailureInThePageLeavesTheCursorWhereItWas() {
        when(cursors.load()).thenReturn(Optional.of("c0"));
        when(client.call(eq("GET"), eq("/open/messages"), any(), any())).thenReturn(page("c2", 1, 2));
        when(inbound.take(tid(1))).thenReturn(new IntakeService.Result("AP", "CS", false));
        when(inbound.take(tid(2))).thenThrow(new DataAccessResourceFailureException("database down"));

        LeaderboardPuller.PollResult r = puller.poll();

        assertThat(r.stoppedBy()).isEqualTo("intake failed");
        verify(cursors, never()).save(anyString(), anyInt());
    }

    @Test
    void aMalformedMessageIsKeptAndPassedTheOthersAreTakenAndTheCursorMoves() {
        when(cursors.load()).thenReturn(Optional.empty());
        when(client.call(eq("GET"), eq("/open/messages"), eq(Map.of("limit", "2")), any())).thenReturn(page("c1", 1));
        when(inbound.take(tid(1))).thenThrow(new MalformedMessage("content is required"));

        LeaderboardPuller.PollResult r = puller.poll();

        assertThat(r.rejected()).isEqualTo(1);
        verify(cursors).save("c1", 0);
    }

    @Test
    void anErrorAnswerOrA403StopsWithoutMovingTheCursor() {
        when(cursors.load()).thenReturn(Optional.of("c0"));
        when(client.call(eq("GET"), eq("/open/messages"), any(), any())).thenReturn(
                new LeaderboardClient.Response(200, json("{\"result\":\"error\",\"code\":\"SYSTEM_BUSY\"}"), null, null),
                new LeaderboardClient.Response(403, json("{\"result\":\"error\",\"code\":\"SIGNATURE_INVALID\"}"), null, null));
        assertThat(puller.poll().stoppedBy()).isEqualTo("error SYSTEM_BUSY");
        assertThat(puller.poll().stoppedBy()).isEqualTo("signature refused (403)");
        verify(cursors, never()).save(anyString(), anyInt());
        verify(inbound, never()).take(any());
    }

    private static LeaderboardClient.Response page(String nextCursor, long... tids) {
        ObjectNode body = LeaderboardBoard.JSON.createObjectNode();
        body.put("result", "success");
        var messages = body.putArray("messages");
        for (long t : tids) messages.add(LeaderboardBoard.message(t, "t" + t, "c" + t, "冀州区"));
        body.put("nextCursor", nextCursor);
        return new LeaderboardClient.Response(200, body, null, null);
    }

    private static JsonNode tid(long t) {
        return org.mockito.ArgumentMatchers.argThat(m -> m != null && m.path("tid").asLong() == t);
    }

    private static JsonNode json(String s) {
        try {
            return LeaderboardBoard.JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
