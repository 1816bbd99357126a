package appealhub.reply;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.reply.ReplyQuality.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reply check's rules, on replies like the real ones of leaderboard-replies.full.csv. */
class ReplyQualityScorerTest {
    private final ReplyQualityScorer scorer = new ReplyQualityScorer(ReplyQualityProperties.defaults());
    private static final ReplyQualityScorer.AppealText LIGHT = new ReplyQualityScorer.AppealText("滏阳花园小区南门路灯不亮",
            "滏阳花园小区南门外的路灯坏了半个多月，晚上出行不安全，请尽快修复。", "13800000000");

    private ReplyQuality score(String reply) {
        return scorer.score(List.of(LIGHT), reply);
    }

    @Test
    void aReplyThatSaysWhatWasDoneTheResultAndItsBasisPasses() {
        ReplyQuality q = score("您好！您反映的滏阳花园小区南门路灯不亮问题，经我局现场核实，系线路老化所致。根据《城市照明管理规定》，"
                + "已于4月10日更换线路和灯具，现已恢复正常照明。感谢您的监督。");
        assertThat(q.weak()).isFalse();
        assertThat(q.score()).isEqualTo(100);
        assertThat(q.reasons()).isEmpty();
    }

    @Test
    void aShortButConcreteAnswerWithoutBasisPassesWithItsShortcomingNamed() {
        ReplyQuality q = score("您好，南门路灯已由我局更换灯具，现已恢复照明，感谢您的反映。");
        assertThat(q.weak()).isFalse();
        assertThat(q.reasons()).containsExactly(Reason.NO_BASIS);
    }

    @Test
    void anAcknowledgementOnlyIsHeld() {
        ReplyQuality q = score("网友：您好！留言已收悉");
        assertThat(q.weak()).isTrue();
        assertThat(q.reasons()).contains(Reason.ACKNOWLEDGEMENT_ONLY);
        assertThat(q.score()).isLessThanOrEqualTo(10);
    }

    @Test
    void forwardedOnlyIsHeld() {
        ReplyQuality q = score("您好！您反映的南门路灯问题已转相关部门调查处理，感谢您对我们工作的监督。");
        assertThat(q.weak()).isTrue();
        assertThat(q.reasons()).contains(Reason.FORWARDED_ONLY);
    }

    @Test
    void aReplyAboutSomethingElseIsHeld() {
        ReplyQuality q = score("您好！经核实，该企业已按规定为职工补缴社会保险费，现已办结。感谢您的支持。");
        assertThat(q.relevance()).isLessThan(0.05);
        assertThat(q.weak()).isTrue();
        assertThat(q.reasons()).first().isEqualTo(Reason.IRRELEVANT);
    }

    @Test
    void aRudeReplyIsHeld() {
        ReplyQuality q = score("南门路灯的事已经修过了，不要再投诉了，与我们无关的事自己去找物业。");
        assertThat(q.weak()).isTrue();
        assertThat(q.reasons()).contains(Reason.DISCOURTEOUS).doesNotContain(Reason.NOT_COURTEOUS);
    }

    @Test
    void theCitizensPhoneOrAnIdNumberIsPersonalDataButAnOfficeNumberIsNot() {
        String text = "您好！南门路灯经现场核实已更换灯具，现已恢复照明，感谢您的监督。";
        assertThat(score(text + "已电话告知138 0000 0000。").reasons()).contains(Reason.PERSONAL_DATA);
        assertThat(score(text + "已电话告知138 0000 0000。").weak()).isTrue();
        assertThat(score(text + "身份证130181199001011234已核对。").weak()).isTrue();
        ReplyQuality office = score(text + "如有疑问请拨打0318-8621234。");
        assertThat(office.reasons()).doesNotContain(Reason.PERSONAL_DATA);
        assertThat(office.weak()).isFalse();
        // held only when the setting says so
        ReplyQualityScorer lenient = new ReplyQualityScorer(new ReplyQualityProperties(true, 45, 0.05, 15, false));
        assertThat(lenient.score(List.of(LIGHT), text + "已电话告知13800000000。").weak()).isFalse();
    }

    @Test
    void anAnswerToAQuestionMayBeTheRuleAlone() {
        ReplyQualityScorer.AppealText question = new ReplyQualityScorer.AppealText("咨询乡村医生档案托管问题",
                "我是乡村医生，想咨询档案托管需要什么材料，在哪里办理？", null);
        ReplyQuality q = scorer.score(List.of(question), "您好！根据《流动人员人事档案管理服务工作规范》，乡村医生档案托管在户籍所在地"
                + "人才服务中心办理，需提供身份证、户口本原件和复印件。感谢您的关注。");
        assertThat(q.weak()).isFalse();
    }

    @Test
    void aMergedCaseIsJudgedByTheBestMatchingAppeal() {
        ReplyQualityScorer.AppealText other = new ReplyQualityScorer.AppealText("学校门口占道经营", "实验小学门口摊贩占道经营。", null);
        String reply = "您好！经现场核实，南门路灯已更换灯具，现已恢复照明，感谢您的监督。";
        assertThat(scorer.score(List.of(other), reply).reasons()).contains(Reason.IRRELEVANT);
        assertThat(scorer.score(List.of(other, LIGHT), reply).reasons()).doesNotContain(Reason.IRRELEVANT);
    }
}
