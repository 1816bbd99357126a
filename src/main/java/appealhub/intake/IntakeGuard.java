package appealhub.intake;

import appealhub.model.Appeal;
import appealhub.model.AppealLimits;
import java.util.function.Function;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * How every channel takes one normalized appeal in without poison looping: the appeal is
 * checked against the store's column limits first ({@link AppealLimits}), and an integrity
 * error of the store while taking it in (a value the database refuses) is that item's fault,
 * not the hub's: both become the channel's own "bad item" exception, which each connector
 * already turns into an INVALID raw item with the reason plus its channel's answer (HTTP 400,
 * errors file, dead-letter queue...). Never a 500, a redelivery or a stuck pull.
 *
 * <p>The duplicate-key race of one item arriving twice at once is settled inside
 * {@link IntakeService} (it answers the other's appeal): what reaches here is not that race.
 * Other failures (database or broker down) are the hub's and propagate as before, so the
 * item is retried.
 */
public final class IntakeGuard {
    private IntakeGuard() {}

    /**
     * @param refuse the channel's bad-item exception, built from the reason
     * @throws RuntimeException what {@code refuse} built, when the appeal cannot be stored
     */
    public static IntakeService.Result take(IntakeService intake, Appeal appeal,
                                            Function<String, ? extends RuntimeException> refuse) {
        return take(intake, appeal, AppealLimits.Violation::message, refuse);
    }

    /** The same, with the channel's own wording of a field over its limit (e.g. its field names, its language). */
    public static IntakeService.Result take(IntakeService intake, Appeal appeal,
                                            Function<AppealLimits.Violation, String> describe,
                                            Function<String, ? extends RuntimeException> refuse) {
        var violation = AppealLimits.check(appeal);
        if (violation.isPresent()) throw refuse.apply(describe.apply(violation.get()));
        try {
            return intake.intake(appeal);
        } catch (DataIntegrityViolationException e) {
            throw refuse.apply(reason(e));
        }
    }

    /**
     * What the database refused, for the raw item, the sender and the logs: its first line,
     * without the SQL statement and with the quoted values left out (they may be personal data).
     */
    public static String reason(DataIntegrityViolationException e) {
        Throwable cause = e.getMostSpecificCause();
        String m = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        int cut = m.indexOf("; SQL statement");
        if (cut >= 0) m = m.substring(0, cut);
        m = m.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse(m);
        m = m.replaceAll("'(?:[^']|'')*'", "'…'");
        return "cannot be stored: " + AppealLimits.truncate(m, 300);
    }
}
