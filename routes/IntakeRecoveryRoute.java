package appealhub.routes;

import appealhub.dispatch.HubMessaging;
import appealhub.store.CaseStore;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Safety net for flow step 1: a case stored and acknowledged whose hand-over message never
 * reached hub.intake (the hub stopped between the two) is re-enqueued. The duplicate id
 * names the recovery period, so a case merely waiting in a long queue gets at most one
 * extra hand-over per period; placing a case twice is a no-op anyway.
 */
@Component
public class IntakeRecoveryRoute extends RouteBuilder {
    private final CaseStore cases;
    private final HubMessaging messaging;
    private final Clock clock;
    private final Duration after;

    public IntakeRecoveryRoute(CaseStore cases, HubMessaging messaging, Clock clock,
                               @Value("${hub.intake.recovery-after-seconds}") long afterSeconds) {
        this.cases = cases;
        this.messaging = messaging;
        this.clock = clock;
        this.after = Duration.ofSeconds(afterSeconds);
    }

    @Override
    public void configure() {
        from("timer:intake-recovery?delay=2000&period=" + Math.max(1000, after.toMillis() / 2))
                .routeId("intake-recovery")
                .process(exchange -> {
                    String period = "recovery-" + clock.millis() / after.toMillis();
                    for (String caseId : cases.caseIdsInStatusSince("RECEIVED", clock.instant().minus(after), 500)) {
                        log.info("case {} still waiting for dispatch: re-enqueued", caseId);
                        messaging.enqueueForPlacement(caseId, cases.findCase(caseId).round(), period);
                    }
                });
    }
}
