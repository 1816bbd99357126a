package appealhub.classify.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Temperature scaling, calibration error and the triage threshold a cost table implies. */
class CalibrationTest {

    /** Scores whose true class is drawn from softmax(t0 · score): the fit must find t0 again. */
    @Test
    void temperatureScalingRecoversTheTemperatureTheLabelsWereDrawnWith() {
        Random rnd = new Random(3);
        int n = 20_000;
        double t0 = 2.5;
        double[][] scores = new double[n][];
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            double[] s = new double[4];
            for (int c = 0; c < 4; c++) {
                s[c] = rnd.nextGaussian();
            }
            double[] p = LinearTopicModel.toProbabilities(s, "softmax", t0);
            double u = rnd.nextDouble();
            int c = 0;
            while (c < 3 && (u -= p[c]) > 0) {
                c++;
            }
            scores[i] = s;
            truth[i] = c;
        }
        double t = Calibration.fitTemperature(scores, truth);
        assertThat(t).isCloseTo(t0, offset(0.15));
        // the fitted temperature is a minimum of the log-loss
        assertThat(Calibration.logLoss(scores, truth, t)).isLessThan(Calibration.logLoss(scores, truth, t * 1.2))
                .isLessThan(Calibration.logLoss(scores, truth, t / 1.2));
    }

    @Test
    void expectedCalibrationErrorIsZeroWhenConfidenceMatchesAccuracy() {
        // bin 0.7-0.8: ten at 0.75, 7.5 right is impossible, so twenty at 0.75 with 15 right
        double[] conf = new double[20];
        boolean[] hit = new boolean[20];
        for (int i = 0; i < 20; i++) {
            conf[i] = 0.75;
            hit[i] = i < 15;
        }
        assertThat(Calibration.ece(conf, hit, 10)).isCloseTo(0, offset(1e-12));
        hit[15] = true; // 16 of 20 right at 0.75: |0.8 - 0.75|
        assertThat(Calibration.ece(conf, hit, 10)).isCloseTo(0.05, offset(1e-12));
    }

    @Test
    void theCostTableSetsTheTriageThreshold() {
        TriageCosts costs = new TriageCosts(0, 1, 4);
        // placing at p costs (1 - p) * 4 on average, a triage 1: equal at p = 0.75
        assertThat(costs.bayesThreshold()).isCloseTo(0.75, offset(1e-12));
        assertThat(new TriageCosts(0, 1, 10).bayesThreshold()).isCloseTo(0.9, offset(1e-12));

        double[] conf = {0.95, 0.9, 0.85, 0.6, 0.55, 0.5};
        boolean[] hit = {true, true, true, false, true, false};
        TriageCosts.Choice none = costs.at(0, conf, hit);
        assertThat(none.costPerAppeal()).isCloseTo(8.0 / 6, offset(1e-12)); // two wrong x 4
        assertThat(none.wrongRate()).isCloseTo(2.0 / 6, offset(1e-12));
        TriageCosts.Choice best = costs.best(conf, hit);
        // triage the three below 0.85: cost 3 x 1 instead of 2 x 4
        assertThat(best.costPerAppeal()).isCloseTo(3.0 / 6, offset(1e-12));
        assertThat(best.triageRate()).isCloseTo(0.5, offset(1e-12));
        assertThat(best.threshold()).isGreaterThan(0.6).isLessThanOrEqualTo(0.85);
    }

    @Test
    void theCommittedCostTableIsReadable() throws Exception {
        TriageCosts costs = TriageCosts.load(java.nio.file.Path.of(TriageCosts.DEFAULT_FILE));
        assertThat(costs.wrong()).isGreaterThan(costs.triage());
        assertThat(costs.bayesThreshold()).isBetween(0.0, 1.0);
        assertThatThrownBy(() -> new TriageCosts(0, 2, 1)).hasMessageContaining("costs must rise");
    }
}
