package appealhub.store;

/**
 * Told by {@link TaskStore} when a task is written and when it is answered for good, inside the
 * same transaction. The deadline timers listen here, so the store does not depend on them.
 */
public interface TaskLifecycle {
    void created(TaskStore.TaskRecord task);

    void finished(String taskId);
}
