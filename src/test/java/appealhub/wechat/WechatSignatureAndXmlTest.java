package appealhub.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import appealhub.connectors.wechat.WechatMapper;
import appealhub.connectors.wechat.WechatSignature;
import appealhub.connectors.wechat.WechatXml;
import appealhub.demo.wechat.WechatPushes;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The signature rule and the XML reader on their own (no hub). */
class WechatSignatureAndXmlTest {

    @Test
    void signatureIsSha1OfTheSortedPartsPinnedToAnIndependentVector() {
        // printf '%s' 1712649600demo-wechat-tokenn7x3k9 | sha1sum
        assertThat(WechatSignature.sign("demo-wechat-token", "1712649600", "n7x3k9"))
                .isEqualTo("e3f2892a16af484133e5d8ba64456d3b0d5fa03e");
        assertThat(WechatSignature.verify("demo-wechat-token", "1712649600", "n7x3k9",
                "E3F2892A16AF484133E5D8BA64456D3B0D5FA03E")).as("hex case does not matter").isTrue();
        assertThat(WechatSignature.verify("demo-wechat-token", "1712649601", "n7x3k9",
                "e3f2892a16af484133e5d8ba64456d3b0d5fa03e")).isFalse();
        assertThat(WechatSignature.verify("demo-wechat-token", null, "n7x3k9", "e3f2")).isFalse();
    }

    @Test
    void theSpecsExampleIsRead() {
        JsonNode m = WechatXml.parse(("<xml>\n  <ToUserName><![CDATA[gh_3f2a1b0c9d8e]]></ToUserName>\n"
                + "  <FromUserName><![CDATA[oAbC-openid-123]]></FromUserName>\n  <CreateTime>1712649600</CreateTime>\n"
                + "  <MsgType><![CDATA[text]]></MsgType>\n  <Content><![CDATA[滏阳花园小区供暖温度一直不达标，家里只有14度]]></Content>\n"
                + "  <MsgId>24518326748123456</MsgId>\n</xml>").getBytes(StandardCharsets.UTF_8));
        assertThat(WechatXml.text(m, "FromUserName")).isEqualTo("oAbC-openid-123");
        assertThat(WechatXml.text(m, "Content")).isEqualTo("滏阳花园小区供暖温度一直不达标，家里只有14度");
        assertThat(WechatXml.text(m, "MsgId")).isEqualTo("24518326748123456");
        assertThat(WechatXml.text(m, "Location_X")).isNull();
    }

    @Test
    void dtdsAndEntitiesAreRefusedBeforeAnythingIsExpanded() {
        String billionLaughs = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY a \"aaaaaaaaaa\">"
                + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>"
                + "<xml><Content>&c;</Content></xml>";
        assertThatThrownBy(() -> WechatXml.parse(billionLaughs.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(WechatXml.MalformedMessage.class).hasMessage("DOCTYPE is not allowed");
        assertThatThrownBy(() -> WechatXml.parse("<xml><Content>&passwd;</Content></xml>".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(WechatXml.MalformedMessage.class);
        assertThatThrownBy(() -> WechatXml.parse("<root><Content>x</Content></root>".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("root element must be <xml>");
        assertThat(WechatXml.text(WechatXml.parse("<xml><Content>a &amp; b</Content></xml>".getBytes(StandardCharsets.UTF_8)),
                "Content")).as("the predefined entities are fine").isEqualTo("a & b");
    }

    @Test
    void thePassiveReplyKeepsCdataIntactAndRoundTrips() {
        String reply = WechatXml.textReply("oAbC-openid-123", "gh_3f2a1b0c9d8e", 1712649600L, "编号 AP1 ]]> <b>");
        JsonNode read = WechatXml.parse(reply.getBytes(StandardCharsets.UTF_8));
        assertThat(WechatXml.text(read, "ToUserName")).isEqualTo("oAbC-openid-123");
        assertThat(WechatXml.text(read, "FromUserName")).isEqualTo("gh_3f2a1b0c9d8e");
        assertThat(WechatXml.text(read, "Content")).isEqualTo("编号 AP1 ]]> <b>");
        JsonNode location = WechatXml.parse(WechatPushes.location("gh", "oX", 1L, 37.5, 115.6, "冀州区", "9")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(WechatXml.text(location, "Location_X")).isEqualTo("37.500000");
        assertThat(WechatXml.text(location, "Label")).isEqualTo("冀州区");
    }

    @Test
    void aTextThatIsOnlyAPhoneNumberIsAContact() {
        assertThat(WechatMapper.contactPhone("13912345678")).isEqualTo("13912345678");
        assertThat(WechatMapper.contactPhone(" 我的手机：139 1234 5678。")).isEqualTo("13912345678");
        assertThat(WechatMapper.contactPhone("电话是+86 139-1234-5678")).isEqualTo("13912345678");
        assertThat(WechatMapper.contactPhone("１３９１２３４５６７８")).isEqualTo("13912345678");
        assertThat(WechatMapper.contactPhone("0318-8621234")).isEqualTo("0318-8621234");
        assertThat(WechatMapper.contactPhone("联系电话 01012345678")).isEqualTo("010-12345678");
        // An appeal that mentions a number is an appeal, not a contact.
        assertThat(WechatMapper.contactPhone("小区门口的店铺13912345678占道经营")).isNull();
        assertThat(WechatMapper.contactPhone("1391234567")).isNull();
        assertThat(WechatMapper.contactPhone("12345")).isNull();
        assertThat(WechatMapper.contactPhone(null)).isNull();
    }
}
