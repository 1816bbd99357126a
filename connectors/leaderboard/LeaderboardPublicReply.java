package appealhub.connectors.leaderboard;

import appealhub.model.Pii;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reply about to be published on the internet under the citizen's message: no phone
 * numbers, no ID-card numbers, no person's name.
 * <ol>
 * <li>The names of the case's citizens (from every appeal of the case, whatever channel it came
 * through) are replaced by "网友", as are "王先生"/"王女士" forms of their surnames.</li>
 * <li>Numbers are masked: ID cards, mobiles (also with +86 or written with spaces or hyphens),
 * landlines ({@link Pii#maskInText}); then any person's name the rule of {@link Pii} recognises
 * (a common surname before 先生/女士/同志/师傅..., after 我叫/本人/联系人/姓名..., or next to a
 * phone number) becomes "网友" ({@link Pii#maskNumbersAndNames}).</li>
 * <li>A final guard ({@link #problem}) looks at the result: if it still finds a number that could
 * be a phone or ID number (7 or more digits in a row, counting digits split by spaces, hyphens or
 * dots, ASCII or full-width, or written in Chinese numerals; a code glued to letters such as a
 * work-order number GD2025…, a date and an amount with its unit are not numbers of a person), or
 * a name label with a value, the reply is not published: it goes to operations, and
 * {@link #problem} says why, without quoting it.</li>
 * </ol>
 */
public final class LeaderboardPublicReply {
    static final String NAME_REPLACEMENT = Pii.NAME_MASK;
    private static final String DIGIT = "[0-9\\uFF10-\\uFF19]";
    /** Digits, maybe split by single spaces, hyphens, dots or slashes: the run is judged by its digit count. */
    private static final Pattern DIGIT_RUN = Pattern.compile("(?<![0-9\\uFF10-\\uFF19A-Za-z*])" + DIGIT
            + "(?:[ \\u00A0\\u3000\\-\\uFF0D.\\uFF0E/]?" + DIGIT + ")*(?![A-Za-z*])");
    /** A date (2024-04-09, 2024.4.9, 2024/04/09) or time of day: many digits, nobody's number. */
    private static final Pattern DATE = Pattern.compile("(19|20)\\d{2}[-./]\\d{1,2}[-./]\\d{1,2}|\\d{1,2}:\\d{2}");
    /** An amount or quantity: digits followed by a unit. */
    private static final Pattern UNIT_AFTER = Pattern.compile("^\\s?(元|万|亿|米|千米|公里|平方|亩|吨|户|人|次|件|个|辆|天|小时|分钟|年|月|日|号楼|号)");
    private static final Pattern CHINESE_DIGITS = Pattern.compile("[〇零一二三四五六七八九幺两壹贰叁肆伍陆柒捌玖]{7,}");
    private static final Pattern NAME_LABEL = Pattern.compile("(姓名|名字|联系人)\\s*[:：]\\s*(?!网友)\\p{IsHan}");
    static final int MIN_DIGITS = 7;

    private LeaderboardPublicReply() {}

    /** The text with the given citizens' names replaced, numbers masked and any recognisable person name replaced. */
    public static String strip(String text, Collection<String> citizenNames) {
        if (text == null) return null;
        String t = text;
        List<String> names = citizenNames.stream().filter(Objects::nonNull).map(String::trim)
                .filter(n -> n.length() >= 2).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        for (String name : names) t = t.replace(name, NAME_REPLACEMENT);
        for (String name : names) {
            // "王建国" may also be addressed as 王先生 / 王女士 (surname + title).
            t = t.replaceAll(Pattern.quote(name.substring(0, 1)) + "(先生|女士|老先生|老太太|大爷|大妈|阿姨)", NAME_REPLACEMENT);
        }
        return Pii.maskNumbersAndNames(t);
    }

    /** Why the (already stripped) text must not be published, or null if it may be. Never quotes the data. */
    public static String problem(String stripped) {
        if (stripped == null || stripped.isBlank()) return "the reply text is empty";
        String scan = DATE.matcher(stripped).replaceAll("#");
        Matcher m = DIGIT_RUN.matcher(scan);
        while (m.find()) {
            String run = m.group();
            long digits = run.codePoints().filter(c -> (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19)).count();
            if (digits < MIN_DIGITS) continue;
            // 12000000元: an amount, written in one piece before its unit.
            if (UNIT_AFTER.matcher(scan.substring(m.end())).find() && run.chars().allMatch(Character::isDigit)) continue;
            return "it still contains a long number of " + digits + " digits (phone, ID or account number?)";
        }
        if (CHINESE_DIGITS.matcher(stripped).find()) return "it still contains a number written in Chinese numerals";
        if (NAME_LABEL.matcher(stripped).find()) return "it still contains a name field (姓名：…)";
        return null;
    }
}
