package appealhub.reply;

import java.util.List;

/**
 * What the reply check (验收) found in a department's 办结 ({@link ReplyQualityScorer}).
 *
 * @param score     0-100: relevance 30, what was done 25, the result 20, its basis 10, courtesy 15
 * @param relevance share of the appeal's words (character bigrams) the reply takes up, 0-1
 * @param reasons   every shortcoming found, worst first; some hold the reply on their own, see {@link #weak}
 * @param weak      held for operations instead of going to the citizen
 */
public record ReplyQuality(int score, double relevance, List<Reason> reasons, boolean weak) {

    /** A shortcoming of a reply, with the words operations and the department read. */
    public enum Reason {
        /** Says nothing of this appeal: none of its words come back (答非所问). */
        IRRELEVANT("答复未针对本诉求"),
        /** Only "留言已收悉" and greetings: nothing was done or decided. */
        ACKNOWLEDGEMENT_ONLY("仅答复收悉，无办理内容"),
        /** Only says the matter was passed on (已转有关部门调查处理): a step, not a result. */
        FORWARDED_ONLY("仅称已转交其他部门，无办理结果"),
        /** Too short to say what was done. */
        TOO_SHORT("答复过短"),
        /** Names no action taken (核实、现场处置、协调、整改…). */
        NOTHING_DONE("未说明采取了哪些措施"),
        /** Gives no result (已解决、无法办理及原因、下一步安排…). */
        NO_RESULT("未说明办理结果"),
        /** Cites no rule, policy or finding the result rests on. */
        NO_BASIS("未说明办理依据"),
        /** Rude or dismissive wording. */
        DISCOURTEOUS("用语不文明、不耐烦"),
        /** Not addressed to the citizen at all (no 您/感谢/您好…). */
        NOT_COURTEOUS("缺少礼貌用语"),
        /** Carries an ID-card number or the citizen's own phone. */
        PERSONAL_DATA("含身份证号或诉求人电话等个人信息"),
        /** The total is below hub.reply-quality.min-score. */
        LOW_SCORE("综合评分低于阈值");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
