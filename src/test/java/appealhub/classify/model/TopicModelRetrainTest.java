package appealhub.classify.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retraining command turns any CSV of labelled appeals (training-file columns) into a loadable model. */
class TopicModelRetrainTest {

    @TempDir
    Path dir;

    @Test
    void retrainingOnACsvWritesALoadableModel() throws Exception {
        Path csv = dir.resolve("resolved-cases.csv");
        StringBuilder b = new StringBuilder("id,user,title,time,content,label\n");
        String[][] rows = {
                {"拖欠工资", "公司拖欠工资三个月，老板跑路", "劳动和社会保障"},
                {"农民工工资被拖欠", "工地包工头拖欠农民工工资不给", "劳动和社会保障"},
                {"社保断缴", "单位不给交社保，拖欠工资", "劳动和社会保障"},
                {"学校乱收费", "学校收取补课费，学生家长不满", "教育文体"},
                {"孩子入学难", "学校不给孩子办理入学，学区已满", "教育文体"},
                {"教师体罚学生", "学校老师体罚学生，家长要求处理", "教育文体"},
                {"道路破损", "道路坑洼，公交车无法通行", "交通运输"},
                {"公交班次少", "公交车班次太少，道路拥堵", "交通运输"},
                {"出租车拒载", "出租车拒载乘客，道路上乱停", "交通运输"},
        };
        int id = 1;
        for (String[] r : rows) {
            // content with a comma, a quote and a line break: RFC 4180 quoting
            b.append(id++).append(",U").append(id).append(',').append(r[0]).append(",2024/5/1 9:00:00,\"\n\t\t")
                    .append(r[1]).append("，\"\"急\"\"\n\",").append(r[2]).append('\n');
        }
        Files.writeString(csv, b, StandardCharsets.UTF_8);
        Path out = dir.resolve("models/retrained.tsv.gz");

        TopicModelTrainer.main(new String[] {"--data", csv.toString(), "--out", out.toString(), "--settings", "mindf=1,c=1"});

        assertThat(out).exists();
        TopicModel m = new FileTopicModel(out.toString(), List.of());
        assertThat(m.labels()).containsExactly("交通运输", "劳动和社会保障", "教育文体");
        assertThat(m.version()).contains("train=resolved-cases.csv", "rows=9", "sha256=" + LabelledAppeals.sha256(csv),
                "mindf=1", "c=1");
        assertThat(m.predict("讨要工资", "老板拖欠工资").get(0).label()).isEqualTo("劳动和社会保障");
        assertThat(m.predict("学校", "孩子入学").get(0).label()).isEqualTo("教育文体");
        assertThat(m.predict("道路", "公交车").get(0).label()).isEqualTo("交通运输");
        assertThat(m.predict("道路", "公交车").stream().mapToDouble(TopicModel.Scored::probability).sum())
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));

        // saved and loaded models predict alike
        LinearTopicModel trained = TopicModelTrainer.train(LabelledAppeals.read(csv),
                ModelSettings.parse("mindf=1,c=1", ModelSettings.DEFAULT), "x");
        List<TopicModel.Scored> a = trained.predict("道路", "公交车");
        List<TopicModel.Scored> c = m.predict("道路", "公交车");
        assertThat(c.get(0).probability()).isCloseTo(a.get(0).probability(), org.assertj.core.data.Offset.offset(1e-3));
    }

    @Test
    void aCsvWithoutTheLabelColumnIsRefusedClearly() throws IOException {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "id,title,content\n1,a,b\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> LabelledAppeals.read(csv)).hasMessageContaining("missing column 'label'");
    }

    @Test
    void aBrokenModelFileIsRefusedWithItsName() throws IOException {
        Path f = dir.resolve("broken.tsv");
        Files.writeString(f, "appealhub-topic-model\t1\nversion\tv\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> new FileTopicModel(f.toString(), List.of())).hasMessageContaining("broken.tsv");
        assertThatThrownBy(() -> new FileTopicModel(dir.resolve("missing.tsv.gz").toString(), List.of()))
                .hasMessageContaining("hub.classifier.model-file");
    }
}
