package appealhub.hotline12345;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.organization.OrganizationRegistry;
import appealhub.support.Department;
import appealhub.support.Platform12345;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** The hub stops with orders in flight and starts again on the same data folder. */
class RestartTest {
    private static final String[] SAMPLES = {
            "小区路灯不亮|滏阳花园南门路灯坏了。|冀州区冀州镇滏阳花园",
            "暖气不热|霍家庄村暖气不热。|冀州区官道李镇霍家庄村",
            "停水|魏家庄村停水两天。|冀州区小寨乡魏家庄村",
            "反映一个问题|希望关注一下。|冀州区",
            "拖欠工资|工地拖欠农民工工资三个月。|冀州区西王镇大寨村"};

    @Test
    void aRestartInTheMiddleLosesNoOrderAndSendsNoSecondTask(@TempDir Path data) throws Exception {
        int n = 40;
        Map<String, String> appealIds = new HashMap<>();
        try (Platform12345 platform = new Platform12345()) {
            TestHub first = new TestHub(data, platform.baseUrl(), Map.of()).start();
            // Dispatch stalls (as if the hub were busy), so orders are stored and answered but not yet on queues.
            first.bean(org.apache.camel.CamelContext.class).getRouteController().stopRoute("dispatch");
            for (int i = 0; i < n; i++) {
                String gdbh = String.format("GDRESTART%04d", i);
                var answer = platform.push(first.url(""), order(gdbh, i));
                assertThat(answer.status()).isEqualTo(200);
                appealIds.put(gdbh, answer.appealId());
            }
            // A quarter of the hand-overs are lost, as when the hub dies between the database commit and the send.
            try (Department intake = new Department(first.brokerUrl())) {
                for (int i = 0; i < n / 4; i++) assertThat(intake.receive("hub.intake", 2000)).isNotNull();
            }
            first.stop(); // orders acknowledged, none dispatched

            try (TestHub second = new TestHub(data, platform.baseUrl(), Map.of()).start();
                 Department departments = new Department(second.brokerUrl())) {
                // The platform did not hear some answers and re-sends everything: same appeals.
                for (int i = 0; i < n; i++) {
                    String gdbh = String.format("GDRESTART%04d", i);
                    var answer = platform.push(second.url(""), order(gdbh, i));
                    assertThat(answer.status()).isEqualTo(200);
                    assertThat(answer.appealId()).isEqualTo(appealIds.get(gdbh));
                }
                JdbcTemplate jdbc = second.bean(JdbcTemplate.class);
                assertThat(jdbc.queryForObject("select count(*) from appeal", Integer.class)).isEqualTo(n);
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        jdbc.queryForObject("select count(*) from hub_case where status = 'RECEIVED'", Integer.class) == 0);

                List<String> taskIds = new ArrayList<>();
                for (String queue : second.bean(OrganizationRegistry.class).taskQueues()) {
                    for (JsonNode task : departments.drain(queue, 100)) taskIds.add(task.path("taskId").asText());
                }
                List<JsonNode> triage = departments.drain("hub.triage", 300);

                Set<String> storedTasks = new HashSet<>(jdbc.queryForList("select task_id from task", String.class));
                assertThat(taskIds).as("each task message once").doesNotHaveDuplicates();
                assertThat(new HashSet<>(taskIds)).as("every stored task on its queue").isEqualTo(storedTasks);
                assertThat(jdbc.queryForObject("select count(*) from task where role = 'lead'", Integer.class)
                        + triage.size()).as("one lead task or one triage entry per order").isEqualTo(n);
                assertThat(jdbc.queryForObject("select count(distinct case_id) from task where role = 'lead'", Integer.class))
                        .isEqualTo(jdbc.queryForObject("select count(*) from task where role = 'lead'", Integer.class));
            }
        }
    }

    private static Map<String, Object> order(String gdbh, int i) {
        String[] s = SAMPLES[i % SAMPLES.length].split("\\|");
        return Platform12345.order(gdbh, s[0], s[1], s[2]);
    }
}
