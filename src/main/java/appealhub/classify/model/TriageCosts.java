package appealhub.classify.model;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * What a placement decision costs (config/model/triage-costs.properties), in units of one
 * manual triage: an appeal placed at the right department costs nothing, a triage costs an
 * operator's look, an appeal sent to the wrong department costs more (that department's time,
 * the return, a triage after all, and days the citizen waits). The triage threshold follows:
 * with calibrated probabilities, placing an appeal of top-class probability p costs
 * (1 - p) · wrong on average against triage for a triage, so triage pays when
 * p &lt; 1 - triage / wrong.
 *
 * @param correct placed at the right department
 * @param triage  sent to manual triage (assumed placed right there)
 * @param wrong   placed at a wrong department
 */
public record TriageCosts(double correct, double triage, double wrong) {

    public static final String DEFAULT_FILE = "config/model/triage-costs.properties";

    public TriageCosts {
        if (!(wrong > triage) || !(triage > correct)) {
            throw new IllegalArgumentException("costs must rise: correct < triage < wrong department");
        }
    }

    public static TriageCosts load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return new TriageCosts(number(p, "correct", file), number(p, "triage", file), number(p, "wrong-department", file));
    }

    private static double number(Properties p, String key, Path file) throws IOException {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IOException(file + ": missing " + key);
        }
        return Double.parseDouble(v.trim());
    }

    /** Triage below this calibrated top-class probability: where both choices cost the same on average. */
    public double bayesThreshold() {
        // place: p·correct + (1-p)·wrong; triage: triage  ->  equal at p = (wrong - triage) / (wrong - correct)
        return (wrong - triage) / (wrong - correct);
    }

    /** Cost per appeal, triage and wrong-department rates when appeals below {@code threshold} go to triage. */
    public record Choice(double threshold, double costPerAppeal, double triageRate, double wrongRate) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "cost %.3f per appeal, triage %.1f %%, wrong department %.1f %%",
                    costPerAppeal, 100 * triageRate, 100 * wrongRate);
        }
    }

    public Choice at(double threshold, double[] confidence, boolean[] correctTop) {
        double cost = 0;
        int triaged = 0;
        int wrongs = 0;
        for (int i = 0; i < confidence.length; i++) {
            if (confidence[i] < threshold) {
                triaged++;
                cost += triage;
            } else if (correctTop[i]) {
                cost += correct;
            } else {
                wrongs++;
                cost += wrong;
            }
        }
        int n = Math.max(1, confidence.length);
        return new Choice(threshold, cost / n, (double) triaged / n, (double) wrongs / n);
    }

    /** The threshold (0.00 to 1.00 in steps of 0.01) of least total cost on these predictions. */
    public Choice best(double[] confidence, boolean[] correctTop) {
        Choice best = null;
        for (int t = 0; t <= 100; t++) {
            Choice c = at(t / 100.0, confidence, correctTop);
            if (best == null || c.costPerAppeal() < best.costPerAppeal() - 1e-12) {
                best = c;
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "(correct %s, triage %s, wrong department %s)",
                ModelSettings.num(correct), ModelSettings.num(triage), ModelSettings.num(wrong));
    }
}
