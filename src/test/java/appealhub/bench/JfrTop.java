package appealhub.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Benchmark helper (not a test): the top costs of a flight recording (jdk.ExecutionSample, the
 * CPU samples of Java threads), as JDK 17's {@code jfr} tool has no summary view of them. Prints the
 * share of samples by thread group, the methods on top of the stack (self) and the methods anywhere
 * on the stack (inclusive; each method once per sample), those of the hub and its libraries.
 *
 * <pre>java -cp target/test-classes appealhub.bench.JfrTop recording.jfr [top 25] [inclusive-filter appealhub.]</pre>
 * (bench/jfr-top.sh). With {@code waits <thread name part> [top]} instead: where the threads whose name
 * holds that part waited (parks, monitor waits and enters, file syncs over the recording's thresholds),
 * summed by the hub's, the JMS client's and H2's frames on the stack: on a machine whose threads mostly
 * wait for the broker's journal and the database, these are the costs.
 */
public final class JfrTop {
    private JfrTop() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 2 && args[1].equals("waits")) {
            waits(Path.of(args[0]), args[2], args.length > 3 ? Integer.parseInt(args[3]) : 15);
            return;
        }
        Path file = Path.of(args[0]);
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        String filter = args.length > 2 ? args[2] : "";
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        int samples = 0;
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent e = recording.readEvent();
                if (!"jdk.ExecutionSample".equals(e.getEventType().getName())) continue;
                RecordedStackTrace stack = e.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) continue;
                samples++;
                var thread = e.getThread("sampledThread");
                threads.merge(threadGroup(thread == null ? "?" : thread.getJavaName()), 1, Integer::sum);
                List<RecordedFrame> frames = stack.getFrames();
                self.merge(name(frames.get(0).getMethod()), 1, Integer::sum);
                Set<String> once = new HashSet<>();
                for (RecordedFrame f : frames) {
                    String n = name(f.getMethod());
                    if (n.startsWith(filter) && once.add(n)) inclusive.merge(n, 1, Integer::sum);
                }
            }
        }
        System.out.printf("%s: %d CPU samples (jdk.ExecutionSample)%n", file, samples);
        print("by thread", threads, samples, top);
        print("self (top of stack)", self, samples, top);
        print("inclusive" + (filter.isEmpty() ? "" : " (" + filter + "*)"), inclusive, samples, top);
    }

    private static final Set<String> WAITS = Set.of("jdk.ThreadPark", "jdk.JavaMonitorEnter", "jdk.JavaMonitorWait",
            "jdk.FileForce", "jdk.SocketRead");

    private static void waits(Path file, String threadPart, int top) throws Exception {
        Map<String, double[]> byKey = new HashMap<>();
        double total = 0;
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent e = recording.readEvent();
                String type = e.getEventType().getName();
                if (!WAITS.contains(type) || e.getThread() == null || e.getStackTrace() == null
                        || !e.getThread().getJavaName().contains(threadPart)) continue;
                StringBuilder key = new StringBuilder(type.substring(4)).append(":");
                int n = 0;
                for (RecordedFrame f : e.getStackTrace().getFrames()) {
                    RecordedMethod m = f.getMethod();
                    String type2 = m.getType().getName();
                    if (type2.startsWith("appealhub.") || type2.contains("ActiveMQSessionContext") || type2.startsWith("org.h2.mvstore.MVStore")
                            || type2.contains("ClientProducerImpl") || type2.contains("JmsTemplate")) {
                        if (n++ < 3) key.append(' ').append(type2.substring(type2.lastIndexOf('.') + 1)).append('.').append(m.getName());
                    }
                }
                double ms = e.getDuration().toNanos() / 1e6;
                total += ms;
                double[] v = byKey.computeIfAbsent(key.toString(), k -> new double[2]);
                v[0] += ms;
                v[1]++;
            }
        }
        System.out.printf("%s: waits of threads named *%s*: %.0f ms in all%n", file, threadPart, total);
        byKey.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0])).limit(top)
                .forEach(e -> System.out.printf("  %9.0f ms  %6.0f x  %s%n", e.getValue()[0], e.getValue()[1], e.getKey()));
    }

    private static void print(String title, Map<String, Integer> counts, int total, int top) {
        System.out.printf("%n%s%n", title);
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> System.out.printf("  %5.1f%%  %6d  %s%n", 100.0 * e.getValue() / total, e.getValue(), e.getKey()));
    }

    private static String name(RecordedMethod m) {
        return m.getType().getName() + "." + m.getName();
    }

    /** Thread names without their numbers: "http-nio-18300-exec-7" → "http-nio-18300-exec-#". */
    private static String threadGroup(String name) {
        return name.replaceAll("\\d+", "#");
    }
}
