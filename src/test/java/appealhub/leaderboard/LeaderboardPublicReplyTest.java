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
        assertThat(LeaderboardPublicReply.problem(strip("请拨打 139 1234 5678 联系"))).contains("mobile number");
        assertThat(LeaderboardPublicReply.problem(strip("请拨打139-1234-5678"))).contains("mobile number");
        assertThat(LeaderboardPublicReply.problem(strip("旧身份证130181880506123已核对"))).contains("long number");
        assertThat(LeaderboardPublicReply.problem(strip("+8613912345678"))).contains("long number");
        assertThat(LeaderboardPublicReply.problem(strip("联系人姓名：赵六"))).contains("姓名");
        assertThat(LeaderboardPublicReply.problem(strip("  "))).contains("empty");
        // Ordinary public-reply material passes: a service hotline, a work-order number, dates, amounts.
        assertThat(LeaderboardPublicReply.problem(strip("工单GD20250409000101已办结，咨询请拨打0318-8661234，"
                + "2024年4月9日拨付补贴120000元。"))).isNull();
    }

    private static String strip(String s) {
        return LeaderboardPublicReply.strip(s, List.of());
    }
}
