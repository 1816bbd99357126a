package appealhub.deadline;

import appealhub.store.DeadlineTimerStore;
import appealhub.model.TaskRole;
import appealhub.store.TaskLifecycle;
import appealhub.store.TaskStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * Schedules a task's timers when the task is created, in the same transaction: a reminder
 * before the deadline, the escalation at it and, for the lead task, the emergency check
 * (fired at once: it alerts the duty leader when the case was dispatched as urgent).
 */
@Component
public class DeadlineTimers implements TaskLifecycle {
    public static final String REMINDER = "reminder";
    public static final String ESCALATION = "escalation";
    public static final String EMERGENCY = "emergency";

    private final DeadlineTimerStore store;
    private final DeadlineProperties properties;
    private final Clock clock;

    public DeadlineTimers(DeadlineTimerStore store, DeadlineProperties properties, Clock clock) {
        this.store = store;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void created(TaskStore.TaskRecord t) {
        schedule(t.taskId(), t.caseId(), t.role(), t.deadline());
    }

    @Override
    public void finished(String taskId) {
        stop(taskId);
    }

    public void schedule(String taskId, String caseId, TaskRole role, Instant deadline) {
        Instant now = clock.instant();
        if (role == TaskRole.LEAD) store.insert(timerId(taskId, EMERGENCY), EMERGENCY, taskId, caseId, now);
        if (deadline == null) return;
        Instant remindAt = reminderAt(now, deadline);
        if (remindAt != null) store.insert(timerId(taskId, REMINDER), REMINDER, taskId, caseId, remindAt);
        store.insert(timerId(taskId, ESCALATION), ESCALATION, taskId, caseId, deadline);
    }

    /** The task is resolved or returned: nothing more to remind or escalate. */
    public void stop(String taskId) {
        store.stopForTask(taskId);
    }

    /**
     * {@code before} the deadline when configured, else when the configured fraction of the
     * time from dispatch to the deadline has passed (calendar time); null when that moment
     * is not after dispatch (no time left to remind).
     */
    Instant reminderAt(Instant dispatched, Instant deadline) {
        DeadlineProperties.Reminder r = properties.reminder();
        Instant at = r.before() != null && !r.before().isZero()
                ? deadline.minus(r.before())
                : dispatched.plusMillis((long) (Duration.between(dispatched, deadline).toMillis() * r.fraction()));
        return at.isAfter(dispatched) && at.isBefore(deadline) ? at : null;
    }

    static String timerId(String taskId, String kind) {
        return taskId + ":" + kind;
    }
}
