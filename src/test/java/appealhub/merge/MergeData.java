package appealhub.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/** Shared by the evaluation, the scale benchmark and the tests: the real messages and the district's places. */
final class MergeData {
    record Message(String id, String title, String content, String label) {}

    record Township(String code, String name, List<String> places, double lat, double lon) {}

    private MergeData() {}

    static Path dataDir() {
        String d = System.getProperty("merge.data", System.getenv().getOrDefault("HUB_SHARED_DATA", ""));
        if (!d.isEmpty()) {
            return Path.of(d);
        }
        for (Path p : List.of(Path.of("../shared/data"), Path.of("/work/shared/data"))) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        throw new IllegalStateException("shared/data not found: pass -Dmerge.data=DIR");
    }

    /** Every message of the three message files (label null outside the training file), in file order. */
    static List<Message> messages(Path dir) throws IOException {
        List<Message> out = new ArrayList<>();
        for (String f : List.of("leaderboard-messages.train.csv", "leaderboard-replies.csv", "leaderboard-hot.csv")) {
            try (Reader r = Files.newBufferedReader(dir.resolve(f), StandardCharsets.UTF_8)) {
                for (CSVRecord rec : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
                    String label = rec.isMapped("label") ? rec.get("label") : null;
                    out.add(new Message(f.charAt(12) + rec.get("id"), rec.get("title").strip(), rec.get("content").strip(), label));
                }
            }
        }
        return out;
    }

    static List<Township> townships() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode org = yaml.readTree(Path.of("config/organizations.yaml").toFile());
        JsonNode geo = yaml.readTree(Path.of("config/townships-geo.yaml").toFile());
        Map<String, JsonNode> geoByCode = new LinkedHashMap<>();
        geo.get("townships").forEach(t -> geoByCode.put(t.get("code").asText(), t));
        List<Township> out = new ArrayList<>();
        for (JsonNode t : org.get("townships")) {
            List<String> places = new ArrayList<>();
            t.get("places").forEach(p -> places.add(p.asText()));
            JsonNode g = geoByCode.get(t.get("code").asText());
            out.add(new Township(t.get("code").asText(), t.get("name").asText(), places,
                    g.get("lat").asDouble(), g.get("lon").asDouble()));
        }
        return out;
    }

    /** Sentences with their closing punctuation. */
    static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            cur.append(ch);
            if ("。！？!?；;\n".indexOf(ch) >= 0) {
                String s = cur.toString().strip();
                if (!s.isEmpty()) {
                    out.add(s);
                }
                cur.setLength(0);
            }
        }
        String s = cur.toString().strip();
        if (!s.isEmpty()) {
            out.add(s);
        }
        return out;
    }

    static String phone(SplittableRandom r) {
        return "1" + (3 + r.nextInt(7)) + String.format("%09d", r.nextInt(1_000_000_000));
    }

    /** A point within maxMeters of (lat, lon). */
    static double[] near(SplittableRandom r, double lat, double lon, double maxMeters) {
        double d = r.nextDouble() * maxMeters;
        double a = r.nextDouble() * 2 * Math.PI;
        double dLat = d * Math.cos(a) / 111_320.0;
        double dLon = d * Math.sin(a) / (111_320.0 * Math.cos(Math.toRadians(lat)));
        return new double[] {lat + dLat, lon + dLon};
    }
}
