package appealhub.connectors.hotline12345;

import appealhub.connectors.hotline12345.Hotline12345Mapper.MalformedOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Pull mode: pages through pending orders until a page comes back empty, stores each
 * order, and only then signs (签收) for the ones now durably stored. Signing after all
 * pages are read keeps the platform's list from shifting under the paging. An order not
 * signed (hub stopped, sign failed) comes again on the next poll and is recognised.
 */
@Component
public class Hotline12345Puller {
    private static final Logger log = LoggerFactory.getLogger(Hotline12345Puller.class);
    private static final int MAX_PAGES = 200;

    public record PollResult(int received, int signed, int rejected) {}

    private final Hotline12345Client client;
    private final Hotline12345Inbound inbound;
    private final Hotline12345Properties props;

    public Hotline12345Puller(Hotline12345Client client, Hotline12345Inbound inbound, Hotline12345Properties props) {
        this.client = client;
        this.inbound = inbound;
        this.props = props;
    }

    public synchronized PollResult poll() {
        List<String> toSign = new ArrayList<>();
        int received = 0;
        int rejected = 0;
        int failed = 0;
        try {
            for (int page = 1; page <= MAX_PAGES; page++) {
                var r = client.call("GET", "/api/v1/workorders/pending?page=" + page + "&size=" + props.pull().pageSize(), null);
                if (!r.ok()) {
                    log.warn("12345 pending page {} answered HTTP {} code {}", page, r.status(), r.code());
                    break;
                }
                JsonNode records = r.body().path("data").path("records");
                if (!records.isArray() || records.isEmpty()) break;
                for (JsonNode order : records) {
                    received++;
                    try {
                        inbound.takePulledOrder(order);
                        toSign.add(order.path("gdbh").asText());
                    } catch (MalformedOrder e) {
                        rejected++; // kept raw as INVALID, left unsigned for the platform's operators
                    } catch (RuntimeException e) {
                        // Not this order's fault as far as we know (store down, a bug): left unsigned, it comes
                        // again on the next poll; the rest of the page is still taken.
                        failed++;
                        log.error("12345 pulled order {} could not be taken in, left unsigned: {}",
                                order.path("gdbh").asText("?"), e.toString());
                    }
                }
            }
        } catch (Hotline12345Client.Unavailable e) {
            log.warn("12345 pull interrupted: {}", e.getMessage());
        }
        int signed = 0;
        for (String gdbh : toSign) {
            try {
                var r = client.call("POST", "/api/v1/workorders/" + gdbh + "/sign", null);
                if (r.ok()) signed++;
                else log.warn("12345 sign of {} answered HTTP {} code {}: it will come again", gdbh, r.status(), r.code());
            } catch (Hotline12345Client.Unavailable e) {
                log.warn("12345 sign of {} failed ({}): it will come again", gdbh, e.getMessage());
            }
        }
        if (received > 0) {
            log.info("12345 pull: {} orders received, {} signed, {} rejected{}", received, signed, rejected,
                    failed == 0 ? "" : ", " + failed + " failed (left for the next poll)");
        }
        return new PollResult(received, signed, rejected);
    }
}
