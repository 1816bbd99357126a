package appealhub.connectors.supervision;

import appealhub.connectors.supervision.SupervisionFileParser.FileRefused;
import appealhub.connectors.supervision.SupervisionFileParser.Row;
import appealhub.connectors.supervision.SupervisionMapper.BadRow;
import appealhub.intake.IntakeGuard;
import appealhub.intake.IntakeService;
import appealhub.model.Appeal;
import appealhub.store.RawItemStore;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFile;
import org.apache.commons.csv.CSVPrinter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * One clue file from the inbox (its .ok marker exists): stored raw whole, first; then read as
 * GBK CSV, header checked, and each row stored raw, mapped and taken in on its own. Bad rows
 * (a byte that is not GBK included)
 * do not stop good ones: they are kept INVALID with their reason and written to
 * {@code <name>.errors.csv} (UTF-8 with BOM, the original columns plus 错误原因) beside the
 * processed file. The file and its .ok then move to the processed folder (the route's move
 * option, to the path this sets in {@link #MOVE_TO}); a name already there gets a suffix, so
 * nothing processed before is overwritten. A failure of the hub itself (database down) throws:
 * the file stays in the inbox and is read again, its rows already taken recognised.
 */
@Component
public class SupervisionInbound {
    private static final Logger log = LoggerFactory.getLogger(SupervisionInbound.class);
    static final String MOVE_TO = "SupervisionMoveTo";
    private static final String CHANNEL = SupervisionCsv.CHANNEL;

    /** What became of one file. */
    public record Outcome(String fileName, String status, int rows, int taken, int known, int bad, Path movedTo,
                          Path errorsFile, String reason) {}

    private record Bad(List<String> cells, String reason) {}

    private final SupervisionProperties props;
    private final RawItemStore raw;
    private final IntakeService intake;
    private final SupervisionStore store;
    private final Clock clock;

    public SupervisionInbound(SupervisionProperties props, RawItemStore raw, IntakeService intake,
                              SupervisionStore store, Clock clock) {
        this.props = props;
        this.raw = raw;
        this.intake = intake;
        this.store = store;
        this.clock = clock;
    }

    /** The file route's processor: the body is the file consumer's GenericFile. */
    public void onFile(Exchange exchange) throws IOException {
        GenericFile<?> file = exchange.getIn().getBody(GenericFile.class);
        Path path = ((File) file.getFile()).toPath();
        Outcome outcome = take(path);
        exchange.getIn().setHeader(MOVE_TO, outcome.movedTo().toAbsolutePath().toString());
    }

    Outcome take(Path path) throws IOException {
        String name = path.getFileName().toString();
        byte[] bytes = Files.readAllBytes(path);
        long fileRawId = raw.store(CHANNEL, "file", "text/csv;charset=GBK", bytes);
        Instant receivedAt = clock.instant();

        Path processed = Path.of(props.processed());
        Files.createDirectories(processed);
        Path target = freeName(processed, name);
        Path errorsFile = errorsFileOf(target);

        SupervisionFileParser.Parsed parsed;
        try {
            parsed = SupervisionFileParser.parse(SupervisionFileParser.decode(bytes));
        } catch (FileRefused e) {
            raw.mark(fileRawId, RawItemStore.Status.INVALID, name, null, e.getMessage());
            writeErrors(errorsFile, List.of(new Bad(List.of(), e.getMessage())));
            keepDoneMarker(path, target);
            store.recordFile(name, fileRawId, "REFUSED", 0, 0, 0, 0, e.getMessage(), target.toString(), errorsFile.toString());
            log.warn("supervision file {} refused as a whole ({}): moved to {}, reason in {}; raw item {}",
                    name, e.getMessage(), target, errorsFile.getFileName(), fileRawId);
            return new Outcome(name, "REFUSED", 0, 0, 0, 0, target, errorsFile, e.getMessage());
        }

        int taken = 0;
        int known = 0;
        List<Bad> bad = new ArrayList<>();
        for (Row row : parsed.rows()) {
            long rowRawId = raw.store(CHANNEL, "row", "text/csv;charset=UTF-8", row.text().getBytes(StandardCharsets.UTF_8));
            try {
                // A byte that is not GBK spoils its own row only: the others are still taken.
                if (SupervisionFileParser.hasBadBytes(row)) throw new BadRow(SupervisionFileParser.BAD_BYTES);
                Appeal appeal = SupervisionMapper.toAppeal(row.cells(), rowRawId, receivedAt);
                // Too long for the store (反映标题, 涉及地区) or refused by it: a bad row like any other,
                // so the rest of the file is still taken and the file leaves the inbox (never read again and again).
                IntakeService.Result result = IntakeGuard.take(intake, appeal, SupervisionMapper::describe, BadRow::new);
                if (result.duplicate()) known++;
                else taken++;
            } catch (BadRow e) {
                String reason = e.getMessage();
                raw.mark(rowRawId, RawItemStore.Status.INVALID, SupervisionMapper.clueId(row.cells()), null,
                        name + " 第" + row.number() + "条（第" + row.line() + "行）：" + reason);
                bad.add(new Bad(row.cells(), reason));
            }
        }
        if (parsed.brokenAt() != null) {
            long tailRawId = raw.store(CHANNEL, "row", "text/csv;charset=UTF-8", parsed.brokenText().getBytes(StandardCharsets.UTF_8));
            raw.mark(tailRawId, RawItemStore.Status.INVALID, null, null, name + " " + parsed.brokenAt());
            bad.add(new Bad(List.of(parsed.brokenText()), parsed.brokenAt()));
        }
        int rows = parsed.rows().size() + (parsed.brokenAt() != null ? 1 : 0);
        if (!bad.isEmpty()) writeErrors(errorsFile, bad);
        keepDoneMarker(path, target);
        String status = bad.isEmpty() ? "DONE" : "PARTIAL";
        String note = bad.isEmpty() ? null : bad.size() + " bad rows, see " + errorsFile.getFileName();
        raw.mark(fileRawId, RawItemStore.Status.ACCEPTED, name, null, note);
        store.recordFile(name, fileRawId, status, rows, taken, known, bad.size(), note, target.toString(),
                bad.isEmpty() ? null : errorsFile.toString());
        if (bad.isEmpty()) {
            log.info("supervision file {}: {} rows, {} taken in, {} already known; moved to {}",
                    name, rows, taken, known, target);
        } else {
            log.warn("supervision file {}: {} rows, {} taken in, {} already known, {} BAD rows written to {} "
                            + "(raw items INVALID, GET /ops/raw); moved to {}",
                    name, rows, taken, known, bad.size(), errorsFile.getFileName(), target);
        }
        return new Outcome(name, status, rows, taken, known, bad.size(), target,
                bad.isEmpty() ? null : errorsFile, note);
    }

    /** The original columns (padded; extra cells kept together in the last one) plus 错误原因; UTF-8 with BOM for Excel/WPS. */
    private static void writeErrors(Path errorsFile, List<Bad> bad) throws IOException {
        Path temp = errorsFile.resolveSibling("." + errorsFile.getFileName() + ".tmp");
        int columns = SupervisionCsv.HEADER.size();
        try (OutputStream out = Files.newOutputStream(temp);
             Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8)) {
            writer.write('\uFEFF');
            try (CSVPrinter csv = new CSVPrinter(writer, SupervisionCsv.WRITE)) {
                List<String> header = new ArrayList<>(SupervisionCsv.HEADER);
                header.add(SupervisionCsv.ERROR_COLUMN);
                csv.printRecord(header);
                for (Bad b : bad) {
                    List<String> line = new ArrayList<>();
                    for (int i = 0; i < columns; i++) {
                        String cell;
                        if (i < columns - 1 || b.cells().size() <= columns) {
                            cell = i < b.cells().size() ? b.cells().get(i) : "";
                        } else {
                            cell = String.join(",", b.cells().subList(i, b.cells().size()));
                        }
                        line.add(SupervisionCsv.safe(cell));
                    }
                    line.add(SupervisionCsv.safe(b.reason()));
                    csv.printRecord(line);
                }
            }
        }
        Files.move(temp, errorsFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Camel deletes the inbox's .ok after processing; a copy goes beside the processed file, so both are kept. */
    private static void keepDoneMarker(Path file, Path target) {
        Path ok = file.resolveSibling(file.getFileName() + ".ok");
        try {
            if (Files.exists(ok)) Files.copy(ok, target.resolveSibling(target.getFileName() + ".ok"),
                    StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep " + ok, e);
        }
    }

    /** processed/<name>, or <stem>.2.csv, .3 ... when a file of that name was processed before. */
    static Path freeName(Path dir, String name) {
        Path p = dir.resolve(name);
        String stem = stem(name);
        String ext = name.substring(stem.length());
        for (int n = 2; Files.exists(p) || Files.exists(errorsFileOf(p)); n++) {
            p = dir.resolve(stem + "." + n + ext);
        }
        return p;
    }

    /** The spec's {@code <name>.errors.csv}, beside the processed file: DC_20250409_001.csv.errors.csv. */
    static Path errorsFileOf(Path processedFile) {
        return processedFile.resolveSibling(processedFile.getFileName() + ".errors.csv");
    }

    private static String stem(String name) {
        int dot = name.toLowerCase().lastIndexOf(".csv");
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
