package appealhub.connectors.leaderboard;

import appealhub.model.Pii;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A reply about to be published on the internet under the citizen's message: no phone
 * numbers, no ID-card numbers, no citizen's name. Numbers are masked ({@link Pii#maskInText});
 * the names of the case's citizens (from every appeal of the case, whatever channel it came
 * through) are replaced by "网友", as are "王先生"/"王女士" forms of their surnames. What still looks
 * like personal data afterwards (a run of 11+ digits not part of a code such as a work-order number GD2025…, spaced-out mobile numbers, a "姓名：" label
 * with a value) is not published: {@link #problem} says why, without quoting it.
 */
public final class LeaderboardPublicReply {
    static final String NAME_REPLACEMENT = "网友";
    private static final Pattern LONG_DIGITS = Pattern.compile("(?<![A-Za-z0-9])\\d{11,}");
    private static final Pattern SPACED_MOBILE = Pattern.compile("(?<!\\d)1[3-9]\\d[\\s-]?\\d{4}[\\s-]?\\d{4}(?!\\d)");
    private static final Pattern NAME_LABEL = Pattern.compile("(姓名|名字)\\s*[:：]\\s*\\p{IsHan}");

    private LeaderboardPublicReply() {}

    /** The text with numbers masked and the given citizens' names replaced. */
    public static String strip(String text, Collection<String> citizenNames) {
        if (text == null) return null;
        String t = Pii.maskInText(text);
        List<String> names = citizenNames.stream().filter(Objects::nonNull).map(String::trim)
                .filter(n -> n.length() >= 2).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        for (String name : names) t = t.replace(name, NAME_REPLACEMENT);
        for (String name : names) {
            // "王建国" may also be addressed as 王先生 / 王女士 (surname + title).
            t = t.replaceAll(Pattern.quote(name.substring(0, 1)) + "(先生|女士|老先生|老太太|大爷|大妈|阿姨)", NAME_REPLACEMENT);
        }
        return t;
    }

    /** Why the (already stripped) text must not be published, or null if it may be. Never quotes the data. */
    public static String problem(String stripped) {
        if (stripped == null || stripped.isBlank()) return "the reply text is empty";
        if (SPACED_MOBILE.matcher(stripped).find()) return "it still contains what looks like a mobile number";
        if (LONG_DIGITS.matcher(stripped).find()) return "it still contains a long number (phone, ID or account number?)";
        if (NAME_LABEL.matcher(stripped).find()) return "it still contains a name field (姓名：…)";
        return null;
    }
}
