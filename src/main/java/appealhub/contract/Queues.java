package appealhub.contract;


/** Names of the hub's own queues (department queues come from OrganizationRegistry.taskQueue). */
public final class Queues {
    private Queues() {}

    /** Stored appeals waiting to be classified and dispatched. */
    public static final String INTAKE = "hub.intake";
    /** Every department's and township's replies: accept / return / progress / resolve. */
    public static final String REPLIES = "hub.task.replies";
    /** Appeals the hub could not place: for an operator. */
    public static final String TRIAGE = "hub.triage";
    /** Replies that name no known task, are malformed or not allowed; property hubDeadReason says why. */
    public static final String DEAD_REPLIES = "hub.dead.replies";
    /** Hand-overs to placement naming no case of this hub's database; property hubDeadReason says why. */
    public static final String DEAD_INTAKE = "hub.dead.intake";
    /** Escalations of overdue tasks (appealhub.escalation/1), for the supervision office. */
    public static final String SUPERVISION = "hub.supervision";
    /** Emergency alerts (appealhub.emergency/1), for the duty leader (值班领导). */
    public static final String DUTY_LEADER = "hub.duty.leader";

    /** JMS string property naming what a message is: task, task-update, reminder, escalation, emergency. */
    public static final String MESSAGE_TYPE = "hubMessageType";

    /** Artemis duplicate detection: a second message with the same id on an address is dropped. */
    public static final String DUPLICATE_ID = "_AMQ_DUPL_ID";
    public static final String DEAD_REASON = "hubDeadReason";
}
