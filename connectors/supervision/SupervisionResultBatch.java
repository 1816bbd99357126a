package appealhub.connectors.supervision;

import appealhub.model.Ids;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.commons.csv.CSVPrinter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Writes the result batch: every result not yet in a batch → DCJG_yyyyMMdd_NNN.csv (GBK) in the
 * outbox, then its .ok marker. Steps, each safe to crash after:
 * <ol>
 *   <li>assign the results to a new batch in the database (ASSIGNED);</li>
 *   <li>write the file under a temporary name, then rename it (the relay takes only files with a .ok);</li>
 *   <li>mark the batch FILE_WRITTEN, write the .ok, mark it WRITTEN.</li>
 * </ol>
 * The next run first finishes any batch left behind: ASSIGNED is written again from its rows
 * (no .ok existed, so the relay cannot have taken it); FILE_WRITTEN gets its .ok if the file is
 * still there (if the relay already took it, the .ok was written). No result is written twice.
 */
@Component
public class SupervisionResultBatch {
    private static final Logger log = LoggerFactory.getLogger(SupervisionResultBatch.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm");

    /** What a run did: the files written (repaired ones first), and the new batch's rows. */
    public record Run(List<String> files, String newFile, int rows) {}

    private final SupervisionStore store;
    private final SupervisionProperties props;
    private final Clock clock;

    public SupervisionResultBatch(SupervisionStore store, SupervisionProperties props, Clock clock) {
        this.store = store;
        this.props = props;
        this.clock = clock;
    }

    /** One run (daily or on demand); one at a time in this hub (the database keeps instances apart). */
    public synchronized Run run() {
        Path outbox = Path.of(props.outbox());
        try {
            Files.createDirectories(outbox);
        } catch (IOException e) {
            throw new UncheckedIOException("supervision outbox " + outbox + " cannot be created", e);
        }
        List<String> written = new java.util.ArrayList<>();
        for (SupervisionStore.Batch unfinished : store.unfinishedBatches()) {
            log.warn("supervision result batch {} was left {}: finishing it", unfinished.fileName(), unfinished.status());
            finish(outbox, unfinished);
            written.add(unfinished.fileName());
        }
        String day = ZonedDateTime.now(clock.withZone(Ids.BEIJING)).format(DAY);
        SupervisionStore.Batch batch = store.assignBatch(day);
        if (batch == null) {
            if (written.isEmpty()) log.info("supervision result batch: nothing to write");
            return new Run(written, null, 0);
        }
        finish(outbox, batch);
        written.add(batch.fileName());
        log.info("supervision result batch {} written to the outbox: {} results", batch.fileName(), batch.rows());
        return new Run(written, batch.fileName(), batch.rows());
    }

    private void finish(Path outbox, SupervisionStore.Batch batch) {
        Path file = outbox.resolve(batch.fileName());
        Path ok = outbox.resolve(batch.fileName() + ".ok");
        if ("ASSIGNED".equals(batch.status())) {
            writeAtomically(file, store.resultsOf(batch.id()));
            store.markBatch(batch.id(), "FILE_WRITTEN");
        }
        // FILE_WRITTEN: the file is complete. If the relay has taken it, it had its .ok already.
        if (Files.exists(file) && !Files.exists(ok)) {
            try {
                Files.write(ok, new byte[0]);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + ok, e);
            }
        }
        store.markBatch(batch.id(), "WRITTEN");
    }

    /**
     * A cell as written: formula-safe, and GBK-safe. The sink records results GBK-safe already
     * (SupervisionFeedbackSink); a character GBK cannot hold that still gets here is written as □
     * and logged, so the file never fails nor shows a silent '?'.
     */
    private static String cell(SupervisionStore.Result r, String value) {
        SupervisionCsv.GbkSafe gbk = SupervisionCsv.gbkSafe(value);
        if (gbk.changed()) {
            log.warn("supervision result {} of clue {}: {} characters GBK cannot hold written as {}", r.id(), r.clueId(),
                    gbk.replaced().size(), SupervisionCsv.GBK_SUBSTITUTE);
        }
        return SupervisionCsv.safe(gbk.text());
    }

    private void writeAtomically(Path file, List<SupervisionStore.Result> results) {
        Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
                 // An encoder of its own reports what GBK cannot hold instead of writing '?' (the charset's default).
                 Writer writer = new OutputStreamWriter(out, SupervisionCsv.GBK.newEncoder());
                 CSVPrinter csv = new CSVPrinter(writer, SupervisionCsv.WRITE)) {
                csv.printRecord(SupervisionCsv.RESULT_HEADER);
                for (SupervisionStore.Result r : results) {
                    csv.printRecord(
                            cell(r, r.clueId()),
                            cell(r, r.statusText()),
                            cell(r, r.resultText()),
                            cell(r, r.orgName()),
                            cell(r, TIME.format(r.at().atZone(Ids.BEIJING))));
                }
            }
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write result batch " + file, e);
        }
    }
}
