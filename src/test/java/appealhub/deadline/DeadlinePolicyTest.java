package appealhub.deadline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import appealhub.deadline.DeadlineProperties.CategoryRule;
import appealhub.deadline.DeadlineProperties.Reminder;
import appealhub.deadline.DeadlineProperties.Unit;
import appealhub.deadline.DeadlinePolicy;
import appealhub.model.Ids;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The "123" rule in working days, on the shipped calendar (config/holidays.yaml, 2025 and 2026). */
class DeadlinePolicyTest {
    static final WorkingCalendar CALENDAR = WorkingCalendar.load(Path.of("config/holidays.yaml"));

    @Test
    void aConsultationIsDueAtTheEndOfTheSameWorkingDay() {
        assertThat(deadline("2026-03-27T10:00", "consult")).isEqualTo(beijing("2026-03-27T23:59:59"));
    }

    @Test
    void withADayCutOffAMatterReceivedAfterHoursCountsFromTheNextDay() {
        DeadlineProperties cutOff = new DeadlineProperties("config/holidays.yaml", null, null, null, Duration.ofHours(4),
                null, 1, 5000, 200, java.time.LocalTime.of(17, 30));
        // Thursday 26 March 2026: before the cut-off the same day, after it the next working day.
        assertThat(policy("2026-03-26T17:00", cutOff).deadline("consult", null)).isEqualTo(beijing("2026-03-26T23:59:59"));
        assertThat(policy("2026-03-26T23:00", cutOff).deadline("consult", null)).isEqualTo(beijing("2026-03-27T23:59:59"));
        // 2 working days: from Thursday daytime Friday and Monday, from Thursday evening Monday and Tuesday.
        assertThat(policy("2026-03-26T10:00", cutOff).deadline("general", null)).isEqualTo(beijing("2026-03-30T23:59:59"));
        assertThat(policy("2026-03-26T18:00", cutOff).deadline("general", null)).isEqualTo(beijing("2026-03-31T23:59:59"));
        assertThat(policy("2026-03-27T18:00", cutOff).deadline("consult", null)).as("Friday evening → Monday")
                .isEqualTo(beijing("2026-03-30T23:59:59"));
        // Without a cut-off, as the 123 rule reads.
        assertThat(deadline("2026-03-26T23:00", "consult")).isEqualTo(beijing("2026-03-26T23:59:59"));
    }

    @Test
    void aConsultationOnAWeekendOrHolidayIsDueAtTheEndOfTheNextWorkingDay() {
        assertThat(deadline("2026-03-28T09:00", "consult")).as("Saturday").isEqualTo(beijing("2026-03-30T23:59:59"));
        assertThat(deadline("2026-04-06T09:00", "consult")).as("清明 Monday").isEqualTo(beijing("2026-04-07T23:59:59"));
        assertThat(deadline("2026-02-28T09:00", "consult")).as("make-up Saturday is a working day")
                .isEqualTo(beijing("2026-02-28T23:59:59"));
    }

    @Test
    void generalMattersHaveTwoWorkingDaysAndComplexOnesThree() {
        // Friday: Monday is the first working day, Tuesday the second.
        assertThat(deadline("2026-03-27T10:00", "general")).isEqualTo(beijing("2026-03-31T23:59:59"));
        assertThat(deadline("2026-03-27T10:00", "complex")).isEqualTo(beijing("2026-04-01T23:59:59"));
        assertThat(deadline("2026-03-27T10:00", null)).as("unknown complexity counts as general")
                .isEqualTo(beijing("2026-03-31T23:59:59"));
        assertThat(deadline("2026-03-28T10:00", "general")).as("received Saturday").isEqualTo(beijing("2026-03-31T23:59:59"));
    }

    @Test
    void holidaysAreSkippedAndMakeUpWorkingDaysCount() {
        // Friday before 清明 (4-6 April, Saturday to Monday).
        assertThat(deadline("2026-04-03T10:00", "general")).isEqualTo(beijing("2026-04-08T23:59:59"));
        assertThat(deadline("2026-04-03T10:00", "complex")).isEqualTo(beijing("2026-04-09T23:59:59"));
        // Friday before 春节: Saturday 14 February is a make-up working day, 15-23 February a holiday.
        assertThat(deadline("2026-02-13T10:00", "general")).isEqualTo(beijing("2026-02-24T23:59:59"));
        // 国庆 2026: Sunday 20 September is worked, 1-7 October not, Saturday 10 October is worked.
        assertThat(deadline("2026-09-18T10:00", "general")).isEqualTo(beijing("2026-09-21T23:59:59"));
        assertThat(deadline("2026-09-30T10:00", "general")).isEqualTo(beijing("2026-10-09T23:59:59"));
        assertThat(deadline("2026-09-30T10:00", "complex")).isEqualTo(beijing("2026-10-10T23:59:59"));
    }

    @Test
    void beijingDaysCountEvenWhenTheUtcDateDiffers() {
        // 23:30 Beijing on Friday is still Friday (15:30 UTC).
        assertThat(deadline("2026-03-27T23:30", "consult")).isEqualTo(beijing("2026-03-27T23:59:59"));
        // 00:30 Beijing on Saturday is Friday 16:30 UTC, but Saturday in the district.
        assertThat(deadline("2026-03-28T00:30", "consult")).isEqualTo(beijing("2026-03-30T23:59:59"));
    }

    @Test
    void anEarlierUpstreamDeadlineWinsALaterOneDoesNot() {
        DeadlinePolicy policy = policy("2026-03-27T10:00", DeadlineProperties.defaults());
        Instant earlier = beijing("2026-03-28T12:00:00");
        assertThat(policy.deadline("complex", earlier)).isEqualTo(earlier);
        assertThat(policy.deadline("complex", beijing("2026-05-01T00:00:00"))).isEqualTo(beijing("2026-04-01T23:59:59"));
    }

    @Test
    void aCategoryRuleOverridesTheComplexityRule() {
        DeadlineProperties p = properties(List.of(new CategoryRule("应急处置", null, 24, Unit.HOURS),
                new CategoryRule("矛盾纠纷", "general", 5, Unit.CALENDAR_DAYS)), new Reminder(0.75, null), 1);
        DeadlinePolicy policy = policy("2026-03-27T10:00", p);
        assertThat(policy.deadline("general", "应急处置", null)).isEqualTo(beijing("2026-03-28T10:00:00"));
        assertThat(policy.deadline("general", "矛盾纠纷", null)).isEqualTo(beijing("2026-04-01T23:59:59"));
        assertThat(policy.deadline("complex", "矛盾纠纷", null)).as("that rule is for general only")
                .isEqualTo(beijing("2026-04-01T23:59:59"));
        assertThat(policy.deadline("general", "民生服务", null)).isEqualTo(beijing("2026-03-31T23:59:59"));
        assertThat(policy.deadline("general", null)).isEqualTo(beijing("2026-03-31T23:59:59"));
    }

    @Test
    void aYearTheFileDoesNotListCountsWeekdaysMinusFixedDateHolidays() {
        assertThat(CALENDAR.covers(2027)).isFalse();
        // Thursday 31 December 2026: Friday 1 January 2027 is 元旦, so Monday and Tuesday count.
        assertThat(deadline("2026-12-31T10:00", "general")).isEqualTo(beijing("2027-01-05T23:59:59"));
        assertThat(CALENDAR.isWorkingDay(LocalDate.parse("2027-01-04"))).isTrue();
    }

    @Test
    void aWrongCalendarFileIsRefusedNamingTheMistake(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("holidays.yaml");
        Files.writeString(file, """
                years:
                  2026:
                    holidays:
                      - {name: 劳动节, from: 2026-05-01, to: 2026-05-05, workdays: [2026-05-08]}
                      - {name: 端午节, from: 2026-06-21, to: 2026-06-19}
                """);
        assertThatThrownBy(() -> WorkingCalendar.load(file))
                .hasMessageContaining("2026 劳动节: make-up working day 2026-05-08 is not a Saturday or Sunday")
                .hasMessageContaining("2026 端午节: to 2026-06-19 is before from 2026-06-21");
    }

    @Test
    void theReminderComesAtThreeQuartersOfTheTimeOrAFixedTimeBefore() {
        Instant dispatched = beijing("2026-03-27T10:00:00");
        Instant deadline = dispatched.plus(Duration.ofHours(100));
        DeadlineTimers fraction = new DeadlineTimers(null, DeadlineProperties.defaults(), Clock.systemUTC());
        assertThat(fraction.reminderAt(dispatched, deadline)).isEqualTo(dispatched.plus(Duration.ofHours(75)));

        DeadlineTimers before = new DeadlineTimers(null, properties(List.of(), new Reminder(0.75, Duration.ofHours(4)), 1),
                Clock.systemUTC());
        assertThat(before.reminderAt(dispatched, deadline)).isEqualTo(deadline.minus(Duration.ofHours(4)));
        assertThat(before.reminderAt(dispatched, dispatched.plus(Duration.ofHours(3)))).as("no time left to remind").isNull();
    }

    @Test
    void theEscalationLevelRisesWithTheRepeatsAndStaysAtTheTop() {
        DeadlineProperties everyRepeat = DeadlineProperties.defaults();
        assertThat(List.of(everyRepeat.levelOf(0), everyRepeat.levelOf(1), everyRepeat.levelOf(2), everyRepeat.levelOf(9)))
                .containsExactly(1, 2, 3, 3);
        assertThat(everyRepeat.levelName(1)).isEqualTo("部门负责人");
        assertThat(everyRepeat.levelName(3)).isEqualTo("区主要领导");
        DeadlineProperties everySecond = properties(List.of(), new Reminder(0.75, null), 2);
        assertThat(List.of(everySecond.levelOf(0), everySecond.levelOf(1), everySecond.levelOf(2), everySecond.levelOf(3)))
                .containsExactly(1, 1, 2, 2);
    }

    private static Instant deadline(String receivedBeijing, String complexity) {
        return policy(receivedBeijing, DeadlineProperties.defaults()).deadline(complexity, null);
    }

    private static DeadlinePolicy policy(String nowBeijing, DeadlineProperties properties) {
        return new DeadlinePolicy(Clock.fixed(beijing(nowBeijing), Ids.BEIJING), properties, CALENDAR);
    }

    private static DeadlineProperties properties(List<CategoryRule> categoryRules, Reminder reminder, int levelEvery) {
        return new DeadlineProperties("config/holidays.yaml", null, categoryRules, reminder, Duration.ofHours(4),
                null, levelEvery, 5000, 200, null);
    }

    static Instant beijing(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(Ids.BEIJING).toInstant();
    }
}
