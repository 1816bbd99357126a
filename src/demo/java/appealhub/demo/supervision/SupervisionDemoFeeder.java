package appealhub.demo.supervision;

import appealhub.connectors.supervision.SupervisionCsv;
import appealhub.connectors.supervision.SupervisionProperties;
import appealhub.model.Ids;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.builder.RouteBuilder;
import org.apache.commons.csv.CSVPrinter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.stereotype.Component;

/**
 * Default run only (hub.demo.mocks=true): plays the provincial relay. Every demo.interval-ms
 * (~60 s) it drops a realistic DC_yyyyMMdd_NNN.csv (GBK, CRLF, one clue whose 反映内容 is a
 * quoted multi-line text with commas and quotes; now and then a bad row, or a clue sent
 * before) into the inbox, and only then its .ok marker, as the relay does. Clues are drawn
 * from mocks/supervision/sample-clues.json; names and phones are fake.
 */
@Component
@ConditionalOnExpression("${hub.demo.mocks:false} and ${hub.channels.supervision.enabled:false}")
public class SupervisionDemoFeeder extends RouteBuilder {
    private static final Logger log = LoggerFactory.getLogger(SupervisionDemoFeeder.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final String[] NAMES = {"张某某", "王某", "李某某", "赵某", "刘某", "陈某", "匿名"};
    private static final Pattern SEQ = Pattern.compile("DC_(\\d{8})_(\\d{3,})(\\.\\d+)?\\.csv");

    private final SupervisionProperties props;
    private final JsonNode samples;
    private List<String> lastRow;

    public SupervisionDemoFeeder(SupervisionProperties props) throws IOException {
        this.props = props;
        this.samples = new ObjectMapper().readTree(new File("mocks/supervision/sample-clues.json"));
    }

    @Override
    public void configure() {
        long interval = props.demo() == null || props.demo().intervalMs() <= 0 ? 60_000 : props.demo().intervalMs();
        long initial = props.demo() == null || props.demo().initialDelayMs() <= 0 ? 10_000 : props.demo().initialDelayMs();
        from("timer:supervision-demo-feeder?delay=" + initial + "&period=" + interval)
                .routeId("supervision-demo-feeder")
                .process(exchange -> drop());
    }

    /** Writes one clue file and then its .ok into the inbox; returns the file. */
    synchronized Path drop() throws IOException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        ZonedDateTime now = ZonedDateTime.now(Ids.BEIJING);
        String day = now.format(DAY);
        Path inbox = Path.of(props.inbox());
        Files.createDirectories(inbox);
        String name = "DC_" + day + "_" + String.format("%03d", nextSeq(day, inbox)) + ".csv";

        List<List<String>> rows = new ArrayList<>();
        JsonNode s = samples.get(random.nextInt(samples.size()));
        String id = "DC" + day + String.format("%06d", random.nextInt(1_000_000));
        List<String> row = List.of(id,
                now.minusHours(random.nextInt(2, 48)).format(SupervisionCsv.TIME),
                NAMES[random.nextInt(NAMES.length)],
                "13" + random.nextInt(0, 10) + String.format("%08d", random.nextInt(100_000_000)),
                s.path("title").asText(),
                s.path("content").asText().replace("\n", "\r\n"),
                s.path("area").asText(),
                s.path("category").asText(),
                now.plusDays(random.nextInt(5, 16)).withHour(17).withMinute(0).format(SupervisionCsv.TIME));
        rows.add(row);
        int dice = random.nextInt(6);
        if (dice == 0) {
            // The relay's own mistake now and then: a date it cannot write right.
            rows.add(List.of("DC" + day + String.format("%06d", random.nextInt(1_000_000)), "2025年4月9日",
                    "匿名", "", "反映问题", "日期格式不对的一条线索。", "河北省衡水市冀州区", "其他", ""));
        } else if (dice == 1 && lastRow != null) {
            rows.add(lastRow); // re-sent: recognised by its 线索编号
        }
        lastRow = row;

        StringWriter text = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(text, SupervisionCsv.WRITE)) {
            csv.printRecord(SupervisionCsv.HEADER);
            for (List<String> r : rows) csv.printRecord(r);
        }
        Path temp = inbox.resolve("." + name + ".part");
        Files.write(temp, text.toString().getBytes(SupervisionCsv.GBK));
        Path file = Files.move(temp, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        Files.write(inbox.resolve(name + ".ok"), new byte[0]);
        log.info("demo relay dropped {} ({} rows) into the supervision inbox", name, rows.size());
        return file;
    }

    private int nextSeq(String day, Path inbox) throws IOException {
        int max = 0;
        for (Path dir : List.of(inbox, Path.of(props.processed()))) {
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Matcher m = SEQ.matcher(p.getFileName().toString());
                    if (m.matches() && m.group(1).equals(day)) max = Math.max(max, Integer.parseInt(m.group(2)));
                }
            }
        }
        return max + 1;
    }
}
