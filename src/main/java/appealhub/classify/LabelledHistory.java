package appealhub.classify;

import appealhub.model.Appeal;
import appealhub.model.Ids;
import appealhub.model.Pii;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import org.springframework.stereotype.Component;

/**
 * Operators' triage decisions as labelled history: one row per decision appended to a CSV with
 * the training file's columns (id,user,title,time,content,label; RFC 4180, UTF-8), which the
 * retraining command reads. id is the appeal id, user the channel (no personal data), time
 * yyyy/M/d H:mm:ss Beijing time, phones and ID numbers masked in the text, label the first-level class.
 */
@Component
public class LabelledHistory {
    public static final String HEADER = "id,user,title,time,content,label";
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/M/d H:mm:ss").withZone(Ids.BEIJING);

    private final Path file;

    public LabelledHistory(PlacementProperties props) {
        this.file = Path.of(props.labelledHistory());
    }

    public Path file() {
        return file;
    }

    /** Appends the appeal with its label; writes the header first when the file is new. */
    public synchronized void append(Appeal a, String label) {
        Instant at = a.occurredAt() != null ? a.occurredAt() : a.receivedAt();
        String row = String.join(",",
                quote(a.appealId()),
                quote(a.firstSource() == null ? "" : a.firstSource().channel()),
                quote(Pii.maskInText(a.title())),
                quote(at == null ? "" : TIME.format(at)),
                quote(Pii.maskInText(a.content())),
                quote(label)) + "\r\n";
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            boolean fresh = !Files.exists(file) || Files.size(file) == 0;
            Files.writeString(file, (fresh ? HEADER + "\r\n" : "") + row, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to labelled history " + file, e);
        }
    }

    static String quote(String s) {
        if (s == null) s = "";
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
