package appealhub.routes;

import appealhub.contract.Queues;
import appealhub.ops.DeadLetters;
import appealhub.reply.TaskReplyService;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Flow step 6, track: departments' replies (accept / return / progress / resolve) drive case state
 * and the feedback owed upstream. A reply the hub will not apply (unknown task, malformed, not the
 * sender's task, no validated sender) goes to hub.dead.replies with its reason (ErrorHandling), for
 * operations.
 * <p>
 * Who sent a reply is JMSXUserID, set by the broker when it validates the sender
 * (populate-validated-user); absent, nobody vouches for the sender and the reply is refused (unless
 * hub.broker.trust-unvalidated-replies says otherwise). A dead reply an operator checked and
 * replayed (DeadLetters) is re-sent by the hub's own broker user: the task's own rules still apply,
 * the sender's not.
 */
@Component
public class TaskReplyRoute extends RouteBuilder {
    private final TaskReplyService replies;

    public TaskReplyRoute(TaskReplyService replies) {
        this.replies = replies;
    }

    @Override
    public void configure() {
        from("jms:queue:" + Queues.REPLIES + "?transacted=true&disableReplyTo=true"
                + "&concurrentConsumers={{hub.replies.consumers:2}}")
                .routeId("task-replies").routeConfigurationId(ErrorHandling.ID)
                .setBody(simple("${bodyAs(String)}"))
                .choice()
                    .when(simple("${header.JMSXUserID} == '{{spring.artemis.user:}}'"
                            + " && ${header." + DeadLetters.REPLAY_OF + "} != null"))
                        .bean(replies, "applyReplayed(${body})")
                    .otherwise()
                        .bean(replies, "apply(${body}, ${header.JMSXUserID})")
                .end();
    }
}
