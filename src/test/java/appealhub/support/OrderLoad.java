package appealhub.support;

import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * 12345 pushing distinct signed orders from several clients, as the platform does through a
 * hub's faults: an order not answered "taken" (refused connection, 5xx) is sent again later, the
 * same order. Records the appeal id of every order the hub answered code 0.
 */
public final class OrderLoad {
    private static final String[] PLACES = {"滏阳花园", "霍家庄村", "魏家庄村", "大寨村", "南关街", "北关街", "信誉楼", "冀州中学"};
    private static final String[] PROBLEMS = {"路灯不亮", "暖气不热", "停水两天", "污水外溢", "道路坑洼", "噪音扰民", "垃圾没人清", "井盖丢失"};

    private final Map<String, String> answered = new ConcurrentHashMap<>();
    private final Queue<Integer> toPush = new ConcurrentLinkedQueue<>();
    private final AtomicInteger refused = new AtomicInteger();
    private final ExecutorService clients;

    /**
     * @param hubUrl   the hub's base URL (the same across its restarts)
     * @param onAnswer sees every answer the hub gave (e.g. to count answers during an outage)
     */
    public OrderLoad(Platform12345 platform, String hubUrl, String gdbhPrefix, int orders, int clientCount,
                     Consumer<Platform12345.Answer> onAnswer) {
        for (int i = 0; i < orders; i++) toPush.add(i);
        clients = Executors.newFixedThreadPool(clientCount);
        for (int c = 0; c < clientCount; c++) {
            clients.submit(() -> {
                Integer i;
                while ((i = toPush.poll()) != null) {
                    String gdbh = String.format("%s%05d", gdbhPrefix, i);
                    try {
                        var answer = platform.push(hubUrl, order(gdbh, i));
                        onAnswer.accept(answer);
                        if (answer.status() == 200 && answer.body().path("code").asInt(-1) == 0) {
                            answered.put(gdbh, answer.appealId());
                            continue;
                        }
                    } catch (RuntimeException noAnswer) {
                        refused.incrementAndGet();
                    }
                    toPush.add(i); // not taken: the platform sends it again later, as 12345 does
                    sleep(100);
                }
                return null;
            });
        }
        clients.shutdown();
    }

    /** gdbh → appeal id of every order answered code 0 so far. */
    public Map<String, String> answered() {
        return answered;
    }

    /** Pushes that got no answer at all (connection refused or cut). */
    public int refused() {
        return refused.get();
    }

    /** Waits until every order has been answered "taken". */
    public boolean awaitAllTaken(Duration atMost) throws InterruptedException {
        return clients.awaitTermination(atMost.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Order i: a place and a problem of its own, so no two orders are alike. */
    public static Map<String, Object> order(String gdbh, int i) {
        String place = PLACES[i % PLACES.length];
        String problem = PROBLEMS[(i / PLACES.length) % PROBLEMS.length];
        return Platform12345.order(gdbh, place + problem, "冀州区" + place + problem + "，第" + i + "号反映，请尽快处理。",
                "冀州区冀州镇" + place);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
