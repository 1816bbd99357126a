package appealhub.deadline;

import appealhub.deadline.DeadlineProperties;
import appealhub.deadline.DeadlineProperties.Allowance;
import appealhub.deadline.WorkingCalendar;
import appealhub.model.Ids;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import org.springframework.stereotype.Component;

/**
 * The "123" rule, in working days: consultations by the end of the same working day (a
 * consultation received on a holiday or weekend by the end of the next working day), general
 * matters by the end of the 2nd working day after receipt, complex matters (a handling plan)
 * by the end of the 3rd. "End of day" is 23:59:59 Beijing time; working days come from the
 * holiday calendar (config/holidays.yaml). Times per complexity and per category are
 * configurable (hub.deadlines). An upstream's own deadline wins when earlier.
 */
@Component
public class DeadlinePolicy {
    static final LocalTime END_OF_DAY = LocalTime.of(23, 59, 59);

    private final Clock clock;
    private final DeadlineProperties properties;
    private final WorkingCalendar calendar;

    public DeadlinePolicy(Clock clock, DeadlineProperties properties, WorkingCalendar calendar) {
        this.clock = clock;
        this.properties = properties;
        this.calendar = calendar;
    }

    /** The deadline of a task dispatched now. */
    public Instant deadline(String complexity, Instant upstreamDeadline) {
        return deadline(complexity, null, upstreamDeadline);
    }

    /** As {@link #deadline(String, Instant)}, with the category's own time when hub.deadlines.category-rules has one. */
    public Instant deadline(String complexity, String category, Instant upstreamDeadline) {
        Instant own = deadlineFrom(clock.instant(), allowance(complexity, category));
        return upstreamDeadline != null && upstreamDeadline.isBefore(own) ? upstreamDeadline : own;
    }

    Allowance allowance(String complexity, String category) {
        String c = complexity == null || !properties.rules().containsKey(complexity) ? "general" : complexity;
        if (category != null) {
            for (DeadlineProperties.CategoryRule r : properties.categoryRules()) {
                if (category.equals(r.category()) && (r.complexity() == null || r.complexity().equals(c))) return r.allowance();
            }
        }
        return properties.rules().get(c);
    }

    Instant deadlineFrom(Instant received, Allowance a) {
        ZonedDateTime at = received.atZone(Ids.BEIJING);
        LocalDate day = at.toLocalDate();
        if (properties.dayCutOff() != null && at.toLocalTime().isAfter(properties.dayCutOff())) {
            day = day.plusDays(1); // after hours: counts from the next day
        }
        LocalDate due = switch (a.unit()) {
            case HOURS -> null;
            case SAME_DAY -> calendar.thisOrNextWorkingDay(day);
            case WORKING_DAYS -> calendar.plusWorkingDays(day, a.amount());
            case CALENDAR_DAYS -> day.plusDays(a.amount());
        };
        if (due == null) return received.plusSeconds(3600L * a.amount());
        return due.atTime(END_OF_DAY).atZone(Ids.BEIJING).toInstant();
    }
}
