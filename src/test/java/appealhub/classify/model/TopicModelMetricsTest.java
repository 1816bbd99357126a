package appealhub.classify.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The evaluator's figures, checked by hand on a tiny confusion matrix, and its fold split. */
class TopicModelMetricsTest {

    @Test
    void perClassFiguresAccuracyAndMacroF1OfAHandMadeConfusionMatrix() {
        // rows: true A, B, C; columns: predicted A, B, C
        int[][] confusion = {
                {5, 1, 0},  // A: support 6
                {2, 3, 1},  // B: support 6
                {0, 0, 0},  // C: no support, predicted once (wrongly)
        };
        Metrics m = Metrics.of(List.of("A", "B", "C"), confusion);
        // A: precision 5/7, recall 5/6; B: precision 3/4, recall 3/6; C: precision 0/1, recall 0
        double pA = 5.0 / 7, rA = 5.0 / 6, fA = 2 * pA * rA / (pA + rA);   // 10/13
        double pB = 3.0 / 4, rB = 3.0 / 6, fB = 2 * pB * rB / (pB + rB);   // 0.6
        assertThat(fA).isCloseTo(10.0 / 13, offset(1e-12));
        assertThat(fB).isCloseTo(0.6, offset(1e-12));
        assertThat(m.perClass().get(0).precision()).isCloseTo(pA, offset(1e-12));
        assertThat(m.perClass().get(0).recall()).isCloseTo(rA, offset(1e-12));
        assertThat(m.perClass().get(0).f1()).isCloseTo(fA, offset(1e-12));
        assertThat(m.perClass().get(0).support()).isEqualTo(6);
        assertThat(m.perClass().get(1).precision()).isCloseTo(0.75, offset(1e-12));
        assertThat(m.perClass().get(1).recall()).isCloseTo(0.5, offset(1e-12));
        assertThat(m.perClass().get(1).f1()).isCloseTo(0.6, offset(1e-12));
        assertThat(m.perClass().get(2).precision()).isZero();
        assertThat(m.perClass().get(2).recall()).isZero();
        assertThat(m.perClass().get(2).f1()).isZero();
        assertThat(m.perClass().get(2).support()).isZero();
        assertThat(m.accuracy()).isCloseTo(8.0 / 12, offset(1e-12));
        assertThat(m.macroF1()).isCloseTo((10.0 / 13 + 0.6 + 0) / 3, offset(1e-12));
    }

    @Test
    void aPerfectMatrixScoresOne() {
        Metrics m = Metrics.of(List.of("x", "y"), new int[][] {{3, 0}, {0, 2}});
        assertThat(m.accuracy()).isEqualTo(1.0);
        assertThat(m.macroF1()).isEqualTo(1.0);
    }

    @Test
    void meanAndSampleStandardDeviation() {
        double[] ms = Metrics.meanSd(new double[] {2, 4, 4, 4, 5, 5, 7, 9});
        assertThat(ms[0]).isCloseTo(5.0, offset(1e-12));
        assertThat(ms[1]).isCloseTo(Math.sqrt(32.0 / 7), offset(1e-12));
    }

    @Test
    void expectedCalibrationError() {
        // bin 0.9: two at 0.95, one right one wrong -> |0.5 - 0.95| * 2/4; bin 0.6: two at 0.6, both right -> |1 - 0.6| * 2/4
        double e = CrossValidation.ece(new double[] {0.95, 0.95, 0.6, 0.6}, new boolean[] {true, false, true, true}, 10);
        assertThat(e).isCloseTo(0.45 * 0.5 + 0.4 * 0.5, offset(1e-12));
    }

    @Test
    void stratifiedFoldsPartitionTheDataAndKeepTheClassMix() {
        List<String> y = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            y.add("big");
        }
        for (int i = 0; i < 5; i++) {
            y.add("small");
        }
        int[][] folds = CrossValidation.stratifiedFolds(y, 5, 42);
        Set<Integer> seen = new HashSet<>();
        for (int[] f : folds) {
            assertThat(f).hasSize(5);
            assertThat(Arrays.stream(f).filter(i -> y.get(i).equals("small")).count()).isEqualTo(1);
            for (int i : f) {
                assertThat(seen.add(i)).isTrue();
            }
        }
        assertThat(seen).hasSize(25);
        assertThat(CrossValidation.stratifiedFolds(y, 5, 42)).isDeepEqualTo(folds);
    }
}
