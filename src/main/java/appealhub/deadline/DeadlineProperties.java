package appealhub.deadline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hub.deadlines}: the deadline policy, the working-day calendar and the timers
 * (docs/deadlines.md). Defaults here equal the shipped config/application.yml values.
 */
@ConfigurationProperties(prefix = "hub.deadlines")
public record DeadlineProperties(
        /** Working-day calendar: holidays and make-up working days per year. */
        @DefaultValue("config/holidays.yaml") String calendar,
        /** Time allowed per complexity (consult, general, complex); an unknown complexity counts as general. */
        Map<String, Allowance> rules,
        /** Optional: a category (民生服务, 矛盾纠纷, 违法违规, 应急处置) with its own time, optionally for one complexity only. */
        List<CategoryRule> categoryRules,
        Reminder reminder,
        /** The escalation at the deadline repeats this often until the task is resolved or returned. */
        @DefaultValue("4h") Duration escalationRepeat,
        /** Who an escalation goes up to; level 1 is the first. Repeats climb the list and stay at its end. */
        @DefaultValue({"部门负责人", "分管区领导", "区主要领导"}) List<String> escalationLevels,
        /** The level rises every this many repeats (1: every repeat). */
        @DefaultValue("1") int escalationLevelEvery,
        /** How often due timers are looked for. */
        @DefaultValue("5000") long scanPeriodMs,
        /** Most timers fired per scan (the rest wait for the next one). */
        @DefaultValue("200") int scanBatch,
        /**
         * Optional end of the working day (Beijing time, e.g. 17:30): a matter received after it
         * counts as received the next day, so a consultation arriving at 23:00 is not due within
         * the hour. Unset: the day of receipt is the calendar day. Not for hours-based rules.
         */
        java.time.LocalTime dayCutOff) {

    public enum Unit { SAME_DAY, HOURS, WORKING_DAYS, CALENDAR_DAYS }

    /** How long a matter has: {@code amount} of {@code unit} (amount is ignored for same-day). */
    public record Allowance(@DefaultValue("0") int amount, Unit unit) {}

    public record CategoryRule(String category, String complexity, @DefaultValue("0") int amount, Unit unit) {
        public Allowance allowance() {
            return new Allowance(amount, unit);
        }
    }

    /**
     * When a department is reminded: {@code before} the deadline when set, else when
     * {@code fraction} of the time from dispatch to the deadline has passed.
     */
    public record Reminder(@DefaultValue("0.75") double fraction, Duration before) {}

    public DeadlineProperties {
        Map<String, Allowance> merged = new java.util.LinkedHashMap<>(defaultRules());
        if (rules != null) merged.putAll(rules);
        rules = Map.copyOf(merged);
        categoryRules = categoryRules == null ? List.of() : List.copyOf(categoryRules);
        if (reminder == null) reminder = new Reminder(0.75, null);
        if (escalationLevels == null || escalationLevels.isEmpty()) escalationLevels = List.of("部门负责人", "分管区领导", "区主要领导");
        List<String> errors = new ArrayList<>();
        rules.forEach((complexity, a) -> {
            if (a == null || a.unit() == null) errors.add("rules." + complexity + ".unit is required");
            else if (a.amount() < 0) errors.add("rules." + complexity + ".amount must not be negative");
        });
        for (int i = 0; i < categoryRules.size(); i++) {
            CategoryRule r = categoryRules.get(i);
            if (r.category() == null || r.category().isBlank()) errors.add("category-rules[" + i + "].category is required");
            if (r.unit() == null) errors.add("category-rules[" + i + "].unit is required");
            if (r.amount() < 0) errors.add("category-rules[" + i + "].amount must not be negative");
        }
        if (reminder.fraction() <= 0 || reminder.fraction() >= 1) errors.add("reminder.fraction must be between 0 and 1");
        if (reminder.before() != null && reminder.before().isNegative()) errors.add("reminder.before must not be negative");
        if (escalationRepeat == null || escalationRepeat.compareTo(Duration.ofMinutes(1)) < 0) {
            errors.add("escalation-repeat must be at least 1 minute");
        }
        if (escalationLevelEvery < 1) errors.add("escalation-level-every must be at least 1");
        if (scanPeriodMs < 100) errors.add("scan-period-ms must be at least 100");
        if (scanBatch < 1) errors.add("scan-batch must be at least 1");
        if (!errors.isEmpty()) throw new IllegalArgumentException("hub.deadlines: " + String.join("; ", errors));
    }

    /** The "123" rule: consultations the same working day, general matters 2 working days, complex 3. */
    public static Map<String, Allowance> defaultRules() {
        return Map.of("consult", new Allowance(0, Unit.SAME_DAY),
                "general", new Allowance(2, Unit.WORKING_DAYS),
                "complex", new Allowance(3, Unit.WORKING_DAYS));
    }

    /** The shipped defaults (unit tests use them without Spring). */
    public static DeadlineProperties defaults() {
        return new DeadlineProperties("config/holidays.yaml", null, null, null, Duration.ofHours(4),
                null, 1, 5000, 200, null);
    }

    /** Escalation level (1-based) of the escalation in repeat slot {@code slot} (0 at the deadline). */
    public int levelOf(long slot) {
        return (int) Math.min(escalationLevels.size(), slot / escalationLevelEvery + 1);
    }

    public String levelName(int level) {
        return escalationLevels.get(level - 1);
    }
}
