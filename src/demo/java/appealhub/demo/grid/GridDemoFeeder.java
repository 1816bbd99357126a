package appealhub.demo.grid;

import appealhub.connectors.grid.GridProperties;
import appealhub.organization.OrganizationRegistry;
import appealhub.config.BrokerSecurityConfig;
import appealhub.config.BrokerUsers;
import appealhub.model.Ids;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Default run only (hub.demo.mocks=true): plays the grid app's backend. A JMS client over
 * TCP to the hub's broker, as the real backend is, that publishes a realistic report every
 * hub.channels.grid.demo.interval-ms (drawn from mocks/grid/sample-reports.json, placed in a
 * random township), now and then a critical one, now and then the previous one again (a
 * redelivery), rarely a malformed one; and that reads the hub's feedback and logs it.
 */
@Component
@ConditionalOnExpression("${hub.demo.mocks:false} and ${hub.channels.grid.enabled:false}")
public class GridDemoFeeder implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(GridDemoFeeder.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final String[] WORKERS = {"王某", "李某", "张某", "刘某", "陈某", "杨某"};
    /** Approximate centre of each township (01..10), for plausible map pins. */
    private static final double[][] CENTRES = {{37.55, 115.58}, {37.60, 115.44}, {37.52, 115.49}, {37.47, 115.53},
            {37.50, 115.38}, {37.43, 115.45}, {37.58, 115.63}, {37.63, 115.52}, {37.40, 115.60}, {37.45, 115.68}};

    private final GridProperties props;
    private final OrganizationRegistry registry;
    private final ObjectMapper json = new ObjectMapper();
    private final String brokerUrl;
    private final String brokerPassword;
    private final List<JsonNode> samples;
    private final AtomicLong sequence = new AtomicLong(ThreadLocalRandom.current().nextInt(1000, 900_000));
    private ScheduledExecutorService timer;
    private Connection connection;
    private Session session;
    private MessageProducer producer;
    private Session feedbackSession;
    private String lastReport;

    public GridDemoFeeder(GridProperties props, OrganizationRegistry registry,
                          @Value("${hub.broker.host}") String host, @Value("${hub.broker.port}") int port,
                          @Value("${hub.broker.users-file}") String usersFile) throws IOException {
        this.props = props;
        this.registry = registry;
        this.brokerUrl = "tcp://" + host + ":" + port;
        // The grid app's own broker user, with its demo password.
        this.brokerPassword = BrokerUsers.read(Path.of(usersFile)).clearPassword(BrokerSecurityConfig.GRID_USER);
        List<JsonNode> list = new java.util.ArrayList<>();
        json.readTree(new File("mocks/grid/sample-reports.json")).forEach(list::add);
        this.samples = List.copyOf(list);
    }

    @Override
    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "grid-demo-feeder"));
        timer.scheduleWithFixedDelay(this::tick, props.demo().initialDelayMs(), props.demo().intervalMs(), TimeUnit.MILLISECONDS);
        log.info("grid demo feeder: a report every {} s to {} on {}", props.demo().intervalMs() / 1000,
                props.inboundQueue(), brokerUrl);
    }

    @Override
    public synchronized void stop() {
        if (timer != null) timer.shutdownNow();
        timer = null;
        disconnect();
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }

    private synchronized void tick() {
        try {
            connect();
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int roll = random.nextInt(100);
            String text;
            String what;
            if (roll < 10 && lastReport != null) {
                text = lastReport;
                what = "the previous report again (redelivery)";
            } else if (roll < 18) {
                text = malformed(random);
                what = "a malformed report";
            } else {
                text = report(random);
                lastReport = text;
                what = "report " + json.readTree(text).path("eventId").asText();
            }
            producer.send(session.createTextMessage(text));
            log.info("grid demo feeder sent {}", what);
        } catch (Exception e) {
            log.warn("grid demo feeder could not send: {}", e.getMessage());
            disconnect();
        }
    }

    private String report(ThreadLocalRandom random) throws IOException {
        JsonNode sample = samples.get(random.nextInt(samples.size()));
        List<OrganizationRegistry.Township> townships = registry.townships();
        OrganizationRegistry.Township t = townships.get(random.nextInt(townships.size()));
        String place = t.places().get(random.nextInt(t.places().size()));
        int grid = random.nextInt(1, 40);
        ZonedDateTime now = ZonedDateTime.now(Ids.BEIJING);
        int n = Integer.parseInt(t.no());
        double[] centre = CENTRES[(n - 1) % CENTRES.length];
        ObjectNode r = json.createObjectNode();
        r.put("eventId", "EV-" + now.getYear() + "-" + String.format("%06d", sequence.incrementAndGet() % 1_000_000));
        r.put("gridCode", "JZ-" + t.no() + "-" + String.format("%03d", grid));
        r.put("reporterId", "W" + t.no() + String.format("%02d", grid));
        r.put("reporterName", WORKERS[random.nextInt(WORKERS.length)]);
        r.put("eventType", sample.path("eventType").asText());
        r.put("description", sample.path("description").asText().replace("{place}", place));
        r.put("reportedAt", now.minusMinutes(random.nextInt(1, 20)).format(TIME));
        r.put("lat", Math.round((centre[0] + random.nextDouble(-0.02, 0.02)) * 10000) / 10000.0);
        r.put("lon", Math.round((centre[1] + random.nextDouble(-0.02, 0.02)) * 10000) / 10000.0);
        r.put("severity", sample.path("severity").asInt(1));
        return json.writeValueAsString(r);
    }

    private String malformed(ThreadLocalRandom random) throws IOException {
        String good = report(random);
        return switch (random.nextInt(3)) {
            case 0 -> good.substring(0, good.length() / 2); // cut off in transit
            case 1 -> good.replaceFirst("\"JZ-\\d{2}-", "\"JZ-13-"); // a township number the district does not have
            default -> good.replaceFirst("\"reportedAt\":\"(\\d{4})-(\\d{2})-(\\d{2}) ", "\"reportedAt\":\"$3/$2/$1 ");
        };
    }

    private void connect() throws JMSException {
        if (connection != null) return;
        connection = new ActiveMQConnectionFactory(brokerUrl, BrokerSecurityConfig.GRID_USER, brokerPassword).createConnection();
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        producer = session.createProducer(session.createQueue(props.inboundQueue()));
        feedbackSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer feedback = feedbackSession.createConsumer(feedbackSession.createQueue(props.feedbackQueue()));
        feedback.setMessageListener(message -> {
            try {
                JsonNode f = json.readTree(((TextMessage) message).getText());
                // Event id, status and department only: the result text may speak of people.
                log.info("grid app received feedback for {}: {} ({})", f.path("eventId").asText(),
                        f.path("status").asText(), f.path("department").asText());
            } catch (Exception e) {
                log.warn("grid app could not read a feedback message: {}", e.getMessage());
            }
        });
        connection.start();
    }

    private void disconnect() {
        if (connection != null) {
            try {
                connection.close();
            } catch (JMSException ignored) {
                // closing anyway
            }
        }
        connection = null;
        session = null;
        producer = null;
        feedbackSession = null;
    }
}
