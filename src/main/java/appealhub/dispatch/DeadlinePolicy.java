package appealhub.dispatch;

import appealhub.model.Ids;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import org.springframework.stereotype.Component;

/**
 * The "123" rule: consultations the same day, general matters within 2 days, complex
 * matters a handling plan within 3 days. An upstream's own deadline wins when earlier.
 * (Working days, holidays and escalation come with the deadlines issue.)
 */
@Component
public class DeadlinePolicy {
    private final Clock clock;

    public DeadlinePolicy(Clock clock) {
        this.clock = clock;
    }

    public Instant deadline(String complexity, Instant upstreamDeadline) {
        ZonedDateTime now = ZonedDateTime.now(clock).withZoneSameInstant(Ids.BEIJING);
        Instant own = switch (complexity == null ? "general" : complexity) {
            case "consult" -> now.with(LocalTime.of(23, 59, 59)).toInstant();
            case "complex" -> now.plusDays(3).toInstant();
            default -> now.plusDays(2).toInstant();
        };
        return upstreamDeadline != null && upstreamDeadline.isBefore(own) ? upstreamDeadline : own;
    }
}
