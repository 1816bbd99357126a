package appealhub.supervision;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * Plays the provincial relay in tests: drops GBK clue files (data first, .ok after) into the
 * hub's inbox, and reads the result files the hub leaves in its outbox.
 */
public final class SupervisionRelay {
    public static final Charset GBK = Charset.forName("GBK");
    public static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm");
    public static final List<String> HEADER = List.of("线索编号", "提交时间", "反映人", "联系电话", "反映标题", "反映内容",
            "涉及地区", "督查类别", "办理期限");

    public final Path inbox;
    public final Path outbox;
    public final Path processed;

    public SupervisionRelay(Path root) {
        this.inbox = root.resolve("inbox");
        this.outbox = root.resolve("outbox");
        this.processed = root.resolve("processed");
    }

    /** A row of the 9 columns, with a submission time an hour ago and a deadline in ten days. */
    public static List<String> clue(String id, String title, String content, String area, String category) {
        ZonedDateTime now = ZonedDateTime.now(BEIJING);
        return List.of(id, now.minusHours(1).format(TIME), "张某某", "13800001111", title, content, area, category,
                now.plusDays(10).format(TIME));
    }

    /** RFC 4180 text (CRLF, quotes where needed) with the given header. */
    public static String csv(List<String> header, List<List<String>> rows) {
        StringWriter out = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(out, CSVFormat.RFC4180)) {
            p.printRecord(header);
            for (List<String> r : rows) p.printRecord(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public Path drop(String name, String text, boolean withOk) {
        return drop(name, text.getBytes(GBK), withOk);
    }

    public Path drop(String name, byte[] bytes, boolean withOk) {
        try {
            Files.createDirectories(inbox);
            Path file = Files.write(inbox.resolve(name), bytes);
            if (withOk) ok(name);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void ok(String name) {
        try {
            Files.write(inbox.resolve(name + ".ok"), new byte[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> outboxFiles() {
        return list(outbox);
    }

    static List<String> list(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A result file read as GBK, header included. */
    List<CSVRecord> readResults(String name) {
        return read(outbox.resolve(name), GBK);
    }

    public static List<CSVRecord> read(Path file, Charset charset) {
        try {
            String text = new String(Files.readAllBytes(file), charset);
            if (text.startsWith("\uFEFF")) text = text.substring(1);
            try (var parser = CSVFormat.RFC4180.parse(new StringReader(text))) {
                return new ArrayList<>(parser.getRecords());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
