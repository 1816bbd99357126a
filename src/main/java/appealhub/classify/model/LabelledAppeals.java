package appealhub.classify.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A CSV of labelled appeals, RFC 4180 with a header row: columns {@code title}, {@code content}
 * and {@code label} are required ({@code id}, {@code user}, {@code time} and others are ignored),
 * as in the leader-message-board training file or an export of resolved cases.
 */
public final class LabelledAppeals {

    public record Example(String id, String title, String content, String label) {}

    private LabelledAppeals() {}

    public static List<Example> read(Path csv) throws IOException {
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();
        try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.parse(in, format)) {
            List<String> header = parser.getHeaderNames().stream().map(h -> h.replace("\uFEFF", "").trim()).toList();
            int title = column(header, "title", csv);
            int content = column(header, "content", csv);
            int label = column(header, "label", csv);
            int id = header.indexOf("id");
            List<Example> out = new ArrayList<>();
            for (CSVRecord r : parser) {
                if (r.size() <= Math.max(title, Math.max(content, label))) {
                    throw new IOException(csv + " record " + r.getRecordNumber() + ": too few columns");
                }
                String lab = r.get(label).trim();
                if (lab.isEmpty()) {
                    continue; // an unlabelled row teaches nothing
                }
                out.add(new Example(id >= 0 ? r.get(id) : Long.toString(r.getRecordNumber()),
                        r.get(title), r.get(content), lab));
            }
            if (out.isEmpty()) {
                throw new IOException(csv + ": no labelled rows");
            }
            return out;
        }
    }

    /**
     * A words-only file (columns {@code row}, {@code words}, {@code label}: title and text cut into
     * words with stop words removed, words separated by spaces). Each row becomes an example with an
     * empty title and the words joined back without spaces as content, so its character n-grams are
     * those of the raw text minus the removed stop words and punctuation (the bridge to the raw
     * text the hub sees; docs/classification.md).
     */
    public static List<Example> readSegmented(Path csv) throws IOException {
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();
        try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.parse(in, format)) {
            List<String> header = parser.getHeaderNames().stream().map(h -> h.replace("\uFEFF", "").trim()).toList();
            int words = column(header, "words", csv);
            int label = column(header, "label", csv);
            int id = header.indexOf("row");
            List<Example> out = new ArrayList<>();
            for (CSVRecord r : parser) {
                if (r.size() <= Math.max(words, label)) {
                    throw new IOException(csv + " record " + r.getRecordNumber() + ": too few columns");
                }
                String lab = r.get(label).trim();
                String text = joinWords(r.get(words));
                if (lab.isEmpty() || text.isEmpty()) {
                    continue;
                }
                out.add(new Example("s" + (id >= 0 ? r.get(id) : Long.toString(r.getRecordNumber())), "", text, lab));
            }
            if (out.isEmpty()) {
                throw new IOException(csv + ": no labelled rows");
            }
            return out;
        }
    }

    /**
     * Words joined back without their separating spaces, except where both sides are Latin
     * letters or digits ("2019 06" must not become one number).
     */
    static String joinWords(String words) {
        String[] w = words.trim().split("\\s+");
        StringBuilder b = new StringBuilder(words.length());
        for (String x : w) {
            if (x.isEmpty()) {
                continue;
            }
            if (b.length() > 0 && isAsciiAlnum(b.charAt(b.length() - 1)) && isAsciiAlnum(x.charAt(0))) {
                b.append(' ');
            }
            b.append(x);
        }
        return b.toString();
    }

    private static boolean isAsciiAlnum(char c) {
        return c < 128 && Character.isLetterOrDigit(c);
    }

    private static int column(List<String> header, String name, Path csv) throws IOException {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new IOException(csv + ": missing column '" + name + "' (header: " + header + ")");
        }
        return i;
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStreamNull.INSTANCE);
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class OutputStreamNull extends java.io.OutputStream {
        static final OutputStreamNull INSTANCE = new OutputStreamNull();
        @Override public void write(int b) {}
        @Override public void write(byte[] b, int off, int len) {}
    }
}
