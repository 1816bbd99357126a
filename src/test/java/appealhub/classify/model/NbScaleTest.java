package appealhub.classify.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import appealhub.classify.model.LabelledAppeals.Example;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NB-scaled features (NBSVM, {@code nbscale=true}): the log-count ratios on a hand-made set, the
 * setting's round trip and limits, and a model whose scaling is folded into its stored weights.
 */
class NbScaleTest {

    @Test
    void logCountRatiosFavourTheClassAFeatureOccursIn() {
        // features: 0 only in class 0, 1 in every message, 2 only in class 1; 2 messages per class
        TopicModelTrainer.Sparse a = new TopicModelTrainer.Sparse(new int[] {0, 1}, new double[] {0.7, 0.7});
        TopicModelTrainer.Sparse b = new TopicModelTrainer.Sparse(new int[] {1, 2}, new double[] {0.7, 0.7});
        double[][] r = TopicModelTrainer.logCountRatios(new TopicModelTrainer.Sparse[] {a, a, b, b}, new int[] {0, 0, 1, 1}, 2, 3);
        // class 0: p = 1 + (2, 2, 0) = (3, 3, 1), |p| = 7; q = 1 + (0, 2, 2) = (1, 3, 3), |q| = 7
        assertThat(r[0][0]).isCloseTo(Math.log(3.0), within(1e-12));
        assertThat(r[0][1]).isCloseTo(0.0, within(1e-12));
        assertThat(r[0][2]).isCloseTo(-Math.log(3.0), within(1e-12));
        // one-vs-rest of two classes: the other class's ratios are the mirror image
        for (int f = 0; f < 3; f++) {
            assertThat(r[1][f]).isCloseTo(-r[0][f], within(1e-12));
        }
        // the counts are binarised: the feature values (0.7) do not enter, only who has the feature
    }

    @Test
    void theSettingRoundTripsAndNeedsALinearLearner() {
        ModelSettings s = ModelSettings.parse("nbscale=true,c=0.25", ModelSettings.FILE_BASE);
        assertThat(s.nbScale()).isTrue();
        assertThat(s.format()).contains("nbscale=true");
        assertThat(ModelSettings.parse(s.format(), ModelSettings.FILE_BASE)).isEqualTo(s);
        assertThat(ModelSettings.parse(s.withNbScale(false).format(), ModelSettings.DEFAULT).nbScale()).isFalse();
        // a file written before the key existed was not NB-scaled
        assertThat(ModelSettings.parse("ngrams=1-2 learner=svm c=0.5", ModelSettings.FILE_BASE).nbScale()).isFalse();
        // the committed settings scale; naming another learner turns it off, asking for both is refused
        assertThat(ModelSettings.DEFAULT.nbScale()).isTrue();
        assertThat(ModelSettings.parse("learner=ft", ModelSettings.DEFAULT).nbScale()).isFalse();
        assertThatThrownBy(() -> ModelSettings.parse("nbscale=true,learner=nb", ModelSettings.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nbscale");
    }

    @Test
    void aModelFileFromBeforeTheKeyLoadsAsNotScaled(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("old.tsv");
        java.nio.file.Files.writeString(file, String.join("\n",
                "appealhub-topic-model\t1",
                "version\tv",
                "settings\tngrams=1-2 words=none title=3 mindf=2 weighting=tfidf learner=ft c=0.5 balanced=true calibrate=true"
                        + " segmented=true maxfeatures=60000 dim=16 epochs=10",
                "labels\ta\tb",
                "probability\tsoftmax\t1",
                "bias\t0\t0",
                "features\t1",
                "x\t1\t1\t-1", ""));
        LinearTopicModel m = LinearTopicModel.load(file);
        assertThat(m.settings().nbScale()).isFalse();
        assertThat(m.settings().learner()).isEqualTo("ft");
        assertThat(m.predict("", "x").get(0).label()).isEqualTo("a");
    }

    @Test
    void anNbScaledModelLearnsTheFixtureAndPredictsTheSameAfterLoading(@TempDir Path dir) throws Exception {
        List<Example> raw = LabelledAppeals.read(TrainingSetTest.FIXTURE);
        TrainingSet set = TrainingSet.of(raw, LabelledAppeals.readSegmented(TrainingSetTest.FIXTURE_WORDS));
        ModelSettings s = ModelSettings.parse("nbscale=true,mindf=1", ModelSettings.DEFAULT);
        List<Map<String, Double>> counts = set.all().stream().map(e -> new FeatureExtractor(s).counts(e.title(), e.content())).toList();
        CrossValidation.Result cv = CrossValidation.run(set, counts, s, 3, 1);
        assertThat(cv.metrics().accuracy()).as("7 classes: chance is about 0.14").isGreaterThan(0.45);

        LinearTopicModel m = TopicModelTrainer.train(set, s, "nb-test");
        // the training messages themselves: the folded weights must still separate them
        long right = raw.stream().filter(e -> m.predict(e.title(), e.content()).get(0).label().equals(e.label())).count();
        assertThat(right).isGreaterThan(raw.size() * 9L / 10);
        Path file = dir.resolve("nb.tsv.gz");
        m.save(file);
        LinearTopicModel loaded = LinearTopicModel.load(file);
        assertThat(loaded.settings().nbScale()).isTrue();
        for (Example e : raw.subList(0, 10)) {
            assertThat(loaded.predict(e.title(), e.content()).get(0).label()).isEqualTo(m.predict(e.title(), e.content()).get(0).label());
        }
    }
}
