package appealhub.demo.wechat;

import appealhub.connectors.wechat.WechatSignature;
import appealhub.connectors.wechat.WechatXml;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Pushes as WeChat sends them (XML bodies and the signed query string), for the demo feeder
 * and for tests that play WeChat.
 */
public final class WechatPushes {
    private WechatPushes() {}

    public static String text(String account, String openid, long createTime, String content, String msgId) {
        return head(account, openid, createTime, "text")
                + "<Content>" + WechatXml.cdata(content) + "</Content><MsgId>" + msgId + "</MsgId></xml>";
    }

    public static String location(String account, String openid, long createTime, double lat, double lon,
                                  String label, String msgId) {
        return head(account, openid, createTime, "location")
                + "<Location_X>" + String.format(Locale.ROOT, "%.6f", lat) + "</Location_X>"
                + "<Location_Y>" + String.format(Locale.ROOT, "%.6f", lon) + "</Location_Y>"
                + "<Scale>15</Scale><Label>" + WechatXml.cdata(label) + "</Label><MsgId>" + msgId + "</MsgId></xml>";
    }

    public static String image(String account, String openid, long createTime, String picUrl, String mediaId, String msgId) {
        return head(account, openid, createTime, "image")
                + "<PicUrl>" + WechatXml.cdata(picUrl) + "</PicUrl><MediaId>" + WechatXml.cdata(mediaId)
                + "</MediaId><MsgId>" + msgId + "</MsgId></xml>";
    }

    public static String event(String account, String openid, long createTime, String event, String eventKey) {
        return head(account, openid, createTime, "event") + "<Event>" + WechatXml.cdata(event) + "</Event>"
                + (eventKey == null ? "" : "<EventKey>" + WechatXml.cdata(eventKey) + "</EventKey>") + "</xml>";
    }

    /** signature=..&timestamp=..&nonce=..&openid=.. as WeChat appends it to the server URL. */
    public static String signedQuery(String token, long timestamp, String nonce, String openid) {
        String ts = Long.toString(timestamp);
        return "signature=" + WechatSignature.sign(token, ts, nonce) + "&timestamp=" + ts + "&nonce=" + enc(nonce)
                + (openid == null ? "" : "&openid=" + enc(openid));
    }

    private static String head(String account, String openid, long createTime, String type) {
        return "<xml><ToUserName>" + WechatXml.cdata(account) + "</ToUserName><FromUserName>" + WechatXml.cdata(openid)
                + "</FromUserName><CreateTime>" + createTime + "</CreateTime><MsgType>" + WechatXml.cdata(type)
                + "</MsgType>";
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
