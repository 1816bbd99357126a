package appealhub.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.util.ClassUtils;

/**
 * The demo of the default run (mock upstreams on WireMock, channel feeders, simulated departments:
 * src/demo/java) is not part of the product jar; ./mvnw spring-boot:run adds it. A hub started
 * from the jar with hub.demo.mocks or hub.demo.departments still true (the defaults of
 * config/application.yml) runs without it and says so once at start, instead of leaving the
 * operator to wonder why nothing answers on hub.demo.mock-port.
 * <p>
 * The demo is looked up by name only: the product does not depend on it (ArchitectureTest).
 */
@Component
public class DemoAbsence {
    private static final Logger log = LoggerFactory.getLogger(DemoAbsence.class);
    /** A class of the demo: present exactly when the demo's classes are on the class path. */
    static final String DEMO_CLASS = "appealhub.demo.MockUpstreams";

    public DemoAbsence(Environment env) {
        boolean present = ClassUtils.isPresent(DEMO_CLASS, DemoAbsence.class.getClassLoader());
        notice(env.getProperty("hub.demo.mocks", Boolean.class, false),
                env.getProperty("hub.demo.departments", Boolean.class, false), present).ifPresent(log::warn);
    }

    /** The warning to log, when the demo is asked for but not there. */
    static Optional<String> notice(boolean mocks, boolean departments, boolean demoPresent) {
        if (demoPresent || !(mocks || departments)) return Optional.empty();
        List<String> asked = new ArrayList<>();
        if (mocks) asked.add("hub.demo.mocks=true (mock upstreams, channel feeders)");
        if (departments) asked.add("hub.demo.departments=true (simulated departments)");
        return Optional.of("the demo is not in this build (it is not part of the product jar): "
                + String.join(" and ", asked) + " ignored; the hub runs without it, so the channels' base-url"
                + " must reach real upstreams. For the demo, run ./mvnw spring-boot:run; to silence this,"
                + " set hub.demo.mocks=false and hub.demo.departments=false (the production profile does).");
    }
}
