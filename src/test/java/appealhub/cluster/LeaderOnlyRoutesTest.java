package appealhub.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import appealhub.feedback.FeedbackDispatcher;
import appealhub.feedback.FeedbackPayload;
import appealhub.feedback.FeedbackSink;
import appealhub.routes.FeedbackRoute;
import appealhub.routes.ErrorHandling;
import appealhub.store.CaseStore;
import appealhub.store.FeedbackOutbox;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A route is leader-only because its RouteBuilder says so (route property hub.leader-only), and
 * a channel's feedback route because its sink names a lease: no list elsewhere. Two Camel contexts
 * (two "instances") on one lease table (H2, the real migration), without Spring: the declared
 * routes get Camel's ClusteredRoutePolicy and run on the lease holder only, moving together when it
 * stops; the others get no policy and run on both.
 */
class LeaderOnlyRoutesTest {
    static final Duration TTL = Duration.ofSeconds(3);

    JdbcTemplate jdbc;
    final List<CamelContext> contexts = new ArrayList<>();

    @BeforeEach
    void database() {
        var ds = new DriverManagerDataSource("jdbc:h2:mem:leader-only-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "hub", "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(ds);
    }

    @AfterEach
    void stop() {
        contexts.forEach(CamelContext::stop);
    }

    /** A channel's own routes: a poller declared leader-only where it is built, a push endpoint not. */
    static class ChannelRoutes extends RouteBuilder {
        @Override
        public void configure() {
            from("direct:poll").routeId("some-pull")
                    .routeProperty(LeaderOnlyRoutes.PROPERTY, "some-channel")
                    .log("poll");
            from("direct:push").routeId("some-push")
                    .log("push");
        }
    }

    @Test
    void declaredRoutesFollowTheirLeaseAndTheOthersRunEverywhere() {
        CamelContext a = instance("node-a");
        CamelContext b = instance("node-b");

        // The policy goes where the declaration is, and only there.
        for (CamelContext hub : List.of(a, b)) {
            assertThat(clustered(hub, "some-pull")).isTrue();
            assertThat(clustered(hub, "feedback-leading")).isTrue();
            assertThat(clustered(hub, "some-push")).isFalse();
            assertThat(clustered(hub, "feedback-anywhere")).isFalse();
            assertThat(clustered(hub, "feedback-orphans")).isFalse();
        }
        // node-a started first and holds the one lease both declared routes name; node-b waits.
        await().atMost(Duration.ofSeconds(5)).until(() -> status(a, "some-pull") == ServiceStatus.Started
                && status(a, "feedback-leading") == ServiceStatus.Started);
        assertThat(status(b, "some-pull")).isEqualTo(ServiceStatus.Stopped);
        assertThat(status(b, "feedback-leading")).isEqualTo(ServiceStatus.Stopped);
        for (CamelContext hub : List.of(a, b)) {
            assertThat(status(hub, "some-push")).isEqualTo(ServiceStatus.Started);
            assertThat(status(hub, "feedback-anywhere")).isEqualTo(ServiceStatus.Started);
        }
        assertThat(jdbc.queryForList("select namespace || '=' || holder from cluster_lease", String.class))
                .containsExactly("some-channel=node-a");

        // node-a goes: the routes of the namespace move to node-b together.
        a.stop();
        await().atMost(TTL.multipliedBy(2)).until(() -> status(b, "some-pull") == ServiceStatus.Started
                && status(b, "feedback-leading") == ServiceStatus.Started);
        assertThat(jdbc.queryForList("select namespace || '=' || holder from cluster_lease", String.class))
                .containsExactly("some-channel=node-b");
    }

    @Test
    void aPlaceholderNamesTheNamespaceToo() {
        var context = new DefaultCamelContext();
        Properties props = new Properties();
        props.put("lease.of.poller", "from-config");
        context.getPropertiesComponent().setInitialProperties(props);
        var route = new org.apache.camel.model.RouteDefinition("direct:x").routeProperty(LeaderOnlyRoutes.PROPERTY, "{{lease.of.poller}}");
        assertThat(LeaderOnlyRoutes.namespace(context, route)).isEqualTo("from-config");
        assertThat(LeaderOnlyRoutes.namespace(context, new org.apache.camel.model.RouteDefinition("direct:y"))).isNull();
    }

    CamelContext instance(String nodeId) {
        var service = new JdbcLeaseClusterService(nodeId, new LeaseTable(jdbc), Clock.systemUTC(), TTL);
        var context = new DefaultCamelContext();
        context.disableJMX();
        Properties props = new Properties();
        props.put("hub.feedback.poll-ms", "3600000");
        context.getPropertiesComponent().setInitialProperties(props);
        try {
            context.addService(service);
            context.addRoutePolicyFactory(new LeaderOnlyRoutes(service));
            for (RoutesBuilder builder : List.of(new ErrorHandling(), new ChannelRoutes(), new FeedbackRoute(dispatcher(nodeId)))) {
                context.addRoutes(builder);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        context.start();
        contexts.add(context);
        return context;
    }

    /** The real dispatcher over the real (empty) outbox, with a sink that names a lease and one that does not. */
    FeedbackDispatcher dispatcher(String nodeId) {
        Clock clock = Clock.systemUTC();
        return new FeedbackDispatcher(new FeedbackOutbox(jdbc, clock, new appealhub.store.CaseStageCounts(jdbc)), new CaseStore(jdbc, new ObjectMapper(), clock, new appealhub.model.PhoneHasher("test-phone-key"), new appealhub.store.CaseStageCounts(jdbc)),
                List.of(sink("leading", Optional.of("some-channel")), sink("anywhere", Optional.empty())),
                new ObjectMapper(), clock, new ClusterProperties(true, 15, nodeId), 20, 5, 600, 30);
    }

    static FeedbackSink sink(String channel, Optional<String> namespace) {
        return new FeedbackSink() {
            @Override
            public String channel() {
                return channel;
            }

            @Override
            public Optional<String> leaderNamespace() {
                return namespace;
            }

            @Override
            public Outcome deliver(String sourceItemId, FeedbackPayload payload) {
                return new Outcome.Delivered("test");
            }
        };
    }

    static boolean clustered(CamelContext context, String routeId) {
        return context.getRoute(routeId).getRoutePolicyList().stream().anyMatch(ClusteredRoutePolicy.class::isInstance);
    }

    static ServiceStatus status(CamelContext context, String routeId) {
        return context.getRouteController().getRouteStatus(routeId);
    }
}
