package appealhub.deadline;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Working days of the district: Monday to Friday, minus public holidays, plus make-up
 * working days (调休上班), from the State Council's yearly notice kept in config/holidays.yaml.
 * A year the file does not list falls back to Monday to Friday minus the fixed-date statutory
 * holidays, with a warning once per year: the next year's notice must be added.
 */
public final class WorkingCalendar {
    private static final Logger log = LoggerFactory.getLogger(WorkingCalendar.class);

    record File(@JsonProperty("fixed-date-holidays") List<String> fixedDateHolidays, Map<Integer, Year> years) {}

    record Year(String source, List<Holiday> holidays) {}

    record Holiday(String name, LocalDate from, LocalDate to, List<LocalDate> workdays) {}

    private final Set<LocalDate> holidays;
    private final Set<LocalDate> makeUpWorkdays;
    private final Set<Integer> years;
    private final Set<MonthDay> fixedDateHolidays;
    private final Set<Integer> warned = ConcurrentHashMap.newKeySet();

    WorkingCalendar(Set<LocalDate> holidays, Set<LocalDate> makeUpWorkdays, Set<Integer> years, Set<MonthDay> fixedDateHolidays) {
        this.holidays = Set.copyOf(holidays);
        this.makeUpWorkdays = Set.copyOf(makeUpWorkdays);
        this.years = Set.copyOf(years);
        this.fixedDateHolidays = Set.copyOf(fixedDateHolidays);
    }

    /** Reads and checks the calendar file; every mistake is named, with the holiday it is in. */
    public static WorkingCalendar load(Path path) {
        File file;
        try {
            ObjectMapper yaml = new ObjectMapper(new YAMLFactory()).registerModule(new JavaTimeModule())
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
            file = yaml.readValue(Files.readAllBytes(path), File.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read holiday calendar " + path + ": " + e.getMessage(), e);
        }
        List<String> errors = new ArrayList<>();
        Set<LocalDate> holidays = new HashSet<>();
        Set<LocalDate> workdays = new HashSet<>();
        Map<Integer, Year> years = file.years() == null ? Map.of() : new TreeMap<>(file.years());
        for (Map.Entry<Integer, Year> y : years.entrySet()) {
            int year = y.getKey();
            List<Holiday> list = y.getValue() == null || y.getValue().holidays() == null ? List.of() : y.getValue().holidays();
            if (list.isEmpty()) errors.add(year + ": no holidays listed");
            for (Holiday h : list) {
                String at = year + " " + h.name();
                if (h.from() == null || h.to() == null) {
                    errors.add(at + ": from and to are required");
                    continue;
                }
                if (h.from().getYear() != year || h.to().getYear() != year) errors.add(at + ": dates must lie in " + year);
                if (h.to().isBefore(h.from())) errors.add(at + ": to " + h.to() + " is before from " + h.from());
                for (LocalDate d = h.from(); !d.isAfter(h.to()); d = d.plusDays(1)) holidays.add(d);
                for (LocalDate w : h.workdays() == null ? List.<LocalDate>of() : h.workdays()) {
                    if (!isWeekend(w)) errors.add(at + ": make-up working day " + w + " is not a Saturday or Sunday");
                    if (w.getYear() != year) errors.add(at + ": make-up working day " + w + " must lie in " + year);
                    workdays.add(w);
                }
            }
        }
        for (LocalDate w : workdays) if (holidays.contains(w)) errors.add(w + " is both a holiday and a make-up working day");
        Set<MonthDay> fixed = new HashSet<>();
        for (String md : file.fixedDateHolidays() == null ? List.<String>of() : file.fixedDateHolidays()) {
            try {
                fixed.add(MonthDay.parse("--" + md));
            } catch (DateTimeParseException e) {
                errors.add("fixed-date-holidays: " + md + " is not MM-dd");
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException("holiday calendar " + path + " is wrong: " + String.join("; ", errors));
        }
        log.info("holiday calendar {}: years {}, {} holidays, {} make-up working days",
                path, years.keySet(), holidays.size(), workdays.size());
        return new WorkingCalendar(holidays, workdays, years.keySet(), fixed);
    }

    public boolean isWorkingDay(LocalDate day) {
        if (!years.contains(day.getYear())) {
            if (warned.add(day.getYear())) {
                log.warn("holiday calendar has no year {}: counting Monday to Friday minus fixed-date holidays; "
                        + "add the State Council's notice for {} to the calendar file", day.getYear(), day.getYear());
            }
            return !isWeekend(day) && !fixedDateHolidays.contains(MonthDay.from(day));
        }
        if (makeUpWorkdays.contains(day)) return true;
        return !isWeekend(day) && !holidays.contains(day);
    }

    /** The day itself when it is a working day, else the next working day. */
    public LocalDate thisOrNextWorkingDay(LocalDate day) {
        LocalDate d = day;
        while (!isWorkingDay(d)) d = d.plusDays(1);
        return d;
    }

    /** The n-th working day after {@code day} (the day itself not counted); n = 0 is {@link #thisOrNextWorkingDay}. */
    public LocalDate plusWorkingDays(LocalDate day, int n) {
        if (n <= 0) return thisOrNextWorkingDay(day);
        LocalDate d = day;
        for (int counted = 0; counted < n; ) {
            d = d.plusDays(1);
            if (isWorkingDay(d)) counted++;
        }
        return d;
    }

    /** Whether the calendar file lists this year (else the fallback, with a warning). */
    public boolean covers(int year) {
        return years.contains(year);
    }

    private static boolean isWeekend(LocalDate d) {
        return d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY;
    }
}
