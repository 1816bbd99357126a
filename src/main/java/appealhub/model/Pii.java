package appealhub.model;

import java.util.regex.Pattern;

/** Masks personal data where it must be shown at all (logs never show it). */
public final class Pii {
    private static final Pattern MOBILE = Pattern.compile("(?<!\\d)(1[3-9]\\d)\\d{4}(\\d{4})(?!\\d)");
    private static final Pattern ID_CARD = Pattern.compile("(?<![0-9A-Za-z])(\\d{6})\\d{8}(\\d{3}[0-9Xx])(?![0-9A-Za-z])");

    private Pii() {}

    public static String maskPhone(String phone) {
        if (phone == null || phone.length() < 7) return phone == null ? null : "****";
        return phone.substring(0, 3) + "****" + phone.substring(phone.length() - 4);
    }

    /** Masks mobile numbers and ID-card numbers inside free text. */
    public static String maskInText(String text) {
        if (text == null) return null;
        String t = ID_CARD.matcher(text).replaceAll("$1********$2");
        return MOBILE.matcher(t).replaceAll("$1****$2");
    }
}
