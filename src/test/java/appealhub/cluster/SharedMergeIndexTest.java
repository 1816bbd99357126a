package appealhub.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.store.CaseStore;
import appealhub.support.Platform12345;
import appealhub.support.ScratchPostgres;
import appealhub.support.TestHub;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two whole hubs on one PostgreSQL database: a repeat pushed to instance B a second after the
 * original was placed on instance A joins A's case (B reads the merge index rows A saved), and
 * both instances count the same citizens, so the case turns hot on whichever takes the third.
 */
class SharedMergeIndexTest {

    @Test
    void aRepeatOnAnotherInstanceJoinsTheCaseMadeThere(@TempDir Path dataA, @TempDir Path dataB) throws Exception {
        try (ScratchPostgres db = new ScratchPostgres("appealhub_merge");
             Platform12345 platform = new Platform12345();
             TestHub a = hub(dataA, platform, db, "hub-a").start();
             TestHub b = hub(dataB, platform, db, "hub-b").start()) {
            CaseStore casesA = a.bean(CaseStore.class);
            CaseStore casesB = b.bean(CaseStore.class);
            String first = push(platform, a, "GDMERGEA0001", "13800000011", "滏阳花园南门路灯不亮",
                    "滏阳花园小区南门外的路灯坏了半个多月，一到晚上整条路漆黑一片，老人孩子出行很不安全，希望尽快维修。");
            await().atMost(Duration.ofSeconds(20)).until(() -> "DISPATCHED".equals(status(casesA, first)));
            String caseId = casesA.caseIdOfAppeal(first);
            Thread.sleep(1000);

            String repeat = push(platform, b, "GDMERGEB0002", "13900000022", "滏阳花园南门路灯坏了",
                    "滏阳花园小区南门外的路灯坏了半个多月，一到晚上整条路都是黑的，老人孩子出行很不安全，希望尽快派人维修。");
            await().atMost(Duration.ofSeconds(20)).until(() -> caseId.equals(casesB.caseIdOfAppeal(repeat)));
            assertThat(casesB.findCase(casesB.originCaseOfAppeal(repeat)).status()).hasToString("MERGED");
            assertThat(casesB.events(caseId)).anyMatch(e -> "merged".equals(e.type()));

            String third = push(platform, b, "GDMERGEB0003", "13700000033", "滏阳花园南门路灯不亮",
                    "滏阳花园小区南门外的路灯坏了半个多月，一到晚上整条路漆黑一片，出行很不安全，希望尽快派人维修。");
            await().atMost(Duration.ofSeconds(20)).until(() -> caseId.equals(casesB.caseIdOfAppeal(third)));
            // hub.merge.hot-citizens = 3: three citizens, counted on instance B with A's first one.
            assertThat(casesA.findCase(caseId).citizenCount()).isEqualTo(3);
            assertThat(casesA.findCase(caseId).hot()).isTrue();
            assertThat(casesA.events(caseId)).anyMatch(e -> "hot-issue".equals(e.type()));
        }
    }

    private static String push(Platform12345 platform, TestHub hub, String gdbh, String phone, String title, String content) {
        Map<String, Object> order = Platform12345.order(gdbh, title, content, "冀州区冀州镇滏阳花园小区南门");
        order.put("lxdh", phone);
        var answer = platform.push(hub.url(""), order);
        assertThat(answer.status()).isEqualTo(200);
        return answer.appealId();
    }

    private static String status(CaseStore cases, String appealId) {
        String caseId = cases.caseIdOfAppeal(appealId);
        return caseId == null ? null : cases.findCase(caseId).status().name();
    }

    private static TestHub hub(Path data, Platform12345 platform, ScratchPostgres db, String nodeId) {
        Map<String, Object> properties = new HashMap<>(db.hubProperties(db.url()));
        // Two hubs in one JVM: their MBeans need distinct names.
        properties.put("spring.jmx.unique-names", true);
        properties.put("camel.main.jmx-management-name-pattern", "#name#-" + nodeId);
        properties.put("hub.cluster.node-id", nodeId);
        // ... and their embedded brokers distinct in-VM ids, or the second hub would talk to the first's broker.
        properties.put("spring.artemis.embedded.server-id", nodeId.endsWith("a") ? 1 : 2);
        properties.put("hub.merge.enabled", true);
        properties.put("hub.merge.hot-citizens", 3);
        return new TestHub(data, platform.baseUrl(), properties);
    }
}
