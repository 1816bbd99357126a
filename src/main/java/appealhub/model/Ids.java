package appealhub.model;

import java.security.SecureRandom;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** Readable, sortable, collision-safe ids: prefix + Beijing date/time + 8 random base-32 chars. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyMMddHHmm");
    public static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");

    private Ids() {}

    public static String appeal() { return next("AP"); }
    public static String caseId() { return next("CS"); }
    public static String task() { return next("TK"); }

    private static String next(String prefix) {
        StringBuilder sb = new StringBuilder(prefix).append(ZonedDateTime.now(BEIJING).format(STAMP));
        for (int i = 0; i < 8; i++) sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        return sb.toString();
    }
}
