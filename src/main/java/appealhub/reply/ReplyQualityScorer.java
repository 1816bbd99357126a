package appealhub.reply;

import appealhub.model.Pii;
import appealhub.reply.ReplyQuality.Reason;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * The reply check (验收) of a lead's 办结, to catch 虚假办结 before it reaches the citizen
 * (docs/reply-quality.md). Plain rules rather than a model: the hub has no labelled set of good and
 * bad replies large enough to train one, and an operator must be able to read why a reply was held.
 * <ul>
 *   <li>relevance (30): the share of the appeal's title bigrams (or its content's, whichever is
 *       higher) the reply takes up, full marks at 0.3; generic words (反映, 问题, 您好...) and the
 *       data's anonymised place names (A市, A3区) do not count;</li>
 *   <li>what was done (25): an action word (核实, 现场, 协调, 责令, 整改, 清理...);</li>
 *   <li>the result (20): an outcome or a decision (已解决, 现已, 不符合, 无法, 下一步...);</li>
 *   <li>its basis (10): a rule, policy or document (根据, 按照, 《...》, 规定...);</li>
 *   <li>courtesy (15): addressed to the citizen (您, 您好, 感谢...), nothing dismissive.</li>
 * </ul>
 * A reply is weak (held) when it scores below {@code min-score}, or on its own when it is not about
 * the appeal, only acknowledges receipt or says the matter was passed on, is too short, is rude,
 * names neither an action nor a result nor a rule, or carries an ID-card number or the citizen's own phone ({@link Pii}).
 */
@Component
public class ReplyQualityScorer {
    private static final Pattern PLACEHOLDER_PLACE = Pattern.compile("[A-Z][0-9]{0,2}[市区县镇]");
    private static final Set<String> GENERIC = Set.of("您好", "你好", "领导", "反映", "问题", "请求", "关于", "希望", "解决",
            "咨询", "投诉", "建议", "如何", "什么", "为什么", "我们", "你们", "他们", "没有", "一个", "现在", "有关", "部门",
            "政府", "情况", "市民", "网友", "谢谢", "感谢", "尊敬", "书记", "市长", "请问", "是否", "能否", "可以", "相关",
            "处理", "尽快", "严重", "群众", "百姓", "老百姓", "的问", "的情", "问题的", "请领", "导重", "重视", "恳请", "要求",
            "留言", "回复", "答复", "已经", "进行", "我们的", "一下", "的是", "了一", "是不", "不是", "这个", "那个");
    private static final Pattern ACTION = Pattern.compile("核实|核查|调查|排查|走访|约谈|实地|现场|协调|督促|责令|安排|组织|派员|派出"
            + "|联系|整改|维修|修复|修缮|更换|清理|清运|清除|拆除|查处|处罚|罚款|立案|执法|取缔|疏通|安装|铺设|硬化|回填|关停|暂扣"
            + "|没收|补办|发放|退还|调解|告知|沟通|召开|研究|部署|巡查|检查|检测|监测|测量|上门|回访|查明|查实|查看|勘察|核对|审核"
            + "|审查|复核|了解|调取|对接|会同|督办|交办|转办|约见|座谈|答疑|解释|宣传|摸排|处置|制止|劝导|劝离|查验|抽检|封存");
    private static final Pattern RESULT = Pattern.compile("已(?:经)?(?:于.{0,12})?(?:解决|完成|修复|恢复|整改|清理|清运|拆除|办理|办结"
            + "|落实|处理|到位|开通|安装|更换|撤|退还|发放|支付|疏通|关停|取缔|规范|纠正|改正|停止|消除|竣工|启动|开工|纳入|批复|获批"
            + "|通过|签订|达成|结清|兑现|补发|到账|移交|移送|立案|责令|督促|通知|要求|安排|联系|告知|答复)"
            + "|现已|目前|结果|不符合|符合|无法|不能|不予|不属于|属于|可以|可通过|可到|可向|可持|应当|应由|需要|需由|将于|计划|预计"
            + "|下一步|正在|尚未|完毕|为止|不存在|未发现|属实|不属实|均已|将继续|将进一步|将加强|限期");
    private static final Pattern BASIS = Pattern.compile("根据|依据|按照|依照|《|规定|条例|办法|政策|法律|法规|文件|标准|细则"
            + "|第[一二三四五六七八九十百0-9]{1,4}条|合同|规划|程序|经查|经核实|经调查|经核查|经了解|经现场");
    private static final Pattern COURTEOUS = Pattern.compile("您|你好|感谢|谢谢|敬请|欢迎|理解|支持|关心|关注|致歉|歉意|不便");
    private static final Pattern RUDE = Pattern.compile("无理取闹|胡搅蛮缠|别再|不要再(?:来|打|投诉|反映|烦)|自己(?:去|找)(?!.{0,6}咨询)"
            + "|与我(?:们|单位|局)?无关|不归我们管|少管|爱找谁|乱投诉|瞎反映|不予理睬|别烦|滚");
    /** Receipt, greeting and thanks: what is left without them is the answer proper. */
    private static final Pattern FORMULA = Pattern.compile("(?:网友|市民|尊敬的)?[“\"「]?[A-Za-z0-9]*[”\"」]?[:：，,]?"
            + "|您好|你好|[！!，,。.：:；;、\\s\\u3000]|(?:您的|你的)?(?:留言|来信|来邮|邮件|信件|来电|诉求|反映)?(?:已|已经)?收悉"
            + "|感谢您?对我们工作的(?:关心|理解|监督|支持)(?:[、和与]?(?:关心|理解|监督|支持))*|谢谢|感谢|[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日");

    /** Passed on to another office: a step, not a result (a 办结 that only says this is 虚假办结). */
    private static final Pattern FORWARDED = Pattern.compile("已(?:转|转交|转至|转给|交|交由|移交|批转)(?:相关|有关|[^，。！,]{0,12}?)"
            + "(?:部门|单位|局|委|办|区|县|市|镇|街道|大队)?[^，。！,]{0,6}(?:调查|核查|核处|处理|办理|办复|答复|核实|研究)");

    private final ReplyQualityProperties props;

    public ReplyQualityScorer(ReplyQualityProperties props) {
        this.props = props;
    }

    /** The appeal a reply answers: what relevance is measured against, and whose phone it must not carry. */
    public record AppealText(String title, String content, String citizenPhone) {}

    /**
     * @param appeals the appeals of the case (a merged case has several): relevance is the best of them
     * @param reply   the department's 办结 text
     */
    public ReplyQuality score(List<AppealText> appeals, String reply) {
        String text = reply == null ? "" : reply;
        List<Reason> reasons = new ArrayList<>();
        double relevance = 0;
        for (AppealText a : appeals) relevance = Math.max(relevance, relevance(a, text));
        String core = FORMULA.matcher(text).replaceAll("");
        boolean action = ACTION.matcher(text).find();
        boolean result = RESULT.matcher(text).find();
        boolean basis = BASIS.matcher(text).find();
        boolean courteous = COURTEOUS.matcher(text).find();
        boolean rude = RUDE.matcher(text).find();
        boolean personal = carriesPersonalData(appeals, text);
        int length = (int) core.codePoints().filter(Character::isLetterOrDigit).count();
        boolean ackOnly = length < props.minChars() && text.contains("收悉");
        // forwarded and nothing more: a short text that names the hand-on and no result of its own
        boolean forwardedOnly = !ackOnly && FORWARDED.matcher(text).find() && length < 60;

        double score = 30 * Math.min(1.0, relevance / 0.3) + (action ? 25 : 0) + (result ? 20 : 0) + (basis ? 10 : 0)
                + (courteous && !rude ? 15 : 0);
        if (ackOnly) score = Math.min(score, 10);
        if (forwardedOnly) score = Math.min(score, 30); // "留言已收悉" answers nothing, whatever words it shares
        int total = (int) Math.round(score);

        boolean weak = false;
        if (relevance < props.minRelevance()) { reasons.add(Reason.IRRELEVANT); weak = true; }
        if (ackOnly) { reasons.add(Reason.ACKNOWLEDGEMENT_ONLY); weak = true; }
        else if (length < props.minChars()) { reasons.add(Reason.TOO_SHORT); weak = true; }
        if (forwardedOnly) { reasons.add(Reason.FORWARDED_ONLY); weak = true; }
        if (rude) { reasons.add(Reason.DISCOURTEOUS); weak = true; }
        if (personal) { reasons.add(Reason.PERSONAL_DATA); weak |= props.holdOnPersonalData(); }
        if (!action) reasons.add(Reason.NOTHING_DONE);
        if (!result) reasons.add(Reason.NO_RESULT);
        // nothing done, nothing decided and no rule explained (an answer to a question may be only the rule)
        if (!action && !result && !basis) weak = true;
        if (!basis) reasons.add(Reason.NO_BASIS);
        if (!courteous && !rude) reasons.add(Reason.NOT_COURTEOUS);
        if (total < props.minScore()) { reasons.add(Reason.LOW_SCORE); weak = true; }
        return new ReplyQuality(total, Math.round(relevance * 1000) / 1000.0, List.copyOf(reasons), weak);
    }

    /** Share of the appeal's title bigrams, or of its content's, found in the reply (the higher). */
    static double relevance(AppealText appeal, String reply) {
        Set<String> r = bigrams(reply);
        if (r.isEmpty()) return 0;
        Set<String> content = bigrams(appeal.content());
        // a short answer to a long message: how much of the answer is about the message
        double overlap = content.size() < 5 || r.size() < 5 ? 0 : (double) common(content, r) / Math.min(content.size(), r.size());
        return Math.max(share(bigrams(appeal.title()), r), overlap);
    }

    private static int common(Set<String> a, Set<String> b) {
        int n = 0;
        for (String x : a) if (b.contains(x)) n++;
        return n;
    }

    private static double share(Set<String> of, Set<String> in) {
        if (of.size() < 2) return 0; // a title of one word says too little to judge by
        return (double) common(of, in) / of.size();
    }

    /** Character bigrams of the Chinese, letter and digit runs, generic words and placeholder places left out. */
    static Set<String> bigrams(String text) {
        Set<String> out = new HashSet<>();
        if (text == null) return out;
        String t = PLACEHOLDER_PLACE.matcher(text).replaceAll(" ");
        int[] cps = t.codePoints().toArray();
        for (int i = 0; i + 1 < cps.length; i++) {
            if (!Character.isLetterOrDigit(cps[i]) || !Character.isLetterOrDigit(cps[i + 1])) continue;
            String b = new String(cps, i, 2);
            if (!GENERIC.contains(b)) out.add(b);
        }
        return out;
    }

    private static boolean carriesPersonalData(List<AppealText> appeals, String reply) {
        List<Pii.Found> found = Pii.numbersIn(reply);
        if (found.isEmpty()) return false;
        Set<String> citizenPhones = new HashSet<>();
        for (AppealText a : appeals) {
            if (a.citizenPhone() == null) continue;
            String d = a.citizenPhone().replaceAll("[^0-9]", "");
            if (d.length() >= 7) citizenPhones.add(d.substring(Math.max(0, d.length() - 11)));
        }
        for (Pii.Found f : found) {
            if (f.kind() == Pii.Kind.ID_CARD) return true;
            String d = f.digits().substring(Math.max(0, f.digits().length() - 11));
            if (citizenPhones.contains(d)) return true;
        }
        return false;
    }
}
