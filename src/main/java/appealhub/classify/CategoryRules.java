package appealhub.classify;

import appealhub.model.Appeal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Category (民生服务, 矛盾纠纷, 违法违规, 应急处置), urgency and complexity of an appeal from words
 * of its text plus the channels' own hints used as features (12345 sqlx/sfjj, mini-program
 * category, grid eventType/severity, 督查类别, board typeName). A hint adds weight, it does not
 * decide: words of the text outweigh a single hint, and the confidence says when they disagree.
 * Emergency words are many and loose on purpose (recall first): any one marks 应急处置, urgent.
 */
public final class CategoryRules {
    public static final String SERVICE = "民生服务";
    public static final String DISPUTE = "矛盾纠纷";
    public static final String VIOLATION = "违法违规";
    public static final String EMERGENCY = "应急处置";
    public static final List<String> CATEGORIES = List.of(SERVICE, DISPUTE, VIOLATION, EMERGENCY);

    /** Fire, gas, explosion, violence, self-harm, collapse, flooding, electrocution, poisoning, people trapped. */
    static final List<String> EMERGENCY_WORDS = List.of(
            // fire
            "火灾", "火災", "着火", "著火", "起火", "失火", "火情", "大火", "明火", "浓烟", "烧起来", "火苗", "火势",
            // gas
            "燃气泄漏", "燃气泄露", "煤气泄漏", "煤气泄露", "天然气泄漏", "天然气泄露", "液化气泄漏", "液化气泄露",
            "瓦斯", "漏气", "煤气味", "燃气味", "天然气味", "闻到煤气", "闻到燃气", "一氧化碳", "煤气中毒",
            // explosion
            "爆炸", "炸了", "爆燃",
            // violence
            "持刀", "砍人", "杀人", "行凶", "持械", "打伤", "殴打", "伤人", "家暴", "家庭暴力", "正在打架", "打起来了", "绑架", "劫持",
            // self-harm
            "自杀", "轻生", "跳楼", "跳河", "割腕", "服毒", "喝农药", "寻短见", "不想活", "上吊", "自残", "寻死",
            // collapse
            "坍塌", "倒塌", "塌方", "垮塌", "塌陷", "塌了", "要塌",
            // flooding, drowning
            "洪水", "内涝", "被淹", "淹了", "决堤", "溃堤", "漫堤", "倒灌", "溺水", "落水",
            // electricity, chemicals, poisoning, trapped, life at risk
            "触电", "电线掉落", "电线落地", "中毒", "危化品泄漏", "化学品泄漏", "泄漏有毒", "被困", "困在电梯", "电梯困人",
            "生命危险", "危及生命", "昏迷", "晕倒", "快救人", "车祸", "撞伤");
    /** Variants the word list cannot enumerate: a gas source then a leak, a structure then a collapse. */
    static final List<Pattern> EMERGENCY_PATTERNS = List.of(
            Pattern.compile("(燃气|煤气|天然气|液化气|沼气|气罐|气瓶|管道气)[^，。！？,.!?]{0,4}(泄漏|泄露|漏气|漏了)"),
            Pattern.compile("(房子|房屋|墙|屋顶|楼|桥|路面|地面|棚)[^，。！？,.!?]{0,3}塌"),
            Pattern.compile("(着|起|失)[了大]?火"));
    static final List<String> VIOLATION_WORDS = List.of("违法", "违规", "非法", "违章", "举报", "私搭乱建", "乱搭乱建",
            "违建", "无证经营", "无照经营", "偷排", "乱排", "直排", "超标排放", "超载", "黑车", "诈骗", "造假", "假冒",
            "乱收费", "强制收费", "偷税", "漏税", "传销", "赌博", "吸毒", "盗窃", "偷盗", "非法集资", "过期食品", "占道经营",
            "克扣", "冒领", "骗保", "套取");
    static final List<String> DISPUTE_WORDS = List.of("纠纷", "矛盾", "争吵", "争执", "吵架", "打架", "斗殴", "口角",
            "拖欠", "欠薪", "讨薪", "欠款", "不给退", "拒不", "协商不成", "调解", "扯皮", "冲突", "索赔", "不予赔偿",
            "退款", "退费", "霸占", "边界");
    static final List<String> URGENT_WORDS = List.of("紧急", "十万火急", "危急", "情况危险", "走失", "失踪", "孩子丢了",
            "老人丢了", "断水断电", "无人照料");
    static final List<String> CONSULT_WORDS = List.of("咨询", "请问", "如何办理", "怎么办理", "怎样办理", "需要什么材料",
            "需要哪些材料", "是否可以", "能否", "在哪里办", "怎么申请", "如何申请", "政策是什么");
    static final List<String> COMPLEX_WORDS = List.of("多次反映", "反复反映", "多年", "长期", "至今未解决", "一直没有解决",
            "一直未解决", "一直没解决", "互相推诿", "推诿", "踢皮球", "集体", "群体", "多户", "几十户", "上百户", "全村", "整个小区",
            "多个部门");

    private CategoryRules() {}

    /** One decided dimension: value, confidence and what decided it. */
    public record Decision(String value, double confidence, String rule) {}

    /** The category with its scores; hints and words that counted go to {@code why}. */
    public static Decision category(Appeal a, String text, Map<String, Object> why) {
        Map<String, Double> score = new LinkedHashMap<>();
        score.put(SERVICE, 1.0); // the default: most appeals ask for a service
        score.put(DISPUTE, 0.3);
        score.put(VIOLATION, 0.3);
        score.put(EMERGENCY, 0.3);
        List<String> evidence = new ArrayList<>();

        String emergency = emergencyIn(text);
        if (emergency != null) add(score, EMERGENCY, 6.0, evidence, "emergency-word:" + emergency);
        List<String> hits;
        hits = hits(text, VIOLATION_WORDS);
        if (!hits.isEmpty()) add(score, VIOLATION, 2.0 + 0.5 * Math.min(2, hits.size() - 1), evidence, "violation-word:" + String.join("/", hits));
        hits = hits(text, DISPUTE_WORDS);
        if (!hits.isEmpty()) add(score, DISPUTE, 2.0 + 0.5 * Math.min(2, hits.size() - 1), evidence, "dispute-word:" + String.join("/", hits));

        // Channel hints: features, not verdicts. A 12345 operator's type (sqlx) or a grid worker's eventType
        // weighs a little more than the default alone; a citizen's own pick (mini-program) less; one word of
        // the text outweighs any single hint.
        Map<String, String> f = a.channelFields() == null ? Map.of() : a.channelFields();
        String channel = a.firstSource() == null ? "" : a.firstSource().channel();
        String typeCode = "hotline12345".equals(channel) ? f.getOrDefault("sqlx", a.channelType()) : null;
        if (typeCode != null) {
            switch (typeCode) {
                case "04" -> add(score, VIOLATION, 1.2, evidence, "hint:sqlx=04 举报");
                case "03" -> add(score, DISPUTE, 0.4, evidence, "hint:sqlx=03 投诉");
                case "01", "02", "05", "06" -> add(score, SERVICE, 0.5, evidence, "hint:sqlx=" + typeCode);
                default -> { }
            }
        }
        if ("1".equals(f.get("sfjj"))) add(score, EMERGENCY, 0.8, evidence, "hint:sfjj=1");
        String typeName = f.get("typeName");
        if (typeName != null) {
            if (typeName.contains("举报")) add(score, VIOLATION, 1.2, evidence, "hint:typeName=" + typeName);
            else if (typeName.contains("投诉")) add(score, DISPUTE, 0.4, evidence, "hint:typeName=" + typeName);
            else add(score, SERVICE, 0.5, evidence, "hint:typeName=" + typeName);
        }
        String mp = "miniprogram".equals(channel) ? f.get("category") : null;
        if (mp != null) {
            switch (mp) {
                case "dispute" -> add(score, DISPUTE, 0.6, evidence, "hint:category=dispute");
                case "wage" -> add(score, DISPUTE, 0.5, evidence, "hint:category=wage");
                case "safety" -> add(score, EMERGENCY, 0.6, evidence, "hint:category=safety");
                default -> add(score, SERVICE, 0.3, evidence, "hint:category=" + mp);
            }
        }
        String eventType = f.get("eventType");
        if (eventType != null) {
            switch (eventType) {
                case "矛盾纠纷" -> add(score, DISPUTE, 1.2, evidence, "hint:eventType=矛盾纠纷");
                case "安全隐患" -> add(score, "3".equals(f.get("severity")) ? EMERGENCY : VIOLATION,
                        "3".equals(f.get("severity")) ? 1.2 : 0.4, evidence, "hint:eventType=安全隐患");
                default -> add(score, SERVICE, 0.5, evidence, "hint:eventType=" + eventType);
            }
        }
        if ("3".equals(f.get("severity"))) add(score, EMERGENCY, 0.6, evidence, "hint:severity=3");
        String supervision = f.get("督查类别");
        if (supervision != null) {
            if (supervision.contains("民生") || supervision.contains("政务服务")) add(score, SERVICE, 0.5, evidence, "hint:督查类别=" + supervision);
            else if (supervision.contains("营商环境")) add(score, VIOLATION, 0.4, evidence, "hint:督查类别=" + supervision);
        }

        String best = SERVICE;
        // Ties go to the more serious category.
        for (String c : List.of(EMERGENCY, VIOLATION, DISPUTE, SERVICE)) {
            if (score.get(c) > score.get(best)) best = c;
        }
        double total = score.values().stream().mapToDouble(Double::doubleValue).sum();
        Map<String, Double> rounded = new LinkedHashMap<>();
        score.forEach((k, v) -> rounded.put(k, round(v)));
        why.put("category.scores", rounded);
        why.put("category.rule", evidence.isEmpty() ? "default" : String.join(", ", evidence));
        return new Decision(best, round(score.get(best) / total), evidence.isEmpty() ? "default" : evidence.get(0));
    }

    /** urgent when the category is an emergency, the channel said so (sfjj, severity 3), or urgent words. */
    public static Decision urgency(Appeal a, String text, String category, Map<String, Object> why) {
        Decision d;
        String hit;
        if (EMERGENCY.equals(category)) d = new Decision("urgent", 0.9, "emergency");
        else if (a.urgentHint()) d = new Decision("urgent", 0.75, "channel-urgent-hint");
        else if ((hit = first(text, URGENT_WORDS)) != null) d = new Decision("urgent", 0.7, "urgent-word:" + hit);
        else d = new Decision("normal", 0.8, "default");
        why.put("urgency.rule", d.rule());
        return d;
    }

    /** consult (answered the same day), complex (several organisations or a long-standing, collective matter), else general. */
    public static Decision complexity(Appeal a, String text, String category, int coOrgs, Map<String, Object> why) {
        Map<String, String> f = a.channelFields() == null ? Map.of() : a.channelFields();
        boolean consultHint = "01".equals(f.get("sqlx")) || "01".equals(a.channelType())
                || (f.get("typeName") != null && f.get("typeName").contains("咨询"));
        String consultWord = first(text, CONSULT_WORDS);
        String complexWord = first(text, COMPLEX_WORDS);
        Decision d;
        if (coOrgs > 0) d = new Decision("complex", 0.8, "joint-handling:" + coOrgs + " co-organisation(s)");
        else if (complexWord != null) d = new Decision("complex", 0.65, "complex-word:" + complexWord);
        else if ((consultHint || consultWord != null) && SERVICE.equals(category)) {
            double c = consultHint && consultWord != null ? 0.9 : consultHint ? 0.75 : 0.65;
            d = new Decision("consult", c, consultHint ? "hint:consult" : "consult-word:" + consultWord);
        } else d = new Decision("general", 0.6, "default");
        why.put("complexity.rule", d.rule());
        return d;
    }

    /** The emergency word or phrase in a text, or null. */
    public static String emergencyIn(String text) {
        String hit = first(text, EMERGENCY_WORDS);
        if (hit != null) return hit;
        for (Pattern p : EMERGENCY_PATTERNS) {
            Matcher m = p.matcher(text);
            if (m.find()) return m.group();
        }
        return null;
    }

    public static boolean isCategory(String s) {
        return CATEGORIES.contains(s);
    }

    static List<String> hits(String text, List<String> words) {
        List<String> out = new ArrayList<>();
        for (String w : words) if (text.contains(w)) out.add(w);
        return out;
    }

    static String first(String text, List<String> words) {
        for (String w : words) if (text.contains(w)) return w;
        return null;
    }

    private static void add(Map<String, Double> score, String category, double weight, List<String> evidence, String what) {
        score.merge(category, weight, Double::sum);
        evidence.add(what);
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
