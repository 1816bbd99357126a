package appealhub.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.connectors.leaderboard.LeaderboardPublicReply;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What may be published under a citizen's message on the internet. */
class LeaderboardPublicReplyTest {

    @Test
    void numbersAreMaskedAndTheCitizensNamesReplaced() {
        String text = LeaderboardPublicReply.strip("王建国您好：经核实已修复。王先生如有疑问请拨打13912345678，"
                + "李四的身份证号130181198805061234已核对。", Arrays.asList("王建国", "李四", null, "张"));
        assertThat(text).isEqualTo("网友您好：经核实已修复。网友如有疑问请拨打139****5678，网友的身份证号130181********1234已核对。");
        assertThat(LeaderboardPublicReply.problem(text)).isNull();
    }

    @Test
    void whatStillLooksPersonalIsNamedWithoutQuotingIt() {
        // What masking does not recognise as a phone or ID, the final guard still sees as a number.
        assertThat(LeaderboardPublicReply.problem(strip("旧身份证130181880506123已核对"))).contains("long number");
        assertThat(LeaderboardPublicReply.problem(strip("如仍不热请拨打8621234找维修师傅"))).contains("long number");
        assertThat(LeaderboardPublicReply.problem(strip("请拨打 862 12 34 联系"))).contains("long number");
        assertThat(LeaderboardPublicReply.problem(strip("账号6222021234567890123"))).contains("long number");
        assertThat(LeaderboardPublicReply.problem(strip("请拨打一三九一二三四五六七八"))).contains("Chinese numerals");
        assertThat(LeaderboardPublicReply.problem(strip("联系人姓名：钮钴禄"))).contains("姓名");
        assertThat(LeaderboardPublicReply.problem(strip("  "))).contains("empty");
        // Ordinary public-reply material passes: a work-order number, dates and times, amounts.
        assertThat(LeaderboardPublicReply.problem(strip("工单GD20250409000101已办结，"
                + "2024年4月9日拨付补贴120000元，2024-04-09 10:30完成验收，投入资金12000000元。"))).isNull();
    }

    @Test
    void landlinesPlus86SpacedNumbersAndIdNumbersAreMaskedNotRefused() {
        String text = strip("请拨打 139 1234 5678 找维修师傅，或拨打0318-8621234，或+86 138 0000 1111；"
                + "身份证号13018119880506123X已核对。");
        assertThat(text).isEqualTo("请拨打 139****5678 找维修师傅，或拨打0318-****34，或+86 138****1111；"
                + "身份证号130181********123X已核对。");
        assertThat(LeaderboardPublicReply.problem(text)).isNull();
    }

    /** Replies as departments write them, with names the case does not know. */
    @Test
    void anyPersonsNameIsReplacedNotOnlyTheCitizensOnes() {
        String text = strip("王女士：您好！您反映的滏阳花园小区供暖问题，经热力公司李建国师傅入户检测，"
                + "系户内阀门故障，已于12月5日更换。如仍有问题，请联系社区网格员赵晓梅13833334444，"
                + "或联系人：孙丽，电话0318-8621234。感谢您的监督！");
        assertThat(text).doesNotContain("王女士", "李建国", "赵晓梅", "孙丽", "13833334444", "8621234")
                .isEqualTo("网友：您好！您反映的滏阳花园小区供暖问题，经热力公司网友入户检测，"
                        + "系户内阀门故障，已于12月5日更换。如仍有问题，请联系社区网格员网友138****4444，"
                        + "或联系人：网友，电话0318-****34。感谢您的监督！");
        assertThat(LeaderboardPublicReply.problem(text)).isNull();

        String selfIntroduced = strip("来电人自称我叫刘德海，本人陈小红反映的问题已一并处理。");
        assertThat(selfIntroduced).doesNotContain("刘德海", "陈小红");
    }

    /** Replies as boards publish them every day: masked where needed, otherwise left word for word. */
    @Test
    void everydayRepliesArePublishedWithOnlyThePersonalPartsChanged() {
        String housing = "网友您好！您反映的问题已收悉。经冀州区住建局核实，滏阳花园小区供暖管网老化，热力公司已于2024年12月3日"
                + "完成更换，目前室温达到18℃以上。如有疑问请拨打冀州区住建局电话0318-8662345。感谢您对我们工作的支持！";
        assertThat(strip(housing)).isEqualTo(housing.replace("0318-8662345", "0318-****45"));
        assertThat(LeaderboardPublicReply.problem(strip(housing))).isNull();

        assertThat(strip("您好，来信收悉。经查，该路段由交通局负责，已安排养护队于近日修补。联系人：刘建军，13703181234。"))
                .isEqualTo("您好，来信收悉。经查，该路段由交通局负责，已安排养护队于近日修补。联系人：网友，137****1234。");
        assertThat(strip("留言人张女士：您反映的噪音扰民问题，执法队员已现场调查，责令商户整改。"))
                .isEqualTo("留言人网友：您反映的噪音扰民问题，执法队员已现场调查，责令商户整改。");
        String plain = "经王庄村村委会核实，该村自来水管道已于4月9日修复，供水恢复正常。";
        assertThat(strip(plain)).isEqualTo(plain);
    }

    private static String strip(String s) {
        return LeaderboardPublicReply.strip(s, List.of());
    }
}
