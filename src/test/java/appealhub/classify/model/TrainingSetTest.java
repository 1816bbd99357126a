package appealhub.classify.model;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.classify.model.LabelledAppeals.Example;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Raw and words-only training rows: words-only rows that are the same message as a raw row are
 * found (so cross-validation does not train on the twin of a test message), near-copies among
 * the raw rows share a fold, and the new learner trains on a small committed fixture
 * (src/test/resources/classify: real messages of the challenge data, cut to 160 characters).
 */
class TrainingSetTest {

    static final Path FIXTURE = Path.of("src/test/resources/classify/messages.fixture.csv");
    static final Path FIXTURE_WORDS = Path.of("src/test/resources/classify/messages.fixture.segmented.csv");

    private static final String A = "小区物业公司长期不作为，楼顶水箱多年不清洗，自来水有很大的霉味，业主多次投诉没有结果，请住建部门督促整改。";
    private static final String B = "学校周末组织学生集体补课，每人收取补课费八百元，不交的学生被老师点名批评，请教育局调查处理乱收费问题。";

    @Test
    void wordsJoinBackWithoutTheirSpaces() {
        assertThat(LabelledAppeals.joinWords("A1 区 小区 物业 2019 06 月")).isEqualTo("A1区小区物业2019 06月");
    }

    @Test
    void aWordsOnlyRowOfARawMessageIsItsTwinAndOtherRowsAreNot() {
        List<Example> raw = List.of(new Example("1", "水箱不清洗", A, "城乡建设"), new Example("2", "学校乱收补课费", B, "教育文体"));
        // what the segmenter makes of message 1: words, stop words (的, 了, 有) gone
        Example twin = new Example("s1", "", LabelledAppeals.joinWords(
                "水箱 清洗 小区 物业公司 长期 不作为 楼顶 水箱 多年 清洗 自来水 很大 霉味 业主 多次 投诉 没有 结果 请 住建 部门 督促 整改"), "城乡建设");
        Example other = new Example("s2", "", LabelledAppeals.joinWords(
                "公交车 班次 太少 一小时 一班 道路 坑洼 不平 希望 增加 公交 班次 修好 道路 方便 群众 出行"), "交通运输");
        TrainingSet set = TrainingSet.of(raw, List.of(twin, other));
        assertThat(set.twins()[0]).containsExactly(0);
        assertThat(set.twins()[1]).isEmpty();
        assertThat(set.segmentedWithTwin()).isEqualTo(1);
        assertThat(set.rawGroup()[0]).isNotEqualTo(set.rawGroup()[1]);
    }

    @Test
    void nearCopiesAmongRawRowsShareAGroupAndAFold() {
        List<Example> raw = new ArrayList<>();
        raw.add(new Example("1", "水箱不清洗", A, "城乡建设"));
        raw.add(new Example("2", "", "再次反映：" + A, "城乡建设")); // the same citizen again
        raw.add(new Example("3", "学校乱收补课费", B, "教育文体"));
        for (int i = 0; i < 9; i++) {
            raw.add(new Example("x" + i, "", "第" + "一二三四五六七八九".charAt(i) + "条：" + (i % 2 == 0 ? "马路上的路灯坏了" : "菜市场卫生很差")
                    + "，已经" + (i + 2) + "个月没人来修，晚上" + "黑暗危险很不方便".substring(0, 2 + i % 6), i % 2 == 0 ? "城乡建设" : "商贸旅游"));
        }
        TrainingSet set = TrainingSet.rawOnly(raw);
        assertThat(set.rawGroup()[0]).isEqualTo(set.rawGroup()[1]);
        assertThat(set.rawGroup()[2]).isNotEqualTo(set.rawGroup()[0]);
        List<String> y = raw.stream().map(Example::label).toList();
        for (long seed = 1; seed <= 5; seed++) {
            int[][] folds = CrossValidation.stratifiedGroupFolds(y, set.rawGroup(), 3, seed);
            Set<Integer> seen = new HashSet<>();
            for (int[] f : folds) {
                Arrays.stream(f).forEach(seen::add);
                boolean has0 = Arrays.stream(f).anyMatch(i -> i == 0);
                boolean has1 = Arrays.stream(f).anyMatch(i -> i == 1);
                assertThat(has0).as("near-copies in one fold").isEqualTo(has1);
            }
            assertThat(seen).hasSize(raw.size());
        }
    }

    @Test
    void onTheFixtureTheWordsOnlyRowsAreFoundAndEveryLearnerBeatsChance() throws Exception {
        List<Example> raw = LabelledAppeals.read(FIXTURE);
        List<Example> words = LabelledAppeals.readSegmented(FIXTURE_WORDS);
        assertThat(raw).hasSize(84);
        assertThat(words).hasSize(42).allSatisfy(e -> assertThat(e.title()).isEmpty());
        TrainingSet set = TrainingSet.of(raw, words);
        for (String learner : List.of("svm", "ft")) {
            ModelSettings s = ModelSettings.parse("learner=" + learner + ",c=" + (learner.equals("ft") ? "0.5" : "0.5")
                    + ",mindf=1,epochs=20", ModelSettings.DEFAULT);
            List<java.util.Map<String, Double>> counts = set.all().stream()
                    .map(e -> new FeatureExtractor(s).counts(e.title(), e.content())).toList();
            CrossValidation.Result r = CrossValidation.run(set, counts, s, 3, 1);
            // 7 classes: chance is about 0.14
            assertThat(r.metrics().accuracy()).as(learner).isGreaterThan(0.45);
            assertThat(r.metrics().labels()).hasSize(7);
        }
    }

    @Test
    void theFastTextStyleModelIsStoredAsALinearModelThatPredictsAlike(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        List<Example> raw = LabelledAppeals.read(FIXTURE);
        ModelSettings s = ModelSettings.parse("learner=ft,c=0.5,dim=8,epochs=15,mindf=1,calibrate=true", ModelSettings.DEFAULT);
        LinearTopicModel m = TopicModelTrainer.train(TrainingSet.of(raw, LabelledAppeals.readSegmented(FIXTURE_WORDS)), s, "ft-test");
        assertThat(m.temperature()).isPositive();
        Path file = dir.resolve("ft.tsv.gz");
        m.save(file);
        LinearTopicModel loaded = LinearTopicModel.load(file);
        assertThat(loaded.settings().learner()).isEqualTo("ft");
        Example e = raw.get(0);
        assertThat(loaded.predict(e.title(), e.content()).get(0).label()).isEqualTo(m.predict(e.title(), e.content()).get(0).label());
        assertThat(loaded.predict(e.title(), e.content()).get(0).probability())
                .isCloseTo(m.predict(e.title(), e.content()).get(0).probability(), org.assertj.core.data.Offset.offset(1e-3));
    }
}
