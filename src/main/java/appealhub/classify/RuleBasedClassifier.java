package appealhub.classify;

import appealhub.model.Appeal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * A first, honest placement: department topics and township names/places from the
 * organisation registry, matched as words in the appeal's text and address. What it
 * cannot place goes to manual triage. A learned classifier replaces it behind
 * {@link AppealClassifier}.
 */
@Component
public class RuleBasedClassifier implements AppealClassifier {

    static final List<String> EMERGENCY_WORDS = List.of("火灾", "着火", "起火", "失火", "燃气泄漏", "煤气泄漏", "漏气",
            "爆炸", "坍塌", "倒塌", "塌方", "溺水", "洪水", "内涝", "被淹", "触电", "自杀", "轻生", "跳楼", "持刀", "砍人",
            "打人致伤", "中毒", "危化品泄漏");
    static final List<String> VIOLATION_WORDS = List.of("违法", "违规", "非法", "违章", "举报", "私搭乱建", "无证经营",
            "偷排", "乱排", "超载", "黑车", "诈骗", "造假");
    static final List<String> DISPUTE_WORDS = List.of("纠纷", "矛盾", "争吵", "打架", "斗殴", "拖欠", "欠薪", "讨薪",
            "不给退", "拒不", "协商不成", "调解");

    private final OrganizationRegistry registry;

    public RuleBasedClassifier(OrganizationRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Placement classify(Appeal appeal) {
        String text = nz(appeal.title()) + " " + nz(appeal.content());
        Map<String, Object> why = new LinkedHashMap<>();
        why.put("classifier", "rules-v1");

        String category = category(appeal, text, why);
        String urgency = appeal.urgentHint() || "应急处置".equals(category) ? "urgent" : "normal";

        // Department by topic words: each matched topic scores its length (longer words are more specific).
        List<Map.Entry<OrganizationRegistry.Department, Integer>> scored = new ArrayList<>();
        for (OrganizationRegistry.Department d : registry.departments()) {
            int score = 0;
            List<String> hits = new ArrayList<>();
            for (String topic : d.topics()) {
                if (text.contains(topic)) {
                    score += topic.length();
                    hits.add(topic);
                }
            }
            if (score > 0) {
                scored.add(Map.entry(d, score));
                why.put("topics." + d.code(), hits);
            }
        }
        scored.sort(Map.Entry.<OrganizationRegistry.Department, Integer>comparingByValue(Comparator.reverseOrder())
                .thenComparing(e -> e.getKey().code()));

        String township = township(appeal, why);
        String lead = null;
        String topic = null;
        List<String> co = new ArrayList<>();
        double confidence;
        if (!scored.isEmpty()) {
            var best = scored.get(0);
            lead = best.getKey().code();
            topic = firstTopicHit(best.getKey(), text);
            // Other departments matching nearly as strongly share the matter (joint handling).
            for (var e : scored.subList(1, scored.size())) {
                if (co.size() < 2 && e.getValue() * 10 >= best.getValue() * 6) co.add(e.getKey().code());
            }
            confidence = Math.min(0.95, 0.5 + 0.1 * best.getValue());
            why.put("rule", "department-topic");
        } else if (township != null) {
            // A local matter without a department topic: the township handles it.
            lead = township;
            confidence = 0.5;
            why.put("rule", "township-local-matter");
        } else {
            confidence = 0.0;
            why.put("rule", "unplaced");
        }

        String complexity = "01".equals(appeal.channelType()) ? "consult" : co.isEmpty() ? "general" : "complex";
        return new Placement(category, topic, lead, List.copyOf(co), township, urgency, complexity, confidence, why);
    }

    private static String category(Appeal appeal, String text, Map<String, Object> why) {
        String hit;
        if ((hit = firstHit(text, EMERGENCY_WORDS)) != null) {
            why.put("category.rule", "emergency-word:" + hit);
            return "应急处置";
        }
        if ("04".equals(appeal.channelType()) || (hit = firstHit(text, VIOLATION_WORDS)) != null) {
            why.put("category.rule", hit == null ? "channel-type:举报" : "violation-word:" + hit);
            return "违法违规";
        }
        if ((hit = firstHit(text, DISPUTE_WORDS)) != null) {
            why.put("category.rule", "dispute-word:" + hit);
            return "矛盾纠纷";
        }
        why.put("category.rule", "default");
        return "民生服务";
    }

    /** Township from the address first (names, names without 镇/乡, then places), then from the text. */
    private String township(Appeal appeal, Map<String, Object> why) {
        if (appeal.location() != null && appeal.location().townshipCode() != null) {
            why.put("township.evidence", "channel");
            return appeal.location().townshipCode();
        }
        String address = appeal.location() == null ? "" : nz(appeal.location().address());
        String found = townshipIn(address);
        if (found != null) {
            why.put("township.evidence", "address");
            return found;
        }
        found = townshipIn(nz(appeal.title()) + " " + nz(appeal.content()));
        if (found != null) why.put("township.evidence", "text");
        return found;
    }

    private String townshipIn(String text) {
        if (text.isBlank()) return null;
        // The district's own name (冀州区) must not read as the township 冀州(镇).
        text = text.replace(registry.district().name(), " ");
        for (OrganizationRegistry.Township t : registry.townships()) {
            if (text.contains(t.name())) return t.code();
        }
        for (OrganizationRegistry.Township t : registry.townships()) {
            String bare = t.name().replaceAll("[镇乡]$", "");
            if (bare.length() >= 2 && text.contains(bare)) return t.code();
        }
        for (OrganizationRegistry.Township t : registry.townships()) {
            for (String place : t.places()) {
                String bare = place.replaceAll("(村|社区)$", "");
                if (text.contains(place) || (bare.length() >= 2 && text.contains(bare))) return t.code();
            }
        }
        return null;
    }

    private static String firstTopicHit(OrganizationRegistry.Department d, String text) {
        return d.topics().stream().filter(text::contains).max(Comparator.comparingInt(String::length)).orElse(null);
    }

    private static String firstHit(String text, List<String> words) {
        return words.stream().filter(text::contains).findFirst().orElse(null);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
