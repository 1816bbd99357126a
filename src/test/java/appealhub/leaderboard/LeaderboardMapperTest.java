package appealhub.leaderboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import appealhub.organization.OrganizationRegistry;
import appealhub.connectors.leaderboard.LeaderboardHtml;
import appealhub.connectors.leaderboard.LeaderboardMapper;
import appealhub.connectors.leaderboard.LeaderboardMapper.MalformedMessage;
import appealhub.model.Appeal;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** HTML → clean text, and a board message → the appeal model. */
class LeaderboardMapperTest {
    private static final Instant NOW = Instant.parse("2024-04-09T09:00:00Z");
    private final OrganizationRegistry registry;

    LeaderboardMapperTest() throws Exception {
        registry = new OrganizationRegistry("config/organizations.yaml");
    }

    @Test
    void htmlBecomesCleanText() {
        assertThat(LeaderboardHtml.toText("尊敬的领导：<br/>我村主街道年久失修&nbsp;&nbsp;雨天无法通行……"))
                .isEqualTo("尊敬的领导：\n我村主街道年久失修 雨天无法通行……");
        assertThat(LeaderboardHtml.toText("<p>领导您好！</p><p>希望&ldquo;常来看看&rdquo;&amp;施划车位</p>"))
                .isEqualTo("领导您好！\n希望“常来看看”&施划车位");
        assertThat(LeaderboardHtml.toText("<div>第一段</div><div><b>加粗</b>的<span style='x'>第二段</span>&#xff01;</div>"))
                .isEqualTo("第一段\n加粗的第二段！");
        // Source line breaks and tabs are HTML white space; <br/><br/> keeps one empty line.
        assertThat(LeaderboardHtml.toText("\n\t\t\t第一行\n\t\t\t接着写<br/><br/>  第三行 &lt;不是标签&gt; "))
                .isEqualTo("第一行 接着写\n\n第三行 <不是标签>");
        assertThat(LeaderboardHtml.toText("<script>alert('x')</script><style>p{}</style>正文<img src='a.jpg'>"))
                .isEqualTo("正文");
        assertThat(LeaderboardHtml.toText("&nbsp;<br/>&nbsp;")).isEmpty();
        assertThat(LeaderboardHtml.toLine("西王镇&nbsp;道路<br/>坑洼")).isEqualTo("西王镇 道路 坑洼");
    }

    @Test
    void aMessageMapsToAnAnonymousAppealWithChannelHints() {
        ObjectNode m = LeaderboardBoard.message(5512873, "西王镇某村道路坑洼严重",
                "尊敬的领导：<br/>我村主街道年久失修&nbsp;&nbsp;雨天无法通行……", "河北省/衡水市/冀州区");
        m.put("createTime", 1712649600000L);
        m.putArray("attachments").add("https://img.example/a.jpg?x=1");
        Appeal a = LeaderboardMapper.toAppeal(m, 42, NOW, registry);

        assertThat(a.firstSource()).isEqualTo(new Appeal.Source("leaderboard", "5512873", NOW, 42L));
        assertThat(a.title()).isEqualTo("西王镇某村道路坑洼严重");
        assertThat(a.content()).isEqualTo("尊敬的领导：\n我村主街道年久失修 雨天无法通行……");
        assertThat(a.occurredAt()).isEqualTo(Instant.parse("2024-04-09T08:00:00Z"));
        assertThat(a.receivedAt()).isEqualTo(NOW);
        // nickName is a board pseudonym, not a name; no phone: anonymous.
        assertThat(a.citizen().name()).isNull();
        assertThat(a.citizen().phone()).isNull();
        assertThat(a.citizen().anonymous()).isTrue();
        assertThat(a.location().address()).isEqualTo("河北省衡水市冀州区");
        assertThat(a.location().district()).isEqualTo("冀州区");
        assertThat(a.location().townshipCode()).isNull();
        assertThat(a.channelType()).isEqualTo("投诉");
        assertThat(a.channelFields()).containsEntry("domainName", "城建").containsEntry("typeName", "投诉")
                .containsEntry("forumName", "衡水市委书记").containsEntry("area", "河北省/衡水市/冀州区")
                .doesNotContainKey("nickName");
        assertThat(a.attachments()).containsExactly(new Appeal.Attachment("a.jpg", "https://img.example/a.jpg?x=1"));
        assertThat(a.urgentHint()).isFalse();
    }

    @Test
    void aPhoneMakesTheCitizenKnownAndATownshipLevelInTheAreaIsExact() {
        ObjectNode m = LeaderboardBoard.message(7, "", "<p>魏家庄村自来水浑浊发黄，烧开了有沉淀，村民都不敢喝，希望供水公司查一查水质。</p>",
                "河北省/衡水市/冀州区/小寨乡");
        m.put("phone", "13912345678");
        m.put("tid", "7"); // a tid sent as a string is the same tid
        Appeal a = LeaderboardMapper.toAppeal(m, 1, NOW, registry);
        assertThat(a.citizen().phone()).isEqualTo("13912345678");
        assertThat(a.citizen().anonymous()).isFalse();
        assertThat(a.citizen().name()).isNull();
        assertThat(a.location().townshipCode()).isEqualTo("T10");
        assertThat(a.firstSource().sourceItemId()).isEqualTo("7");
        assertThat(a.title()).as("empty title: the start of the content").isEqualTo("魏家庄村自来水浑浊发黄，烧开了有沉淀，村民都不敢喝，希望供水…");
        assertThat(a.toString()).doesNotContain("13912345678");
    }

    @Test
    void malformedMessagesSayWhatIsWrong() {
        assertThatThrownBy(() -> map(LeaderboardBoard.message(1, "t", "x", "冀州区").put("tid", "")))
                .isInstanceOf(MalformedMessage.class).hasMessage("tid is required");
        assertThatThrownBy(() -> map(LeaderboardBoard.message(1, "t", "x", "冀州区").put("tid", "12a")))
                .hasMessage("tid must be a positive integer");
        assertThatThrownBy(() -> map(LeaderboardBoard.message(1, "t", "<br/>&nbsp;", "冀州区")))
                .hasMessageStartingWith("content is required");
        assertThatThrownBy(() -> map(LeaderboardBoard.message(1, "t", "x", "冀州区").put("createTime", "2024-04-09 08:00:00")))
                .hasMessage("createTime must be epoch milliseconds");
        assertThatThrownBy(() -> map(LeaderboardBoard.message(1, "t", "x", "冀州区").put("createTime", 1712649600L)))
                .hasMessageStartingWith("createTime must be epoch milliseconds");
        ObjectNode noTime = LeaderboardBoard.message(1, "t", "x", "冀州区");
        noTime.remove("createTime");
        assertThatThrownBy(() -> map(noTime)).hasMessage("createTime is required");
        ObjectNode badFiles = LeaderboardBoard.message(1, "t", "x", "冀州区");
        badFiles.putObject("attachments");
        assertThatThrownBy(() -> map(badFiles)).hasMessage("attachments must be an array of URLs");
        ObjectNode objectTitle = LeaderboardBoard.message(1, "t", "x", "冀州区");
        objectTitle.putObject("title");
        assertThatThrownBy(() -> map(objectTitle)).hasMessage("title must be a string");
        assertThatThrownBy(() -> LeaderboardMapper.toAppeal(LeaderboardBoard.JSON.createArrayNode(), 1, NOW, registry))
                .hasMessage("message must be a JSON object");
    }

    private Appeal map(ObjectNode m) {
        return LeaderboardMapper.toAppeal(m, 1, NOW, registry);
    }
}
