package appealhub.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Camel times exchanges sent outside a route (the hub's calls to the upstream platforms through a
 * ProducerTemplate) without a routeId tag, and Prometheus drops a meter whose tag keys differ from
 * its family's: those get routeId="" (as Camel's own context-wide meters have), so the upstream
 * call times reach /actuator/prometheus too.
 */
@Configuration
class CamelMeterTags {
    static final String EXCHANGE_EVENTS = "camel.exchange.event.notifier";
    static final String ROUTE_ID = "routeId";

    @Bean
    MeterFilter camelRouteIdOnEveryExchangeEvent() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (EXCHANGE_EVENTS.equals(id.getName()) && id.getTag(ROUTE_ID) == null) {
                    return id.withTag(Tag.of(ROUTE_ID, ""));
                }
                return id;
            }
        };
    }
}
