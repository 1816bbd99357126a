package appealhub.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A hub without the demo's classes (the product jar) that is still asked for the demo says so,
 * naming what it ignores; with the demo there (spring-boot:run, tests), or not asked for, nothing.
 */
class DemoAbsenceTest {

    @Test
    void askedForButAbsentTheDemoIsReportedWithWhatIsIgnored() {
        assertThat(DemoAbsence.notice(true, true, false)).hasValueSatisfying(n -> assertThat(n)
                .contains("the demo is not in this build", "hub.demo.mocks=true", "hub.demo.departments=true",
                        "./mvnw spring-boot:run"));
        assertThat(DemoAbsence.notice(false, true, false)).hasValueSatisfying(n -> assertThat(n)
                .contains("hub.demo.departments=true").doesNotContain("hub.demo.mocks=true"));
    }

    @Test
    void presentOrNotAskedForNothingIsSaid() {
        assertThat(DemoAbsence.notice(true, true, true)).isEmpty();
        assertThat(DemoAbsence.notice(false, false, false)).isEmpty();
    }

    @Test
    void theDemoClassLookedForIsTheDemos() {
        // on the test class path the demo is there: the name DemoAbsence looks for must be a real class of it
        assertThat(org.springframework.util.ClassUtils.isPresent(DemoAbsence.DEMO_CLASS, getClass().getClassLoader())).isTrue();
    }
}
