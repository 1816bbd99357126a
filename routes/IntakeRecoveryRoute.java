package appealhub.routes;

import appealhub.intake.HandoverRecovery;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Safety net for the hand-overs made after a commit (flow steps 1 and 5): cases stored but never
 * placed are handed to hub.intake again (then parked for operations), and task messages not
 * confirmed on their queue are sent again. Runs on every instance: each attempt is counted
 * with a conditional update, and the broker drops a task sent twice.
 */
@Component
public class IntakeRecoveryRoute extends RouteBuilder {
    private final HandoverRecovery recovery;

    public IntakeRecoveryRoute(HandoverRecovery recovery) {
        this.recovery = recovery;
    }

    @Override
    public void configure() {
        from("timer:handover-recovery?delay=2000&period={{hub.intake.recovery-period-ms:5000}}")
                .routeId("intake-recovery").routeConfigurationId(ErrorHandling.ID)
                .bean(recovery, "recover");
    }
}
