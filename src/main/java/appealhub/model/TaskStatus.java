package appealhub.model;

/** A department's or township's task (column task.status). */
public enum TaskStatus {
    /** On its queue, not answered yet. */
    SENT,
    ACCEPTED,
    /** Returned by its organisation (退单: not ours). */
    RETURNED,
    RESOLVED,
    /** A co-organisation's task, closed when the lead resolved the case. */
    CLOSED;

    /** Answered for good: no more reminders or escalations. */
    public boolean finished() {
        return this == RESOLVED || this == RETURNED || this == CLOSED;
    }
}
