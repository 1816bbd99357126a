package appealhub.contract;

import static org.awaitility.Awaitility.await;

import appealhub.support.Department;
import jakarta.jms.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Reads the hub's queues the way the departments and operations do, and keeps every message
 * it takes off a queue: one a test is not waiting for yet stays for a later wait, and all of
 * them can be checked against the contract at the end.
 */
final class QueueCapture {
    /** A message as it came off a queue. */
    record Captured(String queue, Message message) {}

    private final Department department;
    private final List<Captured> all = new ArrayList<>();
    private final Map<String, List<Message>> unclaimed = new LinkedHashMap<>();

    QueueCapture(Department department) {
        this.department = department;
    }

    /** The first message on a queue that passes the test, taken; waiting for it up to 30 s. */
    Message take(String queue, Predicate<Message> wanted) {
        AtomicReference<Message> found = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            drain(queue);
            for (Iterator<Message> it = unclaimed.get(queue).iterator(); it.hasNext(); ) {
                Message m = it.next();
                if (wanted.test(m)) {
                    it.remove();
                    found.set(m);
                    return true;
                }
            }
            return false;
        });
        return found.get();
    }

    /** Everything taken off the queues so far, after one more look at each queue read before. */
    List<Captured> everything() {
        for (String queue : List.copyOf(unclaimed.keySet())) drain(queue);
        return List.copyOf(all);
    }

    private void drain(String queue) {
        List<Message> kept = unclaimed.computeIfAbsent(queue, q -> new ArrayList<>());
        Message m;
        while ((m = department.receiveMessage(queue, 300)) != null) {
            kept.add(m);
            all.add(new Captured(queue, m));
        }
    }
}
