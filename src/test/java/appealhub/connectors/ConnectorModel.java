package appealhub.connectors;

import appealhub.feedback.FeedbackSink;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.PropertiesSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.type.classreading.CachingMetadataReaderFactory;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.core.type.filter.AssignableTypeFilter;
import org.springframework.objenesis.ObjenesisStd;
import org.springframework.web.bind.annotation.RestController;

/**
 * One channel as {@link ConnectorYamlTest} sees it: its connector.yaml, the classes of its package
 * (properties record, RouteBuilders, feedback sink, controllers), and the routes they build with
 * config/application.yml bound, read from the Camel model of a context that is never started.
 * Collaborators the RouteBuilders only hold (inbound handlers, pullers, stores) are made without
 * running their constructors: configure() only takes references to their methods.
 */
final class ConnectorModel {
    static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    static final Path CONNECTORS = ROOT.resolve("connectors");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final JsonNode APPLICATION = read(ROOT.resolve("config/application.yml"));
    static final JsonNode PRODUCTION = read(ROOT.resolve("config/application-production.yml"));
    private static final ObjenesisStd OBJENESIS = new ObjenesisStd();

    final String channel;
    final JsonNode yaml;
    final JsonNode spec;
    final String prefix;
    final Class<?> propertiesClass;
    final String packageName;

    ConnectorModel(String channel) {
        this.channel = channel;
        this.yaml = read(CONNECTORS.resolve(channel).resolve("connector.yaml"));
        this.spec = yaml.path("spec");
        this.prefix = yaml.at("/metadata/annotations/appealhub~1configuration-prefix").asText();
        String className = yaml.at("/metadata/annotations/appealhub~1properties-class").asText();
        try {
            this.propertiesClass = Class.forName(className);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(channel + "/connector.yaml: properties-class " + className + " does not exist", e);
        }
        this.packageName = propertiesClass.getPackageName();
    }

    /** The folders under connectors/ that hold a connector.yaml. */
    static List<String> channelFolders() {
        try (Stream<Path> folders = Files.list(CONNECTORS)) {
            return folders.filter(p -> Files.isRegularFile(p.resolve("connector.yaml")))
                    .map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }

    /** spec.definition.properties: dotted key → declaration. */
    Map<String, JsonNode> properties() {
        Map<String, JsonNode> properties = new LinkedHashMap<>();
        spec.at("/definition/properties").fields().forEachRemaining(e -> properties.put(e.getKey(), e.getValue()));
        return properties;
    }

    /** Every mapping under spec with a text {@code route}: a route the channel builds. */
    List<JsonNode> routeDeclarations() {
        List<JsonNode> routes = new ArrayList<>();
        collect(spec, node -> node.path("route").isTextual(), routes);
        return routes;
    }

    /** Every {@code endpoint: {method, path}} under spec in a mapping without a route: served by a controller. */
    List<JsonNode> controllerEndpoints() {
        List<JsonNode> holders = new ArrayList<>();
        collect(spec, node -> node.path("endpoint").isObject() && !node.has("route"), holders);
        return holders.stream().map(n -> n.get("endpoint")).toList();
    }

    private static void collect(JsonNode node, java.util.function.Predicate<JsonNode> match, List<JsonNode> into) {
        if (node.isObject() && match.test(node)) into.add(node);
        node.forEach(child -> collect(child, match, into));
    }

    /** The channel's RouteBuilders (its demo feeders, default run only, aside). */
    List<Class<?>> routeBuilders() {
        return classes(new AssignableTypeFilter(RouteBuilder.class)).stream()
                .filter(c -> !c.getSimpleName().endsWith("DemoFeeder")).toList();
    }

    List<Class<?>> controllers() {
        return classes(new AnnotationTypeFilter(RestController.class));
    }

    /** The channel's one FeedbackSink (made without its constructor: channel(), acknowledgesIntake() and leaderNamespace() are constants). */
    FeedbackSink sink() {
        List<Class<?>> sinks = classes(new AssignableTypeFilter(FeedbackSink.class));
        if (sinks.size() != 1) throw new AssertionError(channel + ": expected one FeedbackSink in " + packageName + ", found " + sinks);
        return (FeedbackSink) OBJENESIS.newInstance(sinks.get(0));
    }

    /** The concrete top-level classes of the channel's package that match (read without their @Conditional annotations in the way). */
    private List<Class<?>> classes(org.springframework.core.type.filter.TypeFilter filter) {
        var resolver = new PathMatchingResourcePatternResolver();
        var readers = new CachingMetadataReaderFactory(resolver);
        List<Class<?>> classes = new ArrayList<>();
        try {
            for (Resource resource : resolver.getResources("classpath*:" + packageName.replace('.', '/') + "/*.class")) {
                MetadataReader reader = readers.getMetadataReader(resource);
                var metadata = reader.getClassMetadata();
                if (metadata.isConcrete() && metadata.isIndependent() && filter.match(reader, readers)) {
                    classes.add(Class.forName(metadata.getClassName()));
                }
            }
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        classes.sort(java.util.Comparator.comparing(Class::getName));
        return classes;
    }

    /** The routes built with config/application.yml (and the overrides) bound; nothing started. */
    record Built(CamelContext context, Map<String, RouteDefinition> routes) {
        /** A URI with its {{placeholders}} resolved from the same configuration. */
        String resolve(String uri) {
            return context.resolvePropertyPlaceholders(uri);
        }
    }

    Built build(Map<String, Object> overrides) {
        StandardEnvironment env = environment(overrides);
        Object props = Binder.get(env).bindOrCreate(prefix, propertiesClass);
        DefaultCamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().addPropertiesSource(new PropertiesSource() {
            @Override
            public String getName() {
                return "config/application.yml";
            }

            @Override
            public String getProperty(String name) {
                return env.getProperty(name);
            }
        });
        Map<String, RouteDefinition> routes = new LinkedHashMap<>();
        try {
            for (Class<?> builder : routeBuilders()) context.addRoutes((RoutesBuilder) instantiate(builder, props));
            context.getRouteDefinitions().forEach(r -> routes.put(r.getRouteId(), r));
            FeedbackSink sink = sink();
            context.addRoutes(ConnectorYamlTest.feedbackRoute(sink));
            String feedback = "feedback-" + sink.channel();
            context.getRouteDefinitions().stream().filter(r -> feedback.equals(r.getRouteId()))
                    .forEach(r -> routes.put(r.getRouteId(), r));
        } catch (Exception e) {
            throw new IllegalStateException(channel + ": building its routes failed", e);
        }
        return new Built(context, routes);
    }

    /** config/application.yml alone (no system properties, no environment variables), the overrides first. */
    private static StandardEnvironment environment(Map<String, Object> overrides) {
        StandardEnvironment env = new StandardEnvironment();
        MutablePropertySources sources = env.getPropertySources();
        sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        sources.addFirst(new MapPropertySource("overrides", overrides));
        try {
            for (PropertySource<?> source : new YamlPropertySourceLoader().load("application.yml",
                    new FileSystemResource(ROOT.resolve("config/application.yml")))) {
                sources.addLast(source);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return env;
    }

    private Object instantiate(Class<?> type, Object props) throws Exception {
        Constructor<?>[] constructors = type.getConstructors();
        if (constructors.length != 1) throw new IllegalStateException(type + " has not exactly one public constructor");
        Class<?>[] parameters = constructors[0].getParameterTypes();
        Object[] args = new Object[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            Class<?> p = parameters[i];
            if (p == propertiesClass) args[i] = props;
            else if (p == ObjectMapper.class) args[i] = new ObjectMapper();
            else if (p == Clock.class) args[i] = Clock.systemUTC();
            else if (p.isInterface() || Modifier.isAbstract(p.getModifiers()) || p.isPrimitive()) args[i] = null;
            else args[i] = OBJENESIS.newInstance(p);
        }
        return constructors[0].newInstance(args);
    }
}
