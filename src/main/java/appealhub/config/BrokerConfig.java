package appealhub.config;

import jakarta.jms.ConnectionFactory;
import java.time.Clock;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.camel.component.jms.JmsComponent;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded broker (used when spring.artemis.mode=embedded) and the Camel JMS component.
 * With spring.artemis.mode=native the hub talks to an external broker instead and the
 * customizer below is not used.
 */
@Configuration
public class BrokerConfig {

    /**
     * Besides the in-VM acceptor Spring Boot gives the hub itself, a TCP acceptor on
     * localhost, so department systems and tests connect as real clients. Failed
     * deliveries are retried with back-off, then parked on DLQ.<queue> for operations.
     */
    @Bean
    ArtemisConfigurationCustomizer hubBrokerCustomizer(@Value("${hub.broker.host}") String host,
                                                       @Value("${hub.broker.port}") int port) {
        return configuration -> {
            try {
                configuration.addAcceptorConfiguration("tcp", "tcp://" + host + ":" + port
                        + "?protocols=CORE");
            } catch (Exception e) {
                throw new IllegalStateException("cannot configure the broker's TCP acceptor", e);
            }
            configuration.setSecurityEnabled(false);
            configuration.setPersistIDCache(true);
            configuration.addAddressSetting("#", new AddressSettings()
                    .setRedeliveryDelay(1000)
                    .setRedeliveryMultiplier(2.0)
                    .setMaxRedeliveryDelay(30_000)
                    .setMaxDeliveryAttempts(6)
                    .setDeadLetterAddress(SimpleString.of("DLA"))
                    .setExpiryAddress(SimpleString.of("ExpiryQueue"))
                    .setAutoCreateDeadLetterResources(true)
                    .setDeadLetterQueuePrefix(SimpleString.of("DLQ."))
                    .setAutoCreateQueues(true)
                    .setAutoCreateAddresses(true)
                    .setAutoDeleteQueues(false)
                    .setAutoDeleteAddresses(false));
        };
    }

    /** Camel's JMS component on the same connection factory as Spring's JmsTemplate, so
     *  sends made while a transacted consumer runs join that consumer's transaction. */
    @Bean("jms")
    JmsComponent jms(ConnectionFactory connectionFactory) {
        JmsComponent jms = new JmsComponent();
        jms.setConnectionFactory(connectionFactory);
        return jms;
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
