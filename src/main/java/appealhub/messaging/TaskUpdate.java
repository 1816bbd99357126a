package appealhub.messaging;

/**
 * A change to a task already sent (appealhub.task-update/1 on the task's queue), decided in a
 * transaction and sent after it commits; the duplicate id makes a re-send harmless.
 */
public record TaskUpdate(String queue, String taskId, String duplicateId, String json, int priority) {}
