package appealhub.routes;

import appealhub.contract.Queues;
import appealhub.messaging.HubMessaging;
import appealhub.ops.DeadLetters;
import appealhub.reply.ReplyRejected;
import appealhub.reply.TaskReplyService;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Flow step 6, track: departments' replies (accept / return / progress / resolve) drive
 * case state and the feedback owed upstream. A reply the hub will not apply (unknown task,
 * malformed, not the sender's task, no validated sender) goes to hub.dead.replies with its reason,
 * for operations.
 */
@Component
public class TaskReplyRoute extends RouteBuilder {
    private final TaskReplyService replies;
    private final HubMessaging messaging;
    private final String hubBrokerUser;

    public TaskReplyRoute(TaskReplyService replies, HubMessaging messaging,
                          @Value("${spring.artemis.user:}") String hubBrokerUser) {
        this.replies = replies;
        this.messaging = messaging;
        this.hubBrokerUser = hubBrokerUser;
    }

    @Override
    public void configure() {
        from("jms:queue:" + Queues.REPLIES + "?transacted=true&concurrentConsumers=2")
                .routeId("task-replies").routeConfigurationId(InfrastructureFaults.ID)
                .process(exchange -> {
                    String body = exchange.getIn().getBody(String.class);
                    // JMSXUserID is set by the broker when it validates the sender (populate-validated-user);
                    // absent, nobody vouches for the sender and the reply is refused (unless
                    // hub.broker.trust-unvalidated-replies says otherwise).
                    String sender = exchange.getIn().getHeader("JMSXUserID", String.class);
                    // A dead reply an operator checked and replayed (DeadLetters) is re-sent by the hub's own
                    // user, which may do anything on its broker: the task's own rules still apply, the sender's not.
                    boolean replayed = sender != null && sender.equals(hubBrokerUser)
                            && exchange.getIn().getHeader(DeadLetters.REPLAY_OF) != null;
                    try {
                        if (replayed) replies.applyReplayed(body == null ? "" : body);
                        else replies.apply(body == null ? "" : body, sender);
                    } catch (ReplyRejected rejected) {
                        log.warn("reply dead-lettered: {}", rejected.getMessage());
                        messaging.sendDeadReply(body == null ? "" : body, rejected.getMessage());
                    }
                });
    }
}
