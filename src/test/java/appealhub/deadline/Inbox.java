package appealhub.deadline;

import appealhub.support.Department;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads queues for a test that is waiting for messages about one task: what arrives about
 * other tasks is kept for later, not lost.
 */
final class Inbox implements AutoCloseable {
    final Department department;
    private final Map<String, List<Message>> kept = new HashMap<>();

    Inbox(Department department) {
        this.department = department;
    }

    /** Everything about this task on the queue now (and kept from before), taken off it. */
    List<Message> take(String queue, String taskId) {
        List<Message> queued = kept.computeIfAbsent(queue, q -> new ArrayList<>());
        Message m;
        while ((m = department.receiveMessage(queue, 300)) != null) queued.add(m);
        List<Message> mine = new ArrayList<>();
        for (Iterator<Message> it = queued.iterator(); it.hasNext(); ) {
            Message next = it.next();
            if (taskId.equals(taskIdOf(next))) {
                mine.add(next);
                it.remove();
            }
        }
        return mine;
    }

    private static String taskIdOf(Message m) {
        try {
            return m.getStringProperty("taskId");
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        department.close();
    }
}
