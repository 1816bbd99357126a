package appealhub.deadline;

import appealhub.contract.Queues;
import appealhub.messaging.HubMessaging;
import appealhub.model.Appeal;
import appealhub.store.CaseStore;
import appealhub.store.DeadlineTimerStore;
import appealhub.store.DeadlineTimerStore.Timer;
import appealhub.store.TaskStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Fires due deadline timers: reminders to departments, escalations to supervision,
 * emergency alerts to the duty leader.
 *
 * <p>Each firing is one database transaction: the case row is locked (the order every
 * other step on a case uses), the timer re-read and claimed with a conditional update, the
 * case-file event written, and the message sent, then the transaction commits. So:
 * <ul>
 *   <li>several hub instances on one database: the second finds the timer moved on and
 *       fires nothing (the conditional update is the guard even without the lock);</li>
 *   <li>a crash before the commit: claim and event roll back, the timer is due again after
 *       the restart and sends the same message with the same duplicate id
 *       (timerId:occurrence), which the broker drops if the first send got through: not lost,
 *       not repeated;</li>
 *   <li>a crash after the commit: the message was sent before it, nothing is left to do.</li>
 * </ul>
 * The send happens before the commit, not after it, because a send after the commit would be
 * lost by a crash in between, while a repeated send is made harmless by the duplicate id.
 */
@Service
public class DeadlineWatch {
    private static final Logger log = LoggerFactory.getLogger(DeadlineWatch.class);
    private static final String ACTOR = "hub";

    /** What became of one due timer. */
    public enum Outcome { FIRED, STOPPED, TAKEN }

    private final DeadlineTimerStore timers;
    private final TaskStore tasks;
    private final CaseStore cases;
    private final DeadlineMessages messages;
    private final HubMessaging messaging;
    private final DeadlineProperties properties;
    private final TransactionTemplate tx;
    private final Clock clock;

    public DeadlineWatch(DeadlineTimerStore timers, TaskStore tasks, CaseStore cases, DeadlineMessages messages,
                         HubMessaging messaging, DeadlineProperties properties, TransactionTemplate tx, Clock clock) {
        this.timers = timers;
        this.tasks = tasks;
        this.cases = cases;
        this.messages = messages;
        this.messaging = messaging;
        this.properties = properties;
        this.tx = tx;
        this.clock = clock;
    }

    /** Fires what is due now; returns how many messages went out. A timer that fails waits for the next scan. */
    public int scan() {
        Instant now = clock.instant();
        int fired = 0;
        for (Timer due : timers.due(now, properties.scanBatch())) {
            try {
                if (tx.execute(status -> fire(due, now)) == Outcome.FIRED) fired++;
            } catch (RuntimeException e) {
                log.warn("timer {} of case {} not fired now, tried again on the next scan: {}",
                        due.timerId(), due.caseId(), e.toString());
            }
        }
        return fired;
    }

    private Outcome fire(Timer due, Instant now) {
        CaseStore.CaseRecord c = cases.lockCase(due.caseId());
        Timer t = timers.find(due.timerId());
        if (c == null || t == null || !DeadlineTimerStore.ACTIVE.equals(t.state()) || t.nextFireAt().isAfter(now)) {
            return Outcome.TAKEN;
        }
        TaskStore.TaskRecord task = tasks.find(t.taskId());
        return switch (t.kind()) {
            case DeadlineTimers.REMINDER -> remind(t, task, c, now);
            case DeadlineTimers.ESCALATION -> escalate(t, task, c, now);
            case DeadlineTimers.EMERGENCY -> alert(t, task, c, now);
            default -> {
                log.warn("timer {} has unknown kind {}: stopped", t.timerId(), t.kind());
                yield stop(t);
            }
        };
    }

    private Outcome remind(Timer t, TaskStore.TaskRecord task, CaseStore.CaseRecord c, Instant now) {
        // Past the deadline a reminder is pointless (the hub was down): the escalation speaks instead.
        if (closed(task, c) || !now.isBefore(task.deadline())) return stop(t);
        if (!timers.claimFire(t, null, DeadlineTimerStore.DONE, null)) return Outcome.TAKEN;
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("taskId", task.taskId());
        detail.put("org", task.orgCode());
        detail.put("deadline", task.deadline().toString());
        cases.addEvent(c.caseId(), "reminded", ACTOR, detail);
        messaging.sendNotice(task.queue(), "reminder", t.timerId() + ":1",
                messages.reminder(task, title(c.caseId()), now), task.taskId(), c.caseId(), priority(c));
        log.info("case {} task {}: {} reminded of its deadline", c.caseId(), task.taskId(), task.orgCode());
        return Outcome.FIRED;
    }

    /**
     * Occurrence k (0 at the deadline) is due at deadline + k x repeat. A hub that was down
     * does not send the missed occurrences in a burst: it sends the latest one, at the level
     * for the time overdue, and goes on from there.
     */
    private Outcome escalate(Timer t, TaskStore.TaskRecord task, CaseStore.CaseRecord c, Instant now) {
        if (closed(task, c)) return stop(t);
        Duration repeat = properties.escalationRepeat();
        Duration overdue = Duration.between(task.deadline(), now);
        long slot = Math.max(0, overdue.toMillis() / repeat.toMillis());
        int level = properties.levelOf(slot);
        String levelName = properties.levelName(level);
        Instant next = task.deadline().plus(repeat.multipliedBy(slot + 1));
        if (!timers.claimFire(t, next, DeadlineTimerStore.ACTIVE, level)) return Outcome.TAKEN;
        long overdueHours = Math.max(0, overdue.toHours());
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("taskId", task.taskId());
        detail.put("org", task.orgCode());
        detail.put("deadline", task.deadline().toString());
        detail.put("overdueHours", overdueHours);
        detail.put("escalation", slot + 1);
        detail.put("level", level);
        detail.put("levelName", levelName);
        cases.addEvent(c.caseId(), "escalated", ACTOR, detail);
        messaging.sendNotice(Queues.SUPERVISION, "escalation", t.timerId() + ":" + (slot + 1),
                messages.escalation(task, c, title(c.caseId()), (int) (slot + 1), level, levelName, overdueHours, now),
                task.taskId(), c.caseId(), priority(c));
        log.info("case {} task {} of {} overdue {} h: escalated to level {}", c.caseId(), task.taskId(),
                task.orgCode(), overdueHours, level);
        return Outcome.FIRED;
    }

    /** The emergency check of a lead task: an urgent case is told to the duty leader, even if handled already. */
    private Outcome alert(Timer t, TaskStore.TaskRecord task, CaseStore.CaseRecord c, Instant now) {
        if (task == null || !"urgent".equals(c.urgency())) return stop(t);
        if (!timers.claimFire(t, null, DeadlineTimerStore.DONE, null)) return Outcome.TAKEN;
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("taskId", task.taskId());
        detail.put("lead", task.orgCode());
        detail.put("queue", Queues.DUTY_LEADER);
        cases.addEvent(c.caseId(), "emergency-alert", ACTOR, detail);
        messaging.sendNotice(Queues.DUTY_LEADER, "emergency", t.timerId(),
                messages.emergency(task, c, title(c.caseId()), now), task.taskId(), c.caseId(), 9);
        log.info("case {}: emergency alert to the duty leader (lead {})", c.caseId(), task.orgCode());
        return Outcome.FIRED;
    }

    private Outcome stop(Timer t) {
        return timers.claimStop(t) ? Outcome.STOPPED : Outcome.TAKEN;
    }

    /** Nothing more to chase: the task is answered, superseded by a new round, or the case is closed. */
    private static boolean closed(TaskStore.TaskRecord task, CaseStore.CaseRecord c) {
        return task == null || task.deadline() == null || task.status().finished()
                || task.round() != c.round() || !c.status().open();
    }

    private String title(String caseId) {
        List<Appeal> appeals = cases.appealsOfCase(caseId);
        return appeals.isEmpty() ? null : appeals.get(0).title();
    }

    private static int priority(CaseStore.CaseRecord c) {
        return "urgent".equals(c.urgency()) ? 9 : 4;
    }
}
