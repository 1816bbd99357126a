package appealhub.config;

import appealhub.contract.Queues;

import appealhub.organization.OrganizationRegistry;
import jakarta.jms.ConnectionFactory;
import java.util.ArrayList;
import java.util.List;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jms.connection.SingleConnectionFactory;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.jms.JmsHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded broker (used when spring.artemis.mode=embedded) and the Camel JMS component.
 * With spring.artemis.mode=native the hub talks to an external broker instead and the
 * customizer below is not used.
 */
@Configuration
public class BrokerConfig {
    public static final String DEAD_LETTER_ADDRESS = "DLA";

    /** Where the broker parks what it gave up redelivering from a queue (fully qualified). */
    public static String deadLetterQueue(String queue) {
        return DEAD_LETTER_ADDRESS + "::DLQ." + queue;
    }

    /**
     * Besides the in-VM acceptor Spring Boot gives the hub itself, a TCP acceptor on
     * localhost, so department systems and tests connect as real clients, and optionally one
     * for AMQP 1.0 and one for STOMP, so a department's system need not be Java. Logins, rights
     * and the stamped sender (BrokerSecurityConfig) are the broker's, whatever the protocol.
     * Failed deliveries are retried with back-off, then parked on DLQ.<queue> for operations.
     */
    @Bean
    ArtemisConfigurationCustomizer hubBrokerCustomizer(OrganizationRegistry registry,
                                                       @Value("${hub.broker.host}") String host,
                                                       @Value("${hub.broker.port}") int port,
                                                       @Value("${hub.broker.amqp-port:0}") int amqpPort,
                                                       @Value("${hub.broker.stomp-port:0}") int stompPort,
                                                       @Value("${hub.broker.redelivery-delay-ms}") long redeliveryDelayMs,
                                                       @Value("${hub.broker.max-delivery-attempts}") int maxDeliveryAttempts,
                                                       @Value("${hub.channels.grid.inbound-queue:inbound.grid.reports}") String gridInbound) {
        return configuration -> {
            try {
                configuration.addAcceptorConfiguration("tcp", "tcp://" + host + ":" + port
                        + "?protocols=CORE");
                // PLAIN only: no anonymous AMQP login, every client is an organisation's user.
                if (amqpPort > 0) {
                    configuration.addAcceptorConfiguration("amqp", "tcp://" + host + ":" + amqpPort
                            + "?protocols=AMQP;saslMechanisms=PLAIN");
                }
                if (stompPort > 0) {
                    configuration.addAcceptorConfiguration("stomp", "tcp://" + host + ":" + stompPort
                            + "?protocols=STOMP");
                }
            } catch (Exception e) {
                throw new IllegalStateException("cannot configure the broker's TCP acceptors", e);
            }
            // Security (who may use which queue): BrokerSecurityConfig.
            configuration.setPersistIDCache(true);
            // The journal as a standalone Artemis keeps it (artemis create): libaio where the platform
            // has it (Artemis falls back to NIO by itself where it has not, e.g. on tmpfs). Spring Boot's
            // embedded default is NIO, whose write buffer waits 3.3 ms before each sync, where AIO's waits
            // 0.5 ms; both sync every durable send and commit before answering it (issue 16's profile).
            configuration.setJournalType(org.apache.activemq.artemis.core.server.JournalType.ASYNCIO);
            configuration.addAddressSetting("#", new AddressSettings()
                    .setRedeliveryDelay(redeliveryDelayMs)
                    .setRedeliveryMultiplier(2.0)
                    .setMaxRedeliveryDelay(30 * redeliveryDelayMs)
                    .setMaxDeliveryAttempts(maxDeliveryAttempts)
                    .setDeadLetterAddress(SimpleString.of(DEAD_LETTER_ADDRESS))
                    .setExpiryAddress(SimpleString.of("ExpiryQueue"))
                    .setAutoCreateDeadLetterResources(true)
                    .setDeadLetterQueuePrefix(SimpleString.of("DLQ."))
                    .setAutoCreateQueues(true)
                    .setAutoCreateAddresses(true)
                    .setAutoDeleteQueues(false)
                    .setAutoDeleteAddresses(false));
            // Dead letters of the hub's own queues: DLA::DLQ.<queue>, made up front the way Artemis would
            // auto-create them (a filter on the original address), so operations can browse them
            // before the first one arrives. Nobody may create other queues on DLA by browsing it.
            CoreAddressConfiguration dla = new CoreAddressConfiguration().setName(DEAD_LETTER_ADDRESS)
                    .addRoutingType(RoutingType.ANYCAST);
            List<String> queues = new ArrayList<>(List.of(Queues.INTAKE, Queues.REPLIES, Queues.TRIAGE,
                    Queues.SUPERVISION, Queues.DUTY_LEADER, gridInbound));
            queues.addAll(registry.taskQueues());
            for (String queue : queues) {
                dla.addQueueConfiguration(QueueConfiguration.of("DLQ." + queue).setAddress(DEAD_LETTER_ADDRESS)
                        .setRoutingType(RoutingType.ANYCAST).setDurable(true)
                        .setFilterString("_AMQ_ORIG_ADDRESS = '" + queue + "'"));
            }
            configuration.addAddressConfiguration(dla);
            configuration.addAddressSetting(DEAD_LETTER_ADDRESS,
                    new AddressSettings().setAutoCreateQueues(false).setAutoCreateAddresses(false));
        };
    }

    /**
     * External broker (spring.artemis.mode=native): when it goes away, the hub's connection fails at
     * once and Spring drops it (CachingConnectionFactory, reconnect on exception); a send meanwhile
     * fails at once (a push is answered 500, the recovery hands over later) and the consumers try
     * again every hub.broker.consumer-recovery-ms. The Artemis client's own waiting is kept short
     * so nothing queues up behind it: each connection attempt retries after retryInterval (Artemis'
     * default 2 s, during which every other sender and /actuator/health wait on the shared
     * connection: measured 17 s for one health request). Client-side reconnection
     * (reconnectAttempts=-1) is NOT turned on: against a single broker it would hold every push for
     * the whole outage instead of answering it. A setting given in spring.artemis.broker-url wins:
     * a live/backup pair's URL sets ha=true&reconnectAttempts=-1, the way to its backup (deploy/artemis).
     * Either mode: the client caches the queues it has looked up (cacheDestinations), and its
     * consumers read no messages ahead (consumerWindowSize, hub.broker.consumer-window-size 0): the
     * broker counts a delivery for every message it has sent to a consumer whose connection then
     * fails, so with Artemis' default 1 MiB read-ahead each cut connection (a broker restart, a network
     * blip) spent one delivery attempt of every hand-over waiting in the consumers' buffers, and a few
     * cuts parked good hand-overs on DLQ.hub.intake (ConnectionDropTest with the read-ahead: 57 of 1,500).
     * One message at a time also keeps a slow placement from holding others back behind it.
     */
    @Bean
    static BeanPostProcessor externalBrokerClient(@Value("${spring.artemis.mode:embedded}") String mode,
                                                  @Value("${spring.artemis.broker-url:}") String url,
                                                  @Value("${hub.broker.client-retry-interval-ms:200}") long retryIntervalMs,
                                                  @Value("${hub.broker.consumer-window-size:0}") int consumerWindowSize) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                Object target = bean instanceof SingleConnectionFactory s ? s.getTargetConnectionFactory() : bean;
                if (!(target instanceof ActiveMQConnectionFactory factory)) return bean;
                // Each send names its queue (toD): without the cache every send first asked the broker
                // whether the queue exists (a queue or address query, one more round trip per message;
                // issue 16's profile). The hub's queues are not deleted under it.
                if (!url.contains("cacheDestinations=")) factory.setCacheDestinations(true);
                if (!url.contains("consumerWindowSize=")) factory.setConsumerWindowSize(consumerWindowSize);
                if ("native".equalsIgnoreCase(mode) && !url.contains("retryInterval=")) {
                    factory.setRetryInterval(retryIntervalMs);
                }
                return bean;
            }
        };
    }

    /**
     * /actuator/health's broker check on a connection of its own (Spring Boot's checks through the
     * shared caching factory): while the broker is away every sender and consumer waits on that
     * factory's one connection attempt after another, and the health request queued behind them
     * took over 10 s under load. Its own connection answers DOWN at once, and UP while the broker is there.
     */
    @Bean("jmsHealthIndicator")
    HealthIndicator jmsHealthIndicator(ConnectionFactory connectionFactory) {
        ConnectionFactory own = connectionFactory instanceof SingleConnectionFactory s && s.getTargetConnectionFactory() != null
                ? s.getTargetConnectionFactory() : connectionFactory;
        return new JmsHealthIndicator(own);
    }

    /**
     * The component route "to-queue" sends the hub's own messages with: the same broker and login
     * on a connection of its own, not transacted, so no consumer's transaction is bound to it (see
     * HubMessaging for why). A broker restarted: the next send connects again.
     */
    @Bean("hubjms")
    JmsComponent hubjms(ConnectionFactory connectionFactory) {
        ConnectionFactory target = connectionFactory instanceof SingleConnectionFactory s && s.getTargetConnectionFactory() != null
                ? s.getTargetConnectionFactory() : connectionFactory;
        org.springframework.jms.connection.CachingConnectionFactory own =
                new org.springframework.jms.connection.CachingConnectionFactory(target);
        own.setSessionCacheSize(10);
        own.setReconnectOnException(true);
        JmsComponent jms = new JmsComponent();
        jms.setConnectionFactory(own);
        jms.setTransacted(false);
        jms.setDeliveryPersistent(true);
        // priority and persistence come from each message (QueueMessage): JMSPriority, JMSDeliveryMode
        jms.setPreserveMessageQos(true);
        return jms;
    }

    /** Camel's JMS component on the same connection factory as Spring's JmsTemplate, so
     *  sends made while a transacted consumer runs join that consumer's transaction. */
    @Bean("jms")
    JmsComponent jms(ConnectionFactory connectionFactory,
                     @Value("${hub.broker.consumer-recovery-ms:2000}") long recoveryMs) {
        JmsComponent jms = new JmsComponent();
        jms.setConnectionFactory(connectionFactory);
        // A consumer whose broker went away (an external broker restarted) tries to connect again
        // this often, without end (Spring's default: every 5 s); it resumes within this long of the
        // broker's return.
        jms.setRecoveryInterval(recoveryMs);
        // The transacted consumers (hub.intake, hub.task.replies, the grid's inbound) use the JMS
        // session's own (local) transaction, not a JmsTransactionManager made for them: with a
        // transaction manager Spring's listener container caches nothing (CACHE_NONE) and opened and
        // closed a consumer for every message (queue query, create, close: three more round trips to
        // the broker per message; issue 16's profile). The listener's session is still exposed to
        // sends made while it runs (the dead-letter channel through this component's JmsTemplate):
        // they join its transaction and commit or roll back with the message, as before.
        jms.setLazyCreateTransactionManager(false);
        jms.setCacheLevelName("CACHE_CONSUMER");
        return jms;
    }
}
