package appealhub.connectors.grid;

import appealhub.connectors.grid.GridReportMapper.BadReport;
import appealhub.intake.IntakeGuard;
import appealhub.intake.IntakeService;
import appealhub.model.Appeal;
import appealhub.store.RawItemStore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.JMSException;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.apache.camel.Exchange;
import org.apache.camel.component.jms.JmsMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * One grid report off the inbound queue, inside the consumer's JMS transaction: stored raw
 * first, parsed, checked, mapped and taken in; the transaction (the message's acknowledgement)
 * commits only after that. A bad report is kept INVALID and moved to the dead-letter queue
 * with its reason, so it never blocks the queue; so is one the store cannot hold (a field over its
 * column's limit, an integrity error), at once, without redeliveries. A failure of the hub itself (store down)
 * rolls back: the broker redelivers with back-off, and the last attempt parks the report on
 * the same dead-letter queue instead of losing it.
 */
@Component
public class GridInbound {
    private static final Logger log = LoggerFactory.getLogger(GridInbound.class);
    private static final String CHANNEL = GridReportMapper.CHANNEL;

    private final GridReportMapper mapper;
    private final GridDeadLetters deadLetters;
    private final RawItemStore raw;
    private final IntakeService intake;
    private final ObjectMapper json;
    private final Clock clock;
    private final int maxDeliveryAttempts;

    public GridInbound(GridReportMapper mapper, GridDeadLetters deadLetters, RawItemStore raw, IntakeService intake,
                       ObjectMapper json, Clock clock, @Value("${hub.broker.max-delivery-attempts}") int maxDeliveryAttempts) {
        this.mapper = mapper;
        this.deadLetters = deadLetters;
        this.raw = raw;
        this.intake = intake;
        this.json = json;
        this.clock = clock;
        this.maxDeliveryAttempts = maxDeliveryAttempts;
    }

    public void onReport(Exchange exchange) throws JMSException {
        jakarta.jms.Message message = exchange.getIn() instanceof JmsMessage jm ? jm.getJmsMessage() : null;
        byte[] body;
        if (message instanceof TextMessage text) {
            body = text.getText() == null ? new byte[0] : text.getText().getBytes(StandardCharsets.UTF_8);
        } else {
            body = exchange.getIn().getBody(byte[].class);
            if (body == null) body = new byte[0];
        }
        long rawId = raw.store(CHANNEL, "report", "application/json", body);
        String text = new String(body, StandardCharsets.UTF_8);
        String eventId = null;
        try {
            JsonNode report = parse(body);
            eventId = eventIdOf(report);
            Appeal appeal = mapper.toAppeal(report, rawId, clock.instant());
            // Too long for the store or refused by it: a bad report, parked once with its reason; redelivering
            // it would only fail the same way until the broker gave up.
            IntakeService.Result result = IntakeGuard.take(intake, appeal, BadReport::new);
            log.info("grid report {} taken in as appeal {}{}", eventId, result.appealId(),
                    result.duplicate() ? " (redelivered: already taken in)" : "");
        } catch (BadReport bad) {
            raw.mark(rawId, RawItemStore.Status.INVALID, eventId, null, bad.getMessage());
            deadLetters.park(text, bad.getMessage(), eventId, rawId);
            log.warn("grid report dead-lettered (raw item {}): {}", rawId, bad.getMessage());
        } catch (RuntimeException failure) {
            int attempt = deliveryCount(message);
            String reason = "processing failed (attempt " + attempt + "): " + failure.getClass().getSimpleName()
                    + ": " + failure.getMessage();
            if (attempt < maxDeliveryAttempts) {
                safeMark(rawId, eventId, reason + "; will be redelivered");
                throw failure; // rolled back: the broker redelivers with back-off
            }
            safeMark(rawId, eventId, reason + "; parked on the dead-letter queue");
            deadLetters.park(text, reason, eventId, rawId);
            log.error("grid report parked after {} attempts (raw item {}): {}", attempt, rawId, reason);
        }
    }

    private JsonNode parse(byte[] body) {
        if (body.length == 0) throw new BadReport("body is empty");
        try {
            JsonNode node = json.readTree(body);
            if (node == null || node.isMissingNode()) throw new BadReport("body is empty");
            return node;
        } catch (JsonProcessingException e) {
            throw new BadReport("body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadReport("body is not valid JSON");
        }
    }

    private static String eventIdOf(JsonNode report) {
        JsonNode id = report.get("eventId");
        return id != null && id.isTextual() && !id.asText().isBlank() && id.asText().length() <= 64 ? id.asText().trim() : null;
    }

    private static int deliveryCount(jakarta.jms.Message message) {
        try {
            return message != null && message.propertyExists("JMSXDeliveryCount") ? message.getIntProperty("JMSXDeliveryCount") : 1;
        } catch (JMSException e) {
            return 1;
        }
    }

    private void safeMark(long rawId, String eventId, String error) {
        try {
            raw.mark(rawId, RawItemStore.Status.RECEIVED, eventId, null, error);
        } catch (RuntimeException e) {
            log.warn("could not note the failure on raw item {}: {}", rawId, e.getMessage());
        }
    }
}
