package appealhub.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What Pii masks in free text (logs, pages, messages), and the person-name rule of public replies. */
class PiiTest {

    @Test
    void mobilesAndIdNumbersAsBefore() {
        assertThat(Pii.maskInText("电话13912345678，身份证130181199001011234，旧证13018119900101123X。"))
                .isEqualTo("电话139****5678，身份证130181********1234，旧证130181********123X。");
    }

    @Test
    void landlinesPlus86AndSpacedNumbers() {
        assertThat(Pii.maskInText("家里座机0318-8621234，没人接")).isEqualTo("家里座机0318-****34，没人接");
        assertThat(Pii.maskInText("座机 03188621234")).isEqualTo("座机 0318-****34");
        assertThat(Pii.maskInText("北京010-12345678")).isEqualTo("北京010-****78");
        assertThat(Pii.maskInText("电话(0318) 862 1234")).isEqualTo("电话(0318) ****34");
        assertThat(Pii.maskInText("手机+8613912345678")).isEqualTo("手机+86139****5678");
        assertThat(Pii.maskInText("手机 +86 139 1234 5678 找我")).isEqualTo("手机 +86 139****5678 找我");
        assertThat(Pii.maskInText("0086-13912345678")).isEqualTo("0086-139****5678");
        assertThat(Pii.maskInText("+86-318-8621234")).isEqualTo("+86-318-****34");
        assertThat(Pii.maskInText("请拨打 139 1234 5678 联系")).isEqualTo("请拨打 139****5678 联系");
        assertThat(Pii.maskInText("139-1234-5678")).isEqualTo("139****5678");
        assertThat(Pii.maskInText("1 3 9 1 2 3 4 5 6 7 8")).isEqualTo("139****5678");
        assertThat(Pii.maskInText("全角１３９１２３４５６７８")).isEqualTo("全角139****5678");
        assertThat(Pii.maskInText("身份证 130181 19900101 1234")).isEqualTo("身份证 130181********1234");
    }

    @Test
    void whatIsNotAPersonsNumberIsLeftAlone() {
        for (String s : List.of("工单GD20250409000101已办结", "2024-04-09 10:30 已处理", "拨付补贴120000元",
                "{\"createTime\": 1712649600000, \"tid\": 5512873}", "cursor 1712649600000-5512873",
                "reportId 7f9c2e6a-2b7d-4c1e-9a55-0d3e1f2a9b10", "市长热线12345", "坐标37.5512,115.5790",
                "订单号A13912345678", "第2024-0318号文件")) {
            assertThat(Pii.maskInText(s)).as(s).isEqualTo(s);
        }
    }

    @Test
    void maskedNumbersCanBeFoundAgainWithWhatTheyStoodFor() {
        List<String> ambiguous = new ArrayList<>();
        var byMask = Pii.numbersByMask("座机0318-8621234，手机 139 1234 5678，又 13900005678", ambiguous);
        assertThat(byMask).containsEntry("0318-****34", "0318-8621234").containsEntry("139****5678", "139 1234 5678");
        assertThat(ambiguous).containsExactly("139****5678");
    }

    @Test
    void personNamesBeforeTitlesAfterCuesAndNextToPhones() {
        // Before a form of address.
        assertThat(Pii.maskNumbersAndNames("王先生您好，经核实已修复。")).isEqualTo("网友您好，经核实已修复。");
        assertThat(Pii.maskNumbersAndNames("感谢李建国同志的监督")).isEqualTo("感谢网友的监督");
        assertThat(Pii.maskNumbersAndNames("已联系张师傅上门维修")).isEqualTo("已联系网友上门维修");
        assertThat(Pii.maskNumbersAndNames("家属赵女士表示满意")).isEqualTo("家属网友表示满意");
        assertThat(Pii.maskNumbersAndNames("感谢王女士的反映，谢谢陈小红女士")).isEqualTo("感谢网友的反映，谢谢网友");
        assertThat(Pii.maskNumbersAndNames("已向王老先生说明")).isEqualTo("已向网友说明");
        // After a self-introduction or a contact label.
        assertThat(Pii.maskNumbersAndNames("我叫刘德海，住在冀州镇")).isEqualTo("我叫网友，住在冀州镇");
        assertThat(Pii.maskNumbersAndNames("本人陈小红反映")).isEqualTo("本人网友反映");
        assertThat(Pii.maskNumbersAndNames("联系人：孙丽，电话0318-8621234")).isEqualTo("联系人：网友，电话0318-****34");
        assertThat(Pii.maskNumbersAndNames("姓名：赵六")).isEqualTo("姓名：网友");
        // Next to a phone number.
        assertThat(Pii.maskNumbersAndNames("请联系周海燕13912345678")).isEqualTo("请联系网友139****5678");
        assertThat(Pii.maskNumbersAndNames("请联系徐斌 电话：139 1234 5678")).isEqualTo("请联系网友 电话：139****5678");
        assertThat(Pii.maskNumbersAndNames("13912345678 郭静反映")).isEqualTo("139****5678 网友反映");
    }

    @Test
    void ordinaryReplyWordsAreNotTakenForNames() {
        for (String s : List.of("已安排维修师傅上门", "请各位业主配合", "本人于2024年4月反映", "已督促物业公司整改",
                "经综合行政执法局核实，滏阳花园南门路灯已于今日修复。感谢您的监督。",
                "供电公司已更换故障变压器，供电恢复正常。", "老师傅们辛苦了", "我是冀州镇居民")) {
            assertThat(Pii.maskNumbersAndNames(s)).as(s).isEqualTo(s);
        }
    }
}
