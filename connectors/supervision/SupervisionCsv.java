package appealhub.connectors.supervision;

import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.QuoteMode;

/** The file formats of the channel (../shared/upstream/supervision.md), in one place. */
public final class SupervisionCsv {
    public static final String CHANNEL = "supervision";
    public static final Charset GBK = Charset.forName("GBK");

    /** Inbound clue file header, exact names in this order. */
    public static final List<String> HEADER = List.of(
            "线索编号", "提交时间", "反映人", "联系电话", "反映标题", "反映内容", "涉及地区", "督查类别", "办理期限");
    public static final String ERROR_COLUMN = "错误原因";
    /** Outbound result file header. */
    public static final List<String> RESULT_HEADER = List.of("线索编号", "办理状态", "办理结果", "办理单位", "办结时间");

    /** yyyy/MM/dd HH:mm, Beijing time, strictly (2025/02/30 is not a date). */
    public static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu/MM/dd HH:mm")
            .withResolverStyle(ResolverStyle.STRICT);

    /** RFC 4180: comma, double quotes (doubled inside), CRLF; quoted fields may hold commas, quotes, line breaks. */
    public static final CSVFormat READ = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).get();
    public static final CSVFormat WRITE = CSVFormat.RFC4180.builder().setQuoteMode(QuoteMode.MINIMAL)
            .setRecordSeparator("\r\n").get();

    /**
     * Written in a GBK result file for a character GBK cannot hold (an emoji, a rare character
     * such as 𠮷 outside GBK): □, the usual mark of a missing character, never a silent '?'.
     */
    public static final String GBK_SUBSTITUTE = "□";

    /** A text made GBK-safe: the text with {@link #GBK_SUBSTITUTE}s, and the characters replaced (U+XXXX, in order). */
    public record GbkSafe(String text, List<String> replaced) {
        public boolean changed() {
            return !replaced.isEmpty();
        }
    }

    private SupervisionCsv() {}

    /** Every character (code point) GBK cannot hold becomes {@link #GBK_SUBSTITUTE}; the rest is kept as it is. */
    public static GbkSafe gbkSafe(String text) {
        if (text == null) return new GbkSafe(null, List.of());
        CharsetEncoder encoder = GBK.newEncoder();
        if (encoder.canEncode(text)) return new GbkSafe(text, List.of());
        StringBuilder out = new StringBuilder(text.length());
        List<String> replaced = new ArrayList<>();
        text.codePoints().forEach(cp -> {
            String ch = new String(Character.toChars(cp));
            if (encoder.canEncode(ch)) {
                out.append(ch);
            } else {
                out.append(GBK_SUBSTITUTE);
                replaced.add(String.format("U+%04X", cp));
            }
        });
        return new GbkSafe(out.toString(), List.copyOf(replaced));
    }

    /**
     * A cell a spreadsheet (Excel, WPS) would run as a formula (CSV injection): starting with
     * = + - @, a tab or a carriage return. Prefixed with a single quote so it shows as text.
     */
    public static String safe(String cell) {
        if (cell == null || cell.isEmpty()) return cell == null ? "" : cell;
        char c = cell.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + cell : cell;
    }
}
