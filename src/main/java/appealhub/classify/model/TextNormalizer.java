package appealhub.classify.model;

import java.text.Normalizer;
import java.util.regex.Pattern;

/**
 * Cleans appeal text before features are taken: the scraped HTML residue (leading line
 * breaks, tabs, non-breaking and ideographic spaces) goes, full-width forms become
 * half-width (NFKC), Latin letters are lower-cased and every run of digits becomes one "0"
 * (house numbers, dates and amounts carry no topic). The training data's anonymised place
 * codes ("A市", "A3区", "D7县") become a space: they say where, not what, and "X区" would
 * otherwise teach that any district name means 城乡建设.
 */
public final class TextNormalizer {

    /** Anonymised administrative units of the training data, after lower-casing and digit folding. */
    private static final Pattern ANONYMISED_PLACE = Pattern.compile("(?<![a-z])[a-z]0?[省市区县]");

    private TextNormalizer() {}

    public static String normalize(String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC);
        StringBuilder out = new StringBuilder(s.length());
        boolean space = false;
        boolean digit = false;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isWhitespace(ch) || Character.isSpaceChar(ch) || Character.isISOControl(ch)) {
                space = true;
                digit = false;
                continue;
            }
            if (space && out.length() > 0) {
                out.append(' ');
            }
            space = false;
            if (Character.isDigit(ch)) {
                if (!digit) {
                    out.append('0');
                }
                digit = true;
                continue;
            }
            digit = false;
            out.append(Character.toLowerCase(ch));
        }
        return ANONYMISED_PLACE.matcher(out).replaceAll(" ");
    }

    /** A character that belongs to a word (CJK ideograph, letter or digit); others split n-grams. */
    static boolean isWordChar(char ch) {
        return Character.isLetterOrDigit(ch);
    }
}
