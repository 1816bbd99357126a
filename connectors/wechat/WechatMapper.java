package appealhub.connectors.wechat;

import appealhub.connectors.wechat.WechatXml.MalformedMessage;
import appealhub.model.Appeal;
import appealhub.model.AppealLimits;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * WeChat message → appeal. A text message is the appeal (MsgId is its source item id); a
 * location or image from the same follower is folded into that appeal when it belongs to it.
 */
public final class WechatMapper {
    public static final String CHANNEL = "wechat";
    private static final int TITLE_LENGTH = 30;

    private WechatMapper() {}

    /** What a location or image message adds to an appeal (kept as JSON in wechat_message.detail). */
    public record Extra(String type, Double lat, Double lon, String label, String picUrl, String mediaId) {}

    public static Appeal toAppeal(JsonNode message, long rawItemId, Instant receivedAt) {
        String msgId = required(message, "MsgId");
        String content = required(message, "Content");
        Instant createdAt = createTime(message, receivedAt);
        return new Appeal(null, null,
                List.of(new Appeal.Source(CHANNEL, msgId, receivedAt, rawItemId)),
                null, // a follower is known by openid only: no name or phone to pass on
                title(content), content, createdAt, receivedAt, null, "text", null, false, List.of(), null);
    }

    private static final java.util.regex.Pattern CONTACT = java.util.regex.Pattern.compile(
            "^(?:我的)?(?:联系电话|联系方式|手机号码|手机号|手机|电话)?(?:是|为)?[:：]?\\s*"
                    + "((?:\\+?86[\\s-]?)?1[3-9]\\d(?:[\\s-]?\\d){8}|0\\d{2,3}[\\s-]?\\d{7,8})\\s*[。.！!]?$");

    /**
     * The phone number of a text that is nothing but a phone number (the follower's answer to the
     * passive reply's request: "13912345678", "我的手机：139 1234 5678", "0318-8621234"),
     * digits only (a landline with a hyphen after its area code); null for any other text.
     */
    public static String contactPhone(String content) {
        if (content == null || content.length() > 40) return null;
        String t = java.text.Normalizer.normalize(content, java.text.Normalizer.Form.NFKC).strip();
        var m = CONTACT.matcher(t);
        if (!m.matches()) return null;
        String number = m.group(1);
        String digits = number.replaceAll("[^0-9]", "");
        if (digits.startsWith("86") && digits.length() == 13) return digits.substring(2);
        if (digits.startsWith("0")) {
            int areaLength = digits.startsWith("01") || digits.startsWith("02") ? 3 : 4;
            return digits.substring(0, areaLength) + "-" + digits.substring(areaLength);
        }
        return digits;
    }

    public static Extra extra(JsonNode message) {
        String type = WechatXml.text(message, "MsgType");
        if ("location".equals(type)) {
            double lat = number(message, "Location_X", -90, 90);
            double lon = number(message, "Location_Y", -180, 180);
            String label = WechatXml.text(message, "Label");
            // The label becomes the appeal's address, which the store keeps in a bounded column.
            if (label != null && label.length() > AppealLimits.PLACE) {
                throw new MalformedMessage(new AppealLimits.Violation("Label", AppealLimits.PLACE, label.length()).message());
            }
            return new Extra("location", lat, lon, label, null, null);
        }
        if ("image".equals(type)) {
            String picUrl = required(message, "PicUrl");
            if (!picUrl.startsWith("http://") && !picUrl.startsWith("https://")) {
                throw new MalformedMessage("PicUrl must be an http(s) URL");
            }
            return new Extra("image", null, null, null, picUrl, WechatXml.text(message, "MediaId"));
        }
        throw new MalformedMessage("MsgType " + type + " carries nothing to attach");
    }

    /** The appeal with a location or image folded in (a later location replaces an earlier one). */
    public static Appeal attach(Appeal a, Extra extra) {
        Appeal.Location location = a.location();
        List<Appeal.Attachment> attachments = a.attachments() == null ? new ArrayList<>() : new ArrayList<>(a.attachments());
        if ("location".equals(extra.type())) {
            Appeal.Location old = location;
            location = new Appeal.Location(
                    extra.label() != null ? extra.label() : old == null ? null : old.address(),
                    old == null ? null : old.district(), old == null ? null : old.townshipCode(),
                    old == null ? null : old.place(), extra.lat(), extra.lon(), old == null ? null : old.gridCode());
        } else {
            String name = "微信图片" + (extra.mediaId() == null ? " " + (attachments.size() + 1) : " " + extra.mediaId());
            if (attachments.stream().noneMatch(x -> extra.picUrl().equals(x.url()))) {
                attachments.add(new Appeal.Attachment(name, extra.picUrl()));
            }
        }
        return new Appeal(a.appealId(), a.caseId(), a.sources(), a.citizen(), a.title(), a.content(), a.occurredAt(),
                a.receivedAt(), location, a.channelType(), a.channelDeadline(), a.urgentHint(), attachments,
                a.channelFields());
    }

    /** What the case file records of an attachment (no coordinates: the label says where). */
    public static Map<String, Object> describe(String appealId, String msgId, Extra extra) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("appealId", appealId);
        d.put("msgId", msgId);
        d.put("type", extra.type());
        if (extra.label() != null) d.put("label", extra.label());
        if (extra.picUrl() != null) d.put("picUrl", extra.picUrl());
        return d;
    }

    /** CreateTime (epoch seconds); the hub's receive time if WeChat left it out. */
    public static Instant createTime(JsonNode message, Instant fallback) {
        String s = WechatXml.text(message, "CreateTime");
        if (s == null) return fallback;
        try {
            return Instant.ofEpochSecond(Long.parseLong(s));
        } catch (NumberFormatException e) {
            throw new MalformedMessage("CreateTime must be epoch seconds");
        }
    }

    public static String required(JsonNode message, String field) {
        String v = WechatXml.text(message, field);
        if (v == null) throw new MalformedMessage(field + " is required");
        if (("MsgId".equals(field) || "FromUserName".equals(field)) && !v.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new MalformedMessage(field + " has an invalid format");
        }
        return v;
    }

    private static double number(JsonNode message, String field, double min, double max) {
        String v = required(message, field);
        try {
            double d = Double.parseDouble(v);
            if (Double.isNaN(d) || d < min || d > max) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw new MalformedMessage(field + " must be a number between " + (int) min + " and " + (int) max);
        }
    }

    static String title(String content) {
        String oneLine = content.replaceAll("\\s+", " ").trim();
        int cps = oneLine.codePointCount(0, oneLine.length());
        if (cps <= TITLE_LENGTH) return oneLine;
        return oneLine.substring(0, oneLine.offsetByCodePoints(0, TITLE_LENGTH)) + "…";
    }
}
