package appealhub.bench;

import appealhub.merge.Candidate;
import appealhub.merge.IndexedCase;
import appealhub.merge.MergeEngine;
import appealhub.merge.MergeProperties;
import appealhub.model.Appeal;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Bench command (not a test): fills a hub database with "a year of data" through the schema
 * Flyway creates — cases, appeals and their sources, raw items, case events, tasks, feedback
 * and the merge index rows — so the operations views, the metrics refresh and the start-up can
 * be measured at the size a district reaches in a year (issue 16, item 3).
 *
 * <pre>
 *   bench/year-of-data.sh --db h2:/tmp/perf/hub --cases 1000000
 *   bench/year-of-data.sh --db pg:jdbc:postgresql://127.0.0.1:5432/perf16_year?user=postgres --cases 1000000
 * </pre>
 *
 * Per case (figures at --cases N): 1 appeal + source, 3 raw items (the work order, then on
 * average a re-send kept as DUPLICATE, an evaluation, or a refused body), about 5 case events,
 * 1.3 tasks, about 1 feedback row. Cases are spread over the year before --end (default now)
 * with weekday and office-hour peaks and a summer bump; channels, townships (by population)
 * and departments (Zipf) are skewed as in a real district (config/organizations.yaml). Texts are
 * real messages from the shared data (HUB_SHARED_DATA, default /work/shared/data) with a
 * township/place opening and a sentence of another message, so no two are alike. Merge index rows
 * (MinHash signatures made by the hub's own MergeEngine) for the cases within the merge window,
 * or every case with {@code --merge-index all} (the worst case for the start-up reload).
 * H2 is loaded with batched JDBC inserts, PostgreSQL with COPY.
 */
public final class YearOfData {
    static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyMMddHHmm").withZone(BEIJING);
    private static final char[] B32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    static final String[] CHANNELS = {"hotline12345", "leaderboard", "miniprogram", "wechat", "supervision", "grid"};
    private static final double[] CHANNEL_W = {0.55, 0.12, 0.10, 0.10, 0.03, 0.10};
    private static final double[] TOWNSHIP_W = {0.30, 0.09, 0.08, 0.08, 0.08, 0.08, 0.07, 0.07, 0.08, 0.07};
    private static final String[] SATISFACTION = {"满意", "满意", "满意", "基本满意", "不满意"};

    public static void main(String[] args) throws Exception {
        Map<String, String> o = BenchOptions.parse(args, new LinkedHashMap<>(Map.of(
                "db", "h2:target/year-of-data/hub", "cases", "100000", "seed", "16", "end", "",
                "merge-index", "window", "data", System.getenv().getOrDefault("HUB_SHARED_DATA", "/work/shared/data"))));
        String url = jdbcUrl(o.get("db"));
        int n = Integer.parseInt(o.get("cases"));
        Instant end = o.get("end").isEmpty() ? Instant.now().truncatedTo(ChronoUnit.SECONDS) : Instant.parse(o.get("end"));
        long t0 = System.nanoTime();
        Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration").load().migrate();
        System.out.printf(Locale.ROOT, "year-of-data: %s, %,d cases up to %s; schema by Flyway in %.1f s%n",
                o.get("db").startsWith("pg:") ? "PostgreSQL" : "H2", n, end, (System.nanoTime() - t0) / 1e9);
        YearOfData g = new YearOfData(Path.of(o.get("data")), Long.parseLong(o.get("seed")), end, n,
                o.get("merge-index").equals("all"));
        try (Sinks sinks = url.startsWith("jdbc:postgresql") ? new PgSinks(url) : new H2Sinks(url)) {
            g.generate(sinks);
            sinks.commit();
        }
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            g.restartSequences(c, url.startsWith("jdbc:postgresql"));
        }
        long d0 = System.nanoTime();
        int keyed = derivedColumns(url);
        System.out.printf(Locale.ROOT, "year-of-data: stage counts and %,d phone keys (V18) in %.1f s%n", keyed,
                (System.nanoTime() - d0) / 1e9);
        System.out.printf(Locale.ROOT, "year-of-data: done in %.1f s: %s%n", (System.nanoTime() - t0) / 1e9, g.counts);
    }

    static String jdbcUrl(String db) {
        if (db.startsWith("pg:")) return db.substring(3);
        if (db.startsWith("h2:")) {
            return "jdbc:h2:file:" + Path.of(db.substring(3)).toAbsolutePath()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        }
        throw new IllegalArgumentException("--db h2:<path> or pg:<jdbc-url>");
    }

    private record Township(String code, String name, List<String> places, double lat, double lon) {}

    private final List<String[]> messages = new ArrayList<>();   // title, content
    private final List<String> sentences = new ArrayList<>();
    private final List<Township> townships = new ArrayList<>();
    private final List<String> departments = new ArrayList<>();
    private final double[] deptCdf;
    private final SplittableRandom random;
    private final Instant end;
    private final int n;
    private final boolean indexAll;
    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private final MergeEngine merge = new MergeEngine(MergeProperties.defaults());
    final Map<String, Long> counts = new LinkedHashMap<>();
    private long rawId;
    private long eventId;
    private long sourceId;
    private long feedbackId;
    private long mergeSeq;

    YearOfData(Path data, long seed, Instant end, int n, boolean indexAll) throws Exception {
        this.random = new SplittableRandom(seed);
        this.end = end;
        this.n = n;
        this.indexAll = indexAll;
        for (String f : List.of("leaderboard-messages.train.csv", "leaderboard-replies.csv", "leaderboard-hot.csv")) {
            try (Reader r = Files.newBufferedReader(data.resolve(f), StandardCharsets.UTF_8)) {
                for (CSVRecord rec : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
                    String content = rec.get("content").strip();
                    if (content.length() < 10) continue;
                    messages.add(new String[] {rec.get("title").strip(), content});
                    for (String s : content.split("(?<=[。！？；])")) if (s.strip().length() >= 6) sentences.add(s.strip());
                }
            }
        }
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode org = yaml.readTree(Path.of("config/organizations.yaml").toFile());
        JsonNode geo = yaml.readTree(Path.of("config/townships-geo.yaml").toFile());
        Map<String, JsonNode> geoByCode = new LinkedHashMap<>();
        geo.get("townships").forEach(t -> geoByCode.put(t.get("code").asText(), t));
        for (JsonNode t : org.get("townships")) {
            List<String> places = new ArrayList<>();
            t.get("places").forEach(p -> places.add(p.asText()));
            JsonNode g = geoByCode.get(t.get("code").asText());
            townships.add(new Township(t.get("code").asText(), t.get("name").asText(), places,
                    g.get("lat").asDouble(), g.get("lon").asDouble()));
        }
        org.get("departments").forEach(d -> departments.add(d.get("code").asText()));
        deptCdf = new double[departments.size()];
        double sum = 0;
        for (int i = 0; i < deptCdf.length; i++) deptCdf[i] = sum += 1.0 / (i + 1);  // Zipf
        for (int i = 0; i < deptCdf.length; i++) deptCdf[i] /= sum;
    }

    /** Arrival times over the year before end: weekdays, office hours and the summer are busier. */
    private long[] arrivalTimes() {
        long from = end.minus(Duration.ofDays(365)).getEpochSecond();
        long span = 365L * 86400;
        long[] t = new long[n];
        int i = 0;
        while (i < n) {
            long s = from + (long) (random.nextDouble() * span);
            ZonedDateTime z = Instant.ofEpochSecond(s).atZone(BEIJING);
            int h = z.getHour();
            double w = (h >= 8 && h < 12) || (h >= 14 && h < 18) ? 1.0 : h >= 7 && h < 22 ? 0.5 : 0.08;
            if (z.getDayOfWeek().getValue() >= 6) w *= 0.6;
            w *= 0.85 + 0.15 * Math.sin((z.getDayOfYear() - 100) / 365.0 * 2 * Math.PI);  // summer bump
            if (random.nextDouble() < w) t[i++] = s;
        }
        Arrays.sort(t);
        return t;
    }

    private int pick(double[] weights) {
        double r = random.nextDouble();
        for (int i = 0; i < weights.length; i++) {
            if ((r -= weights[i]) < 0) return i;
        }
        return weights.length - 1;
    }

    private String dept() {
        double r = random.nextDouble();
        for (int i = 0; i < deptCdf.length; i++) if (r < deptCdf[i]) return departments.get(i);
        return departments.get(deptCdf.length - 1);
    }

    /** A readable id like the hub's (prefix + Beijing minute + 8 base-32 chars), unique by number. */
    static String id(String prefix, long at, long number) {
        StringBuilder sb = new StringBuilder(prefix).append(STAMP.format(Instant.ofEpochSecond(at)));
        long v = (number * 0x9E3779B97L + 0x5DEECE66DL) & ((1L << 40) - 1);
        for (int k = 0; k < 8; k++) {
            sb.append(B32[(int) (v & 31)]);
            v >>>= 5;
        }
        return sb.toString();
    }

    private static String phone(SplittableRandom r) {
        return "1" + (3 + r.nextInt(7)) + String.format("%09d", r.nextInt(1_000_000_000));
    }

    private static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙"};

    void generate(Sinks s) throws Exception {
        long[] times = arrivalTimes();
        String[] caseIds = new String[n];
        long endS = end.getEpochSecond();
        long windowFrom = endS - Duration.ofDays(MergeProperties.defaults().windowDays()).toSeconds();
        long tick = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long t = times[i];
            caseIds[i] = id("CS", t, i);
            String caseId = caseIds[i];
            String channel = CHANNELS[pick(CHANNEL_W)];
            Township town = townships.get(pick(TOWNSHIP_W));
            String place = town.places().get(random.nextInt(town.places().size()));
            String[] msg = messages.get(random.nextInt(messages.size()));
            String content = town.name() + place + "，" + msg[1] + sentences.get(random.nextInt(sentences.size()));
            String title = msg[0].isEmpty() ? content.substring(0, Math.min(20, content.length())) : msg[0];
            String phone = random.nextInt(10) < 9 ? phone(random) : null;
            boolean pin = random.nextBoolean();
            double lat = town.lat() + (random.nextDouble() - 0.5) * 0.02;
            double lon = town.lon() + (random.nextDouble() - 0.5) * 0.02;
            long ageDays = (endS - t) / 86400;

            // the case's fate
            boolean merged = i > 10 && random.nextInt(100) < 4;
            String target = merged ? caseIds[i - 1 - random.nextInt(Math.min(i - 1, 200))] : null;
            double openP = ageDays < 2 ? 0.65 : ageDays < 15 ? 0.30 : ageDays < 60 ? 0.04 : 0.005;
            String status;
            if (merged) status = "MERGED";
            else if (endS - t < 60) status = "RECEIVED";
            else if (random.nextDouble() < openP) {
                int k = random.nextInt(10);
                status = k < 1 ? "TRIAGE" : k < 4 ? "DISPATCHED" : "ACCEPTED";
            } else status = random.nextInt(100) < 3 ? "RETURNED_UPSTREAM" : "RESOLVED";
            boolean dispatched = !merged && !status.equals("RECEIVED") && !status.equals("TRIAGE");
            String lead = dispatched || status.equals("TRIAGE") ? dept() : null;
            boolean co = dispatched && random.nextInt(10) < 3;
            String coDept = co ? dept() : null;
            while (co && coDept.equals(lead)) coDept = dept();
            boolean urgent = random.nextInt(100) < 4;
            long deadline = t + (urgent ? 1 : 7) * 86400L;
            boolean closed = status.equals("RESOLVED") || status.equals("RETURNED_UPSTREAM") || merged;
            long closedAt = Math.min(endS, t + 3600 + (long) (random.nextDouble() * (urgent ? 1 : 9) * 86400));
            long updated = closed ? closedAt : Math.min(endS, t + 600);
            boolean hot = !closed && random.nextInt(100) < 2;

            s.row("hub_case", caseId, status, random.nextBoolean() ? "complaint" : "request", "topic-" + (lead == null ? "none" : lead),
                    lead, coDept, town.code(), urgent ? "urgent" : "normal", "normal", ts(deadline), 1, ts(t), ts(updated),
                    target, hot ? 2 + random.nextInt(5) : 1, hot, urgent ? 9 : hot ? 7 : 4);

            // the work order as received, and the appeal made of it
            long raw = ++rawId;
            String sourceItem = switch (channel) {
                case "hotline12345" -> "GD" + (20_000_000L + i);
                case "supervision" -> "XS" + (5_000_000L + i);
                default -> channel.substring(0, 2).toUpperCase(Locale.ROOT) + (1_000_000L + i);
            };
            String appealId = id("AP", t, i);
            Appeal a = new Appeal(appealId, merged ? target : caseId,
                    List.of(new Appeal.Source(channel, sourceItem, Instant.ofEpochSecond(t), raw)),
                    new Appeal.Citizen(phone == null ? null : SURNAMES[random.nextInt(SURNAMES.length)] + "先生", phone, phone == null),
                    title, content, Instant.ofEpochSecond(t - 3600), Instant.ofEpochSecond(t),
                    new Appeal.Location(town.name() + place, "冀州区", town.code(), place, pin ? lat : null, pin ? lon : null, null),
                    null, null, urgent, List.of(), Map.of());
            String model = json.writeValueAsString(a);
            byte[] body = model.getBytes(StandardCharsets.UTF_8);
            s.row("raw_item", raw, channel, "workorder", sourceItem, "application/json", body, ts(t), "ACCEPTED", null, appealId,
                    (long) body.length, null, false);
            s.row("appeal", appealId, merged ? target : caseId, title, ts(t), model, ts(t), merged ? caseId : null);
            s.row("appeal_source", ++sourceId, appealId, channel, sourceItem, raw, ts(t));

            // two more raw items: re-sends, evaluations, refused bodies
            boolean evaluated = false;
            for (int k = 0; k < 2; k++) {
                int kind = random.nextInt(100);
                long at = Math.min(endS, t + 30 + random.nextInt(600));
                if (kind < 30 && status.equals("RESOLVED") && channel.equals("hotline12345") && !evaluated) {
                    evaluated = true;
                    at = Math.min(endS, closedAt + 3600 + random.nextInt(86400));
                    String sat = SATISFACTION[random.nextInt(SATISFACTION.length)];
                    byte[] b = ("{\"gdbh\":\"" + sourceItem + "\",\"hfjg\":\"" + sat + "\"}").getBytes(StandardCharsets.UTF_8);
                    s.row("raw_item", ++rawId, channel, "evaluation", sourceItem, "application/json", b, ts(at), "ACCEPTED", null,
                            appealId, (long) b.length, null, false);
                    event(s, caseId, at, "evaluated", channel, "{\"satisfaction\":\"" + sat + "\",\"channel\":\"" + channel + "\"}");
                } else if (kind < 75) {
                    s.row("raw_item", ++rawId, channel, "workorder", sourceItem, "application/json", body, ts(at), "DUPLICATE",
                            null, appealId, (long) body.length, null, false);
                } else {
                    byte[] b = Arrays.copyOf(body, Math.min(body.length, 256));
                    s.row("raw_item", ++rawId, channel, "workorder", null, "application/json", b, ts(at),
                            kind < 90 ? "INVALID" : "REJECTED", kind < 90 ? "missing field" : "bad signature", null,
                            (long) body.length, null, true);
                }
            }

            // the case file
            event(s, caseId, t, "received", channel, "{\"channel\":\"" + channel + "\"}");
            if (merged) {
                event(s, target, t + 1, "merged", "merger", "{\"channel\":\"" + channel + "\",\"appealId\":\"" + appealId + "\"}");
                event(s, caseId, t + 1, "merged-into", "merger", "{\"into\":\"" + target + "\"}");
            }
            if (status.equals("TRIAGE")) event(s, caseId, t + 2, "triage", "hub", null);
            if (dispatched) {
                if (random.nextInt(20) == 0) event(s, caseId, t + 2, "triaged", "operator", null);
                event(s, caseId, t + 3, "dispatched", "hub", "{\"lead\":\"" + lead + "\"}");
                String taskStatus = switch (status) {
                    case "DISPATCHED" -> "SENT";
                    case "ACCEPTED" -> "ACCEPTED";
                    case "RETURNED_UPSTREAM" -> "RETURNED";
                    default -> "RESOLVED";
                };
                long taskUpdated = taskStatus.equals("SENT") ? t + 3 : Math.min(endS, closedAt);
                s.row("task", id("TK", t, 2L * i), caseId, lead, "appeal.task." + lead, "lead", 1, taskStatus, ts(deadline), ts(t + 3),
                        ts(taskUpdated), ts(t + 3));
                if (co) {
                    s.row("task", id("TK", t, 2L * i + 1), caseId, coDept, "appeal.task." + coDept, "co", 1, taskStatus, ts(deadline),
                            ts(t + 3), ts(taskUpdated), ts(t + 3));
                }
                if (!status.equals("DISPATCHED")) event(s, caseId, Math.min(endS, t + 1800), "accepted", lead, null);
                if (status.equals("RESOLVED")) {
                    event(s, caseId, closedAt, "resolved", lead, null);
                    if (!channel.equals("grid")) {
                        int f = random.nextInt(100);
                        String fs = f < 97 ? "DONE" : f < 99 ? "REFUSED" : "PENDING";
                        s.row("feedback_outbox", ++feedbackId, caseId, channel, sourceItem, "result", resultPayload(closedAt), fs,
                                fs.equals("PENDING") ? 0 : 1, ts(closedAt), fs.equals("REFUSED") ? "refused" : null, ts(closedAt),
                                fs.equals("PENDING") ? null : ts(Math.min(endS, closedAt + 5)));
                        if (fs.equals("DONE")) event(s, caseId, Math.min(endS, closedAt + 5), "fed-back", "hub", null);
                    }
                }
                if (status.equals("RETURNED_UPSTREAM")) event(s, caseId, closedAt, "returned-upstream", lead, null);
            }

            // the merge index: a new case (not one merged into another) within the window
            if (!merged && (indexAll || t >= windowFrom)) {
                IndexedCase e = merge.prepare(caseId, new Candidate(title, content, phone, town.code(), place,
                        pin ? lat : null, pin ? lon : null, Instant.ofEpochSecond(t)));
                s.row("merge_index", caseId, ts(t), e.townshipCode(), e.place(), pin ? lat : null, pin ? lon : null, e.phoneHmac(),
                        merge.minhashVersion(), pack(e.shingles()), pack(e.signature()),
                        e.prefixSignature() == null ? null : pack(e.prefixSignature()), ts(t), ++mergeSeq);
            }
            if ((i + 1) % 100_000 == 0) {
                System.out.printf(Locale.ROOT, "  %,d cases (%.0f cases/s)%n", i + 1, 100_000 / ((System.nanoTime() - tick) / 1e9));
                tick = System.nanoTime();
            }
        }
        counts.putAll(s.counts());
    }

    private void event(Sinks s, String caseId, long at, String type, String actor, String detail) throws Exception {
        s.row("case_event", ++eventId, caseId, ts(at), type, actor, detail);
    }

    /**
     * What the hub keeps beside the rows the generator writes (V18): the dashboard's stage totals
     * (recounted, as the migration does) and appeal.phone_key (the start-up back-fill, with the
     * shipped demo phone key, as MergeProperties.defaults()); returns the appeals keyed.
     */
    static int derivedColumns(String url) {
        var ds = new org.springframework.jdbc.datasource.SingleConnectionDataSource(url, "postgres", "", true);
        try {
            var jdbc = new org.springframework.jdbc.core.JdbcTemplate(ds);
            jdbc.update("delete from case_stage_delta");
            jdbc.update("update case_stage_total set n = (select count(*) from hub_case c where c.status = case_stage_total.stage) "
                    + "where stage not in ('#fold', 'FED_BACK')");
            jdbc.update("update case_stage_total set n = (select count(*) from hub_case c where c.status = 'RESOLVED' and exists "
                    + "(select 1 from feedback_outbox f where f.case_id = c.case_id and f.kind = 'result' and f.status = 'DONE')) "
                    + "where stage = 'FED_BACK'");
            int keyed = phoneKeyBackfill(jdbc).run();
            // The statistics were taken before the keys were written: left so, the hub's start-up check
            // "any appeal without a key?" scans every appeal (21 s at 1M) until autovacuum analyzes it.
            if (url.startsWith("jdbc:postgresql:")) jdbc.execute("analyze appeal");
            return keyed;
        } finally {
            ds.destroy();
        }
    }

    /** The hub's start-up phone key back-fill on this database, with the shipped demo key. */
    static appealhub.store.PhoneKeyBackfill phoneKeyBackfill(org.springframework.jdbc.core.JdbcTemplate jdbc) {
        var json = new com.fasterxml.jackson.databind.ObjectMapper().findAndRegisterModules()
                .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        var phones = new appealhub.model.PhoneHasher(appealhub.merge.MergeProperties.defaults().phoneKey());
        var cases = new appealhub.store.CaseStore(jdbc, json, java.time.Clock.systemUTC(), phones,
                new appealhub.store.CaseStageCounts(jdbc));
        return new appealhub.store.PhoneKeyBackfill(jdbc, cases, phones, json);
    }

    void restartSequences(Connection c, boolean pg) throws Exception {
        Map<String, Long> next = new LinkedHashMap<>();
        next.put("raw_item", rawId);
        next.put("case_event", eventId);
        next.put("appeal_source", sourceId);
        next.put("feedback_outbox", feedbackId);
        try (Statement st = c.createStatement()) {
            for (Map.Entry<String, Long> e : next.entrySet()) {
                if (pg) {
                    st.execute("select setval(pg_get_serial_sequence('" + e.getKey() + "', 'id'), " + Math.max(1, e.getValue()) + ")");
                } else {
                    st.execute("alter table " + e.getKey() + " alter column id restart with " + (e.getValue() + 1));
                }
            }
            if (pg) st.execute("select setval('merge_index_seq', " + Math.max(1, mergeSeq) + ")");
            else st.execute("alter sequence merge_index_seq restart with " + (mergeSeq + 1));
            if (pg) st.execute("analyze");
        }
    }

    /** A result the hub's own flow would have written (appealhub.feedback.FeedbackPayload's JSON). */
    private static String resultPayload(long closedAt) {
        return "{\"kind\":\"result\",\"text\":\"已办结。\",\"orgName\":null,\"at\":\"" + ts(closedAt) + "\"}";
    }

    private static Instant ts(long epochSecond) {
        return Instant.ofEpochSecond(epochSecond);
    }

    private static byte[] pack(int[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4);
        b.asIntBuffer().put(values);
        return b.array();
    }

    /** Column lists, in the order {@link #generate} writes the values. */
    static final Map<String, String> COLUMNS = new LinkedHashMap<>();
    static {
        COLUMNS.put("hub_case", "case_id, status, category, topic, lead_dept, co_depts, township_code, urgency, complexity, deadline,"
                + " round, created_at, updated_at, merged_into, citizen_count, hot, priority");
        COLUMNS.put("raw_item", "id, channel, kind, source_item_id, content_type, body, received_at, parse_status, parse_error,"
                + " appeal_id, body_bytes, body_sha256, body_cut");
        COLUMNS.put("appeal", "appeal_id, case_id, title, received_at, model_json, created_at, origin_case_id");
        COLUMNS.put("appeal_source", "id, appeal_id, channel, source_item_id, raw_item_id, received_at");
        COLUMNS.put("case_event", "id, case_id, at, type, actor, detail");
        COLUMNS.put("task", "task_id, case_id, org_code, queue, role, round, status, deadline, created_at, updated_at, queued_at");
        COLUMNS.put("feedback_outbox", "id, case_id, channel, source_item_id, kind, payload, status, attempts, next_attempt_at,"
                + " last_error, created_at, done_at");
        COLUMNS.put("merge_index", "case_id, received_at, township_code, place, lat, lon, phone_hmac, minhash_version, shingles,"
                + " signature, prefix_signature, indexed_at, seq");
    }

    /** Where rows go: one table at a time is never required of the caller. */
    interface Sinks extends AutoCloseable {
        void row(String table, Object... values) throws Exception;

        Map<String, Long> counts();

        /** Everything was written: close() keeps it (without this call, close() throws the load away where it can). */
        default void commit() throws Exception {}
    }

    /** H2: batched inserts on one connection, referential checks off while loading, a commit every 20k cases' rows. */
    static final class H2Sinks implements Sinks {
        private static final int BATCH = 2000;
        private final Connection c;
        private final Map<String, PreparedStatement> inserts = new LinkedHashMap<>();
        private final Map<String, Integer> pending = new LinkedHashMap<>();
        private final Map<String, Long> counts = new LinkedHashMap<>();
        private long sinceCommit;

        H2Sinks(String url) throws Exception {
            c = DriverManager.getConnection(url, "postgres", "");
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("set referential_integrity false");
            }
            for (Map.Entry<String, String> e : COLUMNS.entrySet()) {
                int cols = e.getValue().split(",").length;
                inserts.put(e.getKey(), c.prepareStatement("insert into " + e.getKey() + " (" + e.getValue() + ") values ("
                        + String.join(",", java.util.Collections.nCopies(cols, "?")) + ")"));
                pending.put(e.getKey(), 0);
                counts.put(e.getKey(), 0L);
            }
        }

        @Override
        public void row(String table, Object... values) throws Exception {
            PreparedStatement ps = inserts.get(table);
            for (int k = 0; k < values.length; k++) {
                Object v = values[k];
                if (v instanceof Instant at) ps.setObject(k + 1, at.atOffset(java.time.ZoneOffset.UTC));
                else ps.setObject(k + 1, v);
            }
            ps.addBatch();
            counts.merge(table, 1L, Long::sum);
            if (pending.merge(table, 1, Integer::sum) >= BATCH) flush();
        }

        private void flush() throws Exception {
            for (Map.Entry<String, PreparedStatement> e : inserts.entrySet()) {
                if (pending.get(e.getKey()) > 0) {
                    e.getValue().executeBatch();
                    sinceCommit += pending.put(e.getKey(), 0);
                }
            }
            if (sinceCommit > 100_000) {
                c.commit();
                sinceCommit = 0;
            }
        }

        @Override
        public Map<String, Long> counts() {
            return counts;
        }

        @Override
        public void close() throws Exception {
            flush();
            c.commit();
            try (Statement st = c.createStatement()) {
                st.execute("set referential_integrity true");
            }
            c.close();
        }
    }

    /**
     * PostgreSQL: one COPY per table, each on its own connection (a connection runs one COPY at
     * a time), foreign key triggers off for the load (session_replication_role = replica: the
     * generator writes only consistent rows), committed every 50k rows per table.
     */
    static final class PgSinks implements Sinks {
        private static final int FLUSH = 1 << 20;
        private final Map<String, Connection> connections = new LinkedHashMap<>();
        private final Map<String, CopyIn> copies = new LinkedHashMap<>();
        private final Map<String, StringBuilder> buffers = new LinkedHashMap<>();
        private final Map<String, Long> counts = new LinkedHashMap<>();
        private boolean complete;

        PgSinks(String url) throws Exception {
            for (String table : COLUMNS.keySet()) {
                Connection c = DriverManager.getConnection(url, "postgres", "");
                try (Statement st = c.createStatement()) {
                    st.execute("set session_replication_role = replica");
                }
                connections.put(table, c);
                buffers.put(table, new StringBuilder(FLUSH + 4096));
                counts.put(table, 0L);
            }
        }

        @Override
        public void row(String table, Object... values) throws Exception {
            StringBuilder b = buffers.get(table);
            for (int k = 0; k < values.length; k++) {
                if (k > 0) b.append('\t');
                Object v = values[k];
                if (v == null) b.append("\\N");
                else if (v instanceof byte[] bytes) b.append("\\\\x").append(HexFormat.of().formatHex(bytes));
                else if (v instanceof Instant at) b.append(at.toString());
                else if (v instanceof Boolean bool) b.append(bool ? 't' : 'f');
                else escape(b, v.toString());
            }
            b.append('\n');
            counts.merge(table, 1L, Long::sum);
            if (b.length() >= FLUSH) flush(table);
        }

        private static void escape(StringBuilder b, String s) {
            for (int i = 0; i < s.length(); i++) {
                char ch = s.charAt(i);
                switch (ch) {
                    case '\\' -> b.append("\\\\");
                    case '\t' -> b.append("\\t");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    default -> b.append(ch);
                }
            }
        }

        private void flush(String table) throws Exception {
            StringBuilder b = buffers.get(table);
            if (b.isEmpty()) return;
            CopyIn copy = copies.get(table);
            if (copy == null) {
                copy = connections.get(table).unwrap(PGConnection.class).getCopyAPI()
                        .copyIn("copy " + table + " (" + COLUMNS.get(table) + ") from stdin");
                copies.put(table, copy);
            }
            byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            b.setLength(0);
        }

        @Override
        public Map<String, Long> counts() {
            return counts;
        }

        @Override
        public void commit() {
            complete = true;
        }

        @Override
        public void close() throws Exception {
            for (String table : COLUMNS.keySet()) {
                CopyIn copy = copies.get(table);
                if (complete) {
                    flush(table);
                    copy = copies.get(table);
                    if (copy != null) copy.endCopy();
                } else if (copy != null) {
                    copy.cancelCopy();
                }
                connections.get(table).close();
            }
        }
    }
}
