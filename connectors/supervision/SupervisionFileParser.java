package appealhub.connectors.supervision;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A clue file's bytes → header and rows, with Apache Commons CSV (RFC 4180: quoted fields
 * with commas, doubled quotes and line breaks). Each row keeps its own text as it stood in
 * the file, so it can be stored raw. The header must be exactly {@link SupervisionCsv#HEADER};
 * otherwise the whole file is refused ({@link FileRefused}). Rows are not checked here; bytes
 * that are not GBK are marked in the text ({@link #decode}), and a row holding them is the
 * caller's bad row ({@link #hasBadBytes}).
 */
public final class SupervisionFileParser {

    /** One data row: its number among the data rows (1 = first after the header), its first line in the file, its cells, its text. */
    public record Row(int number, long line, List<String> cells, String text) {}

    /**
     * @param rows        every row read
     * @param brokenAt    the CSV syntax error that stopped reading (an unclosed quote...), or null
     * @param brokenText  the text from there to the end of the file, not read as rows (null when not broken)
     */
    public record Parsed(List<Row> rows, String brokenAt, String brokenText, long brokenLine) {}

    /** The file as a whole cannot be read (empty, a header that is wrong or not GBK); the message says why, for staff. */
    public static class FileRefused extends RuntimeException {
        FileRefused(String message) {
            super(message);
        }
    }

    private SupervisionFileParser() {}

    /**
     * Stands for a byte (or byte pair) that is not GBK: the decoded text has it where the bad
     * bytes were. GBK itself has no U+FFFD, so it never comes from a good byte: a row holding it
     * is a bad row ({@link #BAD_BYTES}), the other rows are read as usual.
     */
    public static final char BAD_BYTE = '\uFFFD';
    /** The bad-row reason of a row with bytes that are not GBK. */
    public static final String BAD_BYTES = "含有不是GBK编码的字节（错误文件中显示为\uFFFD），该条未导入";

    /**
     * GBK, one bad byte at a time: each byte sequence that is not GBK becomes {@link #BAD_BYTE}
     * (never a silent '?'), so one broken row does not stop the others. A bad GBK lead byte never
     * swallows the comma, quote or line break after it (GBK trail bytes are 0x40-0xFE), so the
     * CSV structure around it survives.
     */
    public static String decode(byte[] bytes) {
        CharsetDecoder decoder = SupervisionCsv.GBK.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 16);
        while (true) {
            CoderResult r = decoder.decode(in, out, true);
            if (r.isUnderflow()) break;
            if (r.isOverflow()) {
                out = grow(out);
            } else {
                if (!out.hasRemaining()) out = grow(out);
                out.put(BAD_BYTE);
                in.position(in.position() + r.length());
            }
        }
        while (decoder.flush(out).isOverflow()) out = grow(out);
        return out.flip().toString();
    }

    /** True when the row holds bytes that were not GBK. */
    public static boolean hasBadBytes(Row row) {
        return row.text().indexOf(BAD_BYTE) >= 0 || row.cells().stream().anyMatch(c -> c.indexOf(BAD_BYTE) >= 0);
    }

    private static CharBuffer grow(CharBuffer out) {
        CharBuffer bigger = CharBuffer.allocate(out.capacity() * 2 + 16);
        out.flip();
        bigger.put(out);
        return bigger;
    }

    public static Parsed parse(String text) {
        int[] lineStarts = lineStarts(text);
        List<Row> rows = new ArrayList<>();
        List<Integer> rowStarts = new ArrayList<>();
        try (CSVParser parser = SupervisionCsv.READ.parse(new StringReader(text))) {
            Iterator<CSVRecord> it = parser.iterator();
            int start = 0;
            long startLine = 1;
            boolean header = true;
            while (true) {
                CSVRecord record;
                try {
                    if (!it.hasNext()) break;
                    record = it.next();
                } catch (UncheckedIOException | IllegalStateException e) {
                    if (header) throw new FileRefused("表头无法读取：" + message(e));
                    return new Parsed(rows, "第" + startLine + "行起CSV格式错误，其后内容未能读取：" + message(e),
                            text.substring(start).strip(), startLine);
                }
                long lines = parser.getCurrentLineNumber();
                int end = (int) Math.min(lines, lineStarts.length - 1L);
                int endOffset = Math.max(lineStarts[end], start);
                List<String> cells = record.toList();
                if (header) {
                    checkHeader(cells);
                    header = false;
                } else {
                    rowStarts.add(start);
                    rows.add(new Row(rows.size() + 1, startLine + leadingBlankLines(text, start, endOffset),
                            cells, text.substring(start, endOffset).strip()));
                }
                start = endOffset;
                startLine = lines + 1;
            }
            if (header) throw new FileRefused("文件为空，没有表头");
            // The last record may end without a line break: it runs to the end of the text.
            if (!rows.isEmpty() && start < text.length()) {
                Row last = rows.remove(rows.size() - 1);
                rows.add(new Row(last.number(), last.line(), last.cells(),
                        text.substring(rowStarts.get(rowStarts.size() - 1)).strip()));
            }
            return new Parsed(rows, null, null, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void checkHeader(List<String> cells) {
        List<String> got = cells.stream().map(c -> c.replace("\uFEFF", "").strip()).toList();
        if (got.stream().anyMatch(c -> c.indexOf(BAD_BYTE) >= 0)) {
            throw new FileRefused("表头不符（含有不是GBK编码的字节，文件可能不是GBK编码），整个文件未导入。应为："
                    + String.join(",", SupervisionCsv.HEADER));
        }
        if (!got.equals(SupervisionCsv.HEADER)) {
            throw new FileRefused("表头不符，整个文件未导入。应为：" + String.join(",", SupervisionCsv.HEADER)
                    + "；实际为：" + String.join(",", got));
        }
    }

    private static long leadingBlankLines(String text, int from, int to) {
        long n = 0;
        int i = from;
        while (i < to && (text.charAt(i) == '\r' || text.charAt(i) == '\n')) {
            if (text.charAt(i) == '\n' || i + 1 >= to || text.charAt(i + 1) != '\n') n++;
            i++;
        }
        return n;
    }

    /** Offsets where each line starts (CRLF, CR or LF end a line); index n = start of line n+1. */
    private static int[] lineStarts(String text) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) starts.add(i + 1);
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String message(RuntimeException e) {
        Throwable t = e.getCause() != null ? e.getCause() : e;
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
