package appealhub.config;

import appealhub.contract.Queues;

import appealhub.broker.ValidatedUserPlugin;
import appealhub.organization.OrganizationRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.jaas.PropertiesLoginModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jms.connection.SingleConnectionFactory;

/**
 * Who may do what on the embedded broker. Every client logs in:
 * <ul>
 *   <li>each department and township as the user named after its code, with that code as its
 *       role: it may take (consume, browse) its own task queue and send to hub.task.replies,
 *       nothing else;</li>
 *   <li>the grid app's backend as {@value #GRID_ROLE}: send reports, take its feedback;</li>
 *   <li>the supervision office (督查督办) as {@value #SUPERVISION_ROLE}: take the escalations on
 *       hub.supervision; the duty leader's desk as {@value #DUTY_ROLE}: take the emergency alerts
 *       on hub.duty.leader;</li>
 *   <li>the hub itself as spring.artemis.user, role {@value #HUB_ROLE}: everything.</li>
 * </ul>
 * Users and roles are Artemis' own properties files (PropertiesLoginModule; hub.broker.users-file,
 * hub.broker.roles-file), re-read when they change; a password is plain (demo) or ENC(one-way hash).
 * The broker stamps the validated user on every message (JMSXUserID), whatever the protocol
 * (ValidatedUserPlugin for AMQP), so the hub knows who really sent a reply. With an external
 * broker (spring.artemis.mode=native) none of this applies: that broker's own configuration must
 * give the same rights (deploy/artemis).
 */
@Configuration
public class BrokerSecurityConfig {
    private static final Logger log = LoggerFactory.getLogger(BrokerSecurityConfig.class);
    public static final String HUB_ROLE = "hub";
    public static final String GRID_ROLE = "grid";
    public static final String SUPERVISION_ROLE = "supervision";
    public static final String DUTY_ROLE = "duty";
    /** The grid app's backend logs in as this user (role grid in the roles file). */
    public static final String GRID_USER = "grid";
    private static final String LOGIN_DOMAIN = "appeal-hub-broker";

    @Bean
    ArtemisConfigurationCustomizer brokerRights(OrganizationRegistry registry,
                                                @Value("${hub.broker.users-file}") String usersFile,
                                                @Value("${hub.broker.allow-plain-passwords:false}") boolean allowPlainPasswords,
                                                @Value("${spring.artemis.user:}") String hubUser,
                                                @Value("${hub.channels.grid.inbound-queue:inbound.grid.reports}") String gridReports,
                                                @Value("${hub.channels.grid.feedback-queue:outbound.grid.feedback}") String gridFeedback) {
        return configuration -> {
            BrokerUsers users = BrokerUsers.read(Path.of(usersFile));
            if (hubUser.isBlank() || !users.has(hubUser)) {
                throw new IllegalStateException("the hub's own broker user (spring.artemis.user='" + hubUser
                        + "') is not in " + usersFile);
            }
            if (!allowPlainPasswords && !users.withClearPasswords().isEmpty()) {
                throw new IllegalStateException("broker users with a password in clear in " + usersFile + ": "
                        + users.withClearPasswords() + " (hub.broker.allow-plain-passwords=false: use ENC(one-way hash))");
            }
            configuration.setSecurityEnabled(true);
            configuration.setPopulateValidatedUser(true);
            // populate-validated-user stamps CORE and STOMP messages only; this stamps AMQP ones
            configuration.registerBrokerPlugin(new ValidatedUserPlugin());
            // Artemis' cluster user may do anything. The hub runs no cluster: nobody gets to know its password.
            configuration.setClusterPassword(UUID.randomUUID().toString());

            configuration.putSecurityRoles("#", Set.of(everything(HUB_ROLE)));
            Set<Role> replies = new HashSet<>(Set.of(everything(HUB_ROLE)));
            List<String> withoutUser = new ArrayList<>();
            for (String code : organisationCodes(registry)) {
                String queue = registry.taskQueue(code);
                configuration.putSecurityRoles(queue, Set.of(everything(HUB_ROLE), take(code)));
                replies.add(send(code));
                if (!users.has(code)) withoutUser.add(code);
            }
            configuration.putSecurityRoles(Queues.REPLIES, replies);
            configuration.putSecurityRoles(gridReports, Set.of(everything(HUB_ROLE), send(GRID_ROLE)));
            configuration.putSecurityRoles(gridFeedback, Set.of(everything(HUB_ROLE), take(GRID_ROLE)));
            configuration.putSecurityRoles(Queues.SUPERVISION, Set.of(everything(HUB_ROLE), take(SUPERVISION_ROLE)));
            configuration.putSecurityRoles(Queues.DUTY_LEADER, Set.of(everything(HUB_ROLE), take(DUTY_ROLE)));
            if (!withoutUser.isEmpty()) {
                log.warn("organisations with no broker user in {} cannot take their tasks: {}", usersFile, withoutUser);
            }

            // Clients may not create queues, so the ones they use exist before anyone connects.
            List<String> clientQueues = new ArrayList<>(registry.taskQueues());
            clientQueues.addAll(List.of(Queues.REPLIES, gridReports, gridFeedback, Queues.SUPERVISION, Queues.DUTY_LEADER));
            for (String queue : clientQueues) {
                configuration.addAddressConfiguration(new CoreAddressConfiguration().setName(queue)
                        .addRoutingType(RoutingType.ANYCAST)
                        .addQueueConfiguration(QueueConfiguration.of(queue).setAddress(queue)
                                .setRoutingType(RoutingType.ANYCAST).setDurable(true)));
            }
        };
    }

    /**
     * The embedded broker's login, put in before Spring Boot starts it, and the hub's own
     * credentials on its in-VM connection factory: in embedded mode Spring Boot leaves
     * spring.artemis.user/password off it (it sets them only for an external broker).
     */
    @Bean
    static BeanPostProcessor embeddedBrokerLogin(@Value("${hub.broker.users-file}") String usersFile,
                                                 @Value("${hub.broker.roles-file}") String rolesFile,
                                                 @Value("${spring.artemis.user:}") String hubUser,
                                                 @Value("${spring.artemis.password:}") String hubPassword) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof EmbeddedActiveMQ broker) {
                    broker.setSecurityManager(login(Path.of(usersFile), Path.of(rolesFile)));
                }
                return bean;
            }

            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                Object target = bean instanceof SingleConnectionFactory s ? s.getTargetConnectionFactory() : bean;
                if (target instanceof ActiveMQConnectionFactory factory && factory.getUser() == null && !hubUser.isBlank()) {
                    factory.setUser(hubUser);
                    factory.setPassword(hubPassword);
                }
                return bean;
            }
        };
    }

    /** Artemis' PropertiesLoginModule on the two files; reload=true: a changed file counts from the next login. */
    static ActiveMQJAASSecurityManager login(Path users, Path roles) {
        for (Path file : List.of(users, roles)) {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new IllegalStateException("broker security file " + file.toAbsolutePath()
                        + " not found or not readable (hub.broker.users-file, hub.broker.roles-file)");
            }
        }
        Map<String, String> options = Map.of(
                PropertiesLoginModule.USER_FILE_PROP_NAME, users.toAbsolutePath().toString(),
                PropertiesLoginModule.ROLE_FILE_PROP_NAME, roles.toAbsolutePath().toString(),
                "reload", "true");
        SecurityConfiguration jaas = new SecurityConfiguration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return new AppConfigurationEntry[] {new AppConfigurationEntry(PropertiesLoginModule.class.getName(),
                        AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, options)};
            }
        };
        return new ActiveMQJAASSecurityManager(LOGIN_DOMAIN, jaas);
    }

    private static List<String> organisationCodes(OrganizationRegistry registry) {
        List<String> codes = new ArrayList<>();
        registry.departments().forEach(d -> codes.add(d.code()));
        registry.townships().forEach(t -> codes.add(t.code()));
        return codes;
    }

    // Role(name, send, consume, createDurableQueue, deleteDurableQueue, createNonDurableQueue,
    //      deleteNonDurableQueue, manage, browse, createAddress, deleteAddress, view, edit)

    private static Role everything(String role) {
        return new Role(role, true, true, true, true, true, true, true, true, true, true, true, true);
    }

    /** Receive from an existing queue and look at it: what a JMS consumer or browser needs. */
    private static Role take(String role) {
        return new Role(role, false, true, false, false, false, false, false, true, false, false, false, false);
    }

    private static Role send(String role) {
        return new Role(role, true, false, false, false, false, false, false, false, false, false, false, false);
    }
}
