package appealhub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.reply.TaskReplyService;
import appealhub.store.CaseStore;
import appealhub.store.FeedbackOutbox;
import appealhub.store.TaskStore;
import appealhub.support.Department;
import appealhub.support.Platform12345;
import appealhub.support.TestHub;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Reply rights fail closed: a reply the broker stamped no validated user on (a broker without
 * populate-validated-user, as an external one may be) is dead-lettered with its reason and changes
 * nothing, unless hub.broker.trust-unvalidated-replies is set. The department logs in over TCP as
 * usual; only the hub's embedded broker is told not to stamp the user.
 */
class UnvalidatedReplyTest {
    Platform12345 platform;
    TestHub hub;
    Department departments;

    @AfterEach
    void stop() {
        if (departments != null) departments.close();
        if (hub != null) hub.close();
        if (platform != null) platform.close();
    }

    @Test
    void aReplyWithoutAValidatedUserIsDeadLetteredWithItsReasonAndChangesNothing(@TempDir Path data) throws Exception {
        start(data, false);
        JsonNode task = pushAndTakeTask("GDNOUSER0001");
        String taskId = task.path("taskId").asText();
        String caseId = task.path("caseId").asText();
        CaseStore cases = hub.bean(CaseStore.class);
        FeedbackOutbox outbox = hub.bean(FeedbackOutbox.class);
        TaskStore tasks = hub.bean(TaskStore.class);
        // the hub marks the task sent just after the message went out
        await().atMost(Duration.ofSeconds(10)).until(() -> "SENT".equals(String.valueOf(tasks.find(taskId).status())));
        String caseStatus = cases.findCase(caseId).status().name();
        List<Long> events = cases.events(caseId).stream().map(CaseStore.CaseEvent::id).toList();
        List<Long> owed = outbox.ofCase(caseId).stream().map(FeedbackOutbox.Item::id).toList();

        // D16 logs in and answers its own task, but the broker does not say so.
        departments.reply(task, "resolve", "已修复");

        Message dead = departments.receiveMessage("hub.dead.replies", 15_000);
        assertThat(dead).as("the reply, dead-lettered").isNotNull();
        assertThat(dead.getStringProperty("hubDeadReason")).isEqualTo(TaskReplyService.NO_VALIDATED_SENDER);
        assertThat(((TextMessage) dead).getText()).contains(taskId).contains("\"type\":\"resolve\"");
        // Nothing changed: task, case, case file, feedback owed.
        assertThat(tasks.find(taskId).status()).hasToString("SENT");
        assertThat(cases.findCase(caseId).status().name()).isEqualTo(caseStatus);
        assertThat(cases.events(caseId)).extracting(CaseStore.CaseEvent::id).isEqualTo(events);
        assertThat(outbox.ofCase(caseId)).extracting(FeedbackOutbox.Item::id).isEqualTo(owed);
    }

    @Test
    void withTheTrustSettingAReplyWithoutAValidatedUserIsApplied(@TempDir Path data) throws Exception {
        start(data, true);
        JsonNode task = pushAndTakeTask("GDNOUSER0002");
        String taskId = task.path("taskId").asText();
        TaskStore tasks = hub.bean(TaskStore.class);

        departments.reply(task, "accept", null);

        await().atMost(Duration.ofSeconds(15)).until(() -> "ACCEPTED".equals(String.valueOf(tasks.find(taskId).status())));
        assertThat(hub.bean(CaseStore.class).findCase(task.path("caseId").asText()).status()).hasToString("ACCEPTED");
        assertThat(departments.receiveMessage("hub.dead.replies", 500)).as("nothing dead-lettered").isNull();
    }

    private void start(Path data, boolean trust) {
        platform = new Platform12345();
        hub = new TestHub(data, platform.baseUrl(), Map.of("hub.broker.trust-unvalidated-replies", trust))
                .withInitializer(brokerStampsNoUser()).start();
        departments = new Department(hub.brokerUrl());
    }

    private JsonNode pushAndTakeTask(String orderId) {
        String appealId = platform.push(hub.url(""), Platform12345.streetLight(orderId)).appealId();
        JsonNode task = departments.receive("dept.D16.tasks", 15_000);
        assertThat(task).as("D16's task").isNotNull();
        assertThat(task.path("appeal").path("appealId").asText()).isEqualTo(appealId);
        return task;
    }

    /** The embedded broker as an external one configured without populate-validated-user. */
    private static ApplicationContextInitializer<ConfigurableApplicationContext> brokerStampsNoUser() {
        return ctx -> ctx.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                // after the hub's own ArtemisConfigurationCustomizer turned it on, before the broker starts
                if (bean instanceof EmbeddedActiveMQ broker) broker.getConfiguration().setPopulateValidatedUser(false);
                return bean;
            }
        });
    }
}
