package appealhub.classify;

import appealhub.classify.model.TopicModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for the learned model: a text containing a cue word gets that cue's class with the
 * cue's probability (the rest shared by the other classes); any other text gets an undecided
 * spread (top class 0.25). Deterministic, so tests can aim at each routing path.
 */
public final class FakeTopicModel implements TopicModel {
    public static final List<String> LABELS = List.of("劳动和社会保障", "城乡建设", "教育文体", "卫生计生", "交通运输", "商贸旅游", "环境保护");

    /** cue word → (class, probability), first match wins. */
    private final Map<String, Map.Entry<String, Double>> cues = new LinkedHashMap<>();

    public FakeTopicModel() {
        cue("【低】", "城乡建设", 0.30);
        cue("工厂", "环境保护", 0.85);
        cue("黑烟", "环境保护", 0.85);
        cue("公路", "交通运输", 0.80);
        cue("班车", "交通运输", 0.80);
        cue("课本", "教育文体", 0.80);
        cue("辅导班", "教育文体", 0.80);
        cue("工资", "劳动和社会保障", 0.85);
        cue("购物卡", "商贸旅游", 0.80);
        cue("超市", "商贸旅游", 0.75);
        cue("诊所", "卫生计生", 0.80);
        cue("小区", "城乡建设", 0.70);
        cue("戏台", "城乡建设", 0.70);
        cue("道路", "城乡建设", 0.65);
        cue("路灯", "城乡建设", 0.80);
    }

    public FakeTopicModel cue(String word, String label, double p) {
        cues.put(word, Map.entry(label, p));
        return this;
    }

    @Override
    public List<Scored> predict(String title, String content) {
        String text = (title == null ? "" : title) + " " + (content == null ? "" : content);
        for (var e : cues.entrySet()) {
            if (text.contains(e.getKey())) return spread(e.getValue().getKey(), e.getValue().getValue());
        }
        return spread("城乡建设", 0.25);
    }

    private static List<Scored> spread(String top, double p) {
        List<Scored> out = new ArrayList<>();
        double rest = (1 - p) / (LABELS.size() - 1);
        for (String l : LABELS) out.add(new Scored(l, l.equals(top) ? p : rest));
        out.sort(Comparator.comparingDouble(Scored::probability).reversed());
        return out;
    }

    @Override
    public List<String> labels() {
        return LABELS;
    }

    @Override
    public String version() {
        return "fake-1";
    }
}
