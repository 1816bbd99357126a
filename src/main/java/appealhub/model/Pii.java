package appealhub.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks personal data where it must be shown at all (logs never show it).
 *
 * <p>Numbers ({@link #maskInText}), wherever text is shown (operations pages, logs, messages to
 * citizens and co-departments, public replies), each masked in place:
 * <ul>
 * <li>ID-card numbers: 18 characters (17 digits and a digit or X), spaces or hyphens allowed
 * between them: the first 6 and the last 4 kept, {@code 130181********1234};</li>
 * <li>mobile numbers: 11 digits from 13x–19x, with or without a {@code +86}, {@code 0086} or
 * {@code 86} prefix, and written with spaces or hyphens anywhere ({@code 139 1234 5678},
 * {@code 139-1234-5678}): {@code 139****5678} (the prefix kept as written);</li>
 * <li>landlines: an area code 0 + 2–3 digits (or, after {@code +86}/{@code 0086}, the area
 * code without its 0; also in brackets) and a local number of 7–8 digits, spaces or hyphens
 * allowed ({@code 0318-8621234}, {@code (0318) 862 1234}, {@code +86 318 8621234}): the area code
 * kept, the local number shown as {@code ****} and its last 2 digits: {@code 0318-****34}.</li>
 * </ul>
 * Full-width digits (０-９) count as digits. A number glued to letters (a work-order number such
 * as GD20250409000101, an id) is not a phone and is left alone.
 *
 * <p>Names of persons ({@link #maskNumbersAndNames}): only where a text is published (public replies), as
 * the rule cannot tell every name from every word. A person's name is taken to be a common
 * surname (the {@link #SURNAMES} of about 130 family names, which cover the great majority of
 * people) with up to two more Chinese characters when
 * <ol>
 * <li>it stands right before a form of address: 先生, 女士, 同志, 师傅, 老师, 小姐, 大爷, 大妈,
 * 阿姨, 老人, 老先生, 老太太 (王先生, 王建国同志);</li>
 * <li>it follows a self-introduction or a contact label: 我叫, 我是, 本人, 联系人, 姓名, 名字,
 * 申请人, 反映人, 来电人, 投诉人, 举报人, 当事人, 户主, 业主 (with an optional colon or space);</li>
 * <li>it stands next to a phone number (before it, with an optional 电话/手机/联系电话/联系方式
 * and colon, or right after it).</li>
 * </ol>
 * Each becomes {@link #NAME_MASK}. The rule errs on the side of masking: a place word that
 * happens to start with a surname right before 先生 may go with the name. A name outside these
 * positions (a bare 王建国 in the middle of a sentence) is not recognised, which is why the
 * public reply also replaces every name the case knows, and refuses what still carries a
 * name label.
 */
public final class Pii {
    /** What a masked person name becomes. */
    public static final String NAME_MASK = "网友";

    private static final String D = "[0-9\\uFF10-\\uFF19]";
    private static final String S = "[ \\t\\u00A0\\u3000\\-\\uFF0D\\u2010-\\u2014]{0,2}";
    private static final String NOT_GLUED_BEFORE = "(?<![0-9\\uFF10-\\uFF19A-Za-z+])";
    private static final String NOT_GLUED_AFTER = "(?!" + S + "[0-9\\uFF10-\\uFF19A-Za-z])";

    private static final Pattern ID_CARD = Pattern.compile(NOT_GLUED_BEFORE
            + "[1-9\\uFF11-\\uFF19](?:" + S + D + "){16}" + S + "[0-9\\uFF10-\\uFF19Xx\\uFF38\\uFF58]" + NOT_GLUED_AFTER);
    private static final Pattern MOBILE = Pattern.compile(NOT_GLUED_BEFORE
            + "((?:\\+|00)?86" + S + "|\\(\\+?86\\)" + S + ")?[1\\uFF11]" + S + "[3-9\\uFF13-\\uFF19](?:" + S + D + "){9}" + NOT_GLUED_AFTER);
    private static final Pattern LANDLINE = Pattern.compile(NOT_GLUED_BEFORE
            + "((?:(?:\\+|00)86" + S + "(?:\\(0?" + D + "{2,3}\\)|0?" + D + "{2,3}))|\\(0" + D + "{2,3}\\)|[0\\uFF10]" + D + "{2,3})"
            + "(" + S + D + "{3,4}" + S + D + "{4})" + NOT_GLUED_AFTER);

    /** Common Chinese family names (the first hundred or so by population, and a few more). */
    static final String SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
            + "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫"
            + "孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单";
    /** A given-name character: Chinese, but not one that starts what usually follows a name. */
    private static final String GIVEN = "[\\p{IsHan}&&[^先女同师老阿电手联反称说家的在于住是已来打向和与及等现您你我他她们某、]]";
    private static final String NAME = "[" + SURNAMES + "]" + GIVEN + "{1,2}";
    /**
     * Words that end right before a name and start with a surname character themselves (感谢, 谢谢,
     * 向...): kept, so that 感谢王女士 becomes 感谢网友, not 感网友.
     */
    private static final String LEAD_IN = "(感谢|谢谢|致谢|向|和|与|跟|给|对|让|请|经|由|找|叫|把|被|将|及)?";
    private static final Pattern NAME_BEFORE_TITLE = Pattern.compile(LEAD_IN + "[" + SURNAMES + "][\\p{IsHan}&&[^的在于是和与及等您你我他她]]{0,2}"
            + "(?:老先生|老太太|先生|女士|同志|师傅|老师|小姐|大爷|大妈|阿姨|老人)");
    private static final Pattern NAME_AFTER_CUE = Pattern.compile(
            "(我叫|我是|本人|联系人|姓名|名字|申请人|反映人|来电人|投诉人|举报人|当事人|户主|业主)([:：]?[ \\u3000]?)"
                    + "[" + SURNAMES + "]" + GIVEN + "{1,2}");
    /** A phone number as {@link #maskInText} leaves it: 139****5678 (maybe after +86), 0318-****34. */
    private static final String MASKED_PHONE = "(?:(?:\\+|00)?86[ \\-]?)?[0-9]{3}\\*{4}[0-9]{4}|[(+0-9][0-9() +\\-]{1,10}\\*{4}[0-9]{2}";
    private static final Pattern NAME_BEFORE_PHONE = Pattern.compile(LEAD_IN + NAME
            + "(?=[,，:： \\u3000]?(?:联系电话|电话|手机号|手机|联系方式)?[:：]?[ \\u3000]?(?:" + MASKED_PHONE + "))");
    private static final Pattern NAME_AFTER_PHONE = Pattern.compile("(" + MASKED_PHONE + ")([ \\u3000,，]?)" + NAME);

    private Pii() {}

    public static String maskPhone(String phone) {
        if (phone == null || phone.length() < 7) return phone == null ? null : "****";
        return phone.substring(0, 3) + "****" + phone.substring(phone.length() - 4);
    }

    /** Masks ID-card, mobile and landline numbers inside free text (see the class comment). */
    public static String maskInText(String text) {
        if (text == null) return null;
        String t = replace(ID_CARD, text, Pii::maskIdCard);
        t = replace(MOBILE, t, Pii::maskMobile);
        return replace(LANDLINE, t, Pii::maskLandline);
    }

    /**
     * Every personal number of a text as written, with what {@link #maskInText} shows for it, in
     * order of appearance (the first writing of a masked form kept; {@code ambiguous} lists the
     * masked forms that stand for two different numbers). For putting numbers back after an edit.
     */
    public static Map<String, String> numbersByMask(String text, List<String> ambiguous) {
        Map<String, String> byMask = new LinkedHashMap<>();
        if (text == null) return byMask;
        List<Pattern> patterns = List.of(ID_CARD, MOBILE, LANDLINE);
        List<Function<MatchResult, String>> maskers = List.of(Pii::maskIdCard, Pii::maskMobile, Pii::maskLandline);
        String t = text;
        for (int i = 0; i < patterns.size(); i++) {
            Matcher m = patterns.get(i).matcher(t);
            while (m.find()) {
                String masked = maskers.get(i).apply(m);
                String before = byMask.putIfAbsent(masked, m.group());
                if (before != null && !before.equals(m.group()) && !ambiguous.contains(masked)) ambiguous.add(masked);
            }
            // The next pattern looks at what this one left, as maskInText does.
            t = replace(patterns.get(i), t, maskers.get(i));
        }
        return byMask;
    }

    /**
     * Masks the numbers ({@link #maskInText}), then the person names found by the rule of the
     * class comment: what a text published on the internet may show at most.
     */
    public static String maskNumbersAndNames(String text) {
        if (text == null) return null;
        String t = maskInText(text);
        t = NAME_AFTER_CUE.matcher(t).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + NAME_MASK));
        t = NAME_BEFORE_TITLE.matcher(t).replaceAll(m -> Matcher.quoteReplacement(nullToEmpty(m.group(1)) + NAME_MASK));
        t = NAME_BEFORE_PHONE.matcher(t).replaceAll(m -> Matcher.quoteReplacement(nullToEmpty(m.group(1)) + NAME_MASK));
        return NAME_AFTER_PHONE.matcher(t).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + NAME_MASK));
    }

    /** The kinds of personal number {@link #maskInText} masks. */
    public enum Kind { ID_CARD, MOBILE, LANDLINE }

    /** A personal number found in a text: its kind and its digits (full-width as ASCII, an ID's X as X). */
    public record Found(Kind kind, String digits) {}

    /**
     * Every personal number of a text, in the order the masking finds them (ID cards, then mobiles,
     * then landlines): for checks such as "does this reply carry the citizen's phone", never for display.
     */
    public static List<Found> numbersIn(String text) {
        List<Found> found = new java.util.ArrayList<>();
        if (text == null) return found;
        String t = text;
        Pattern[] patterns = {ID_CARD, MOBILE, LANDLINE};
        Kind[] kinds = Kind.values();
        List<Function<MatchResult, String>> maskers = List.of(Pii::maskIdCard, Pii::maskMobile, Pii::maskLandline);
        for (int i = 0; i < patterns.length; i++) {
            Matcher m = patterns[i].matcher(t);
            while (m.find()) {
                String d = digits(kinds[i] == Kind.MOBILE && m.group(1) != null ? m.group().substring(m.group(1).length()) : m.group());
                found.add(new Found(kinds[i], d));
            }
            t = replace(patterns[i], t, maskers.get(i));
        }
        return found;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String replace(Pattern p, String text, Function<MatchResult, String> mask) {
        return p.matcher(text).replaceAll(m -> Matcher.quoteReplacement(mask.apply(m)));
    }

    private static String digits(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (c >= '0' && c <= '9') b.append((char) c);
            else if (c >= 0xFF10 && c <= 0xFF19) b.append((char) ('0' + c - 0xFF10));
            else if (c == 'X' || c == 'x' || c == 0xFF38 || c == 0xFF58) b.append('X');
        });
        return b.toString();
    }

    private static String maskIdCard(MatchResult m) {
        String d = digits(m.group());
        return d.substring(0, 6) + "********" + d.substring(14);
    }

    private static String maskMobile(MatchResult m) {
        String prefix = m.group(1) == null ? "" : m.group(1);
        String d = digits(m.group().substring(prefix.length()));
        return prefix + d.substring(0, 3) + "****" + d.substring(7);
    }

    private static String maskLandline(MatchResult m) {
        String local = digits(m.group(2));
        String area = m.group(1);
        String sep = m.group(2).isEmpty() || Character.isDigit(m.group(2).charAt(0)) ? "-" : "";
        return area + (sep.isEmpty() ? m.group(2).substring(0, 1) : sep) + "****" + local.substring(local.length() - 2);
    }
}
