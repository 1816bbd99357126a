package appealhub.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.cluster.ClusterProperties;
import appealhub.cluster.LeaderOnlyRoutes;
import appealhub.feedback.FeedbackDispatcher;
import appealhub.feedback.FeedbackSink;
import appealhub.routes.FeedbackRoute;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.model.RouteDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * Each connectors/&lt;channel&gt;/connector.yaml held against what it describes, as Camel's build
 * validates its Kamelets: the properties against the record that binds them (x-java: type and
 * accessor, nested records too, both ways), the defaults against config/application.yml and the
 * x-production values against config/application-production.yml (as written, both ways), the
 * required keys; the routes it declares (route id, endpoint, leader-only lease, what switches
 * them off) against the routes the channel's RouteBuilders and its feedback sink really build
 * (both ways), its HTTP endpoints outside Camel against the channel's controllers, its queues
 * against its properties and docs/queue-contract/asyncapi.yaml, and its sink against the code. Notes that say a leader-only route runs everywhere fail too.
 * <p>
 * What a connector.yaml declares so that this test can read it: a property {@code x-java: <type>
 * <accessor chain>()}; a route is a mapping with {@code route: <id>}, optionally {@code endpoint:}
 * (a Camel URI as with the default configuration, {@code <...>} standing for a part chosen at run
 * time; or {@code {method, path}} of a platform-http endpoint), {@code leader-only: <namespace>} and
 * {@code enabled-by: [properties]}; an HTTP endpoint served by a controller is a mapping with
 * {@code endpoint: {method, path}} and no route. Nothing is started: routes are read from the Camel
 * model of a context that is never started (ConnectorModel).
 */
class ConnectorYamlTest {
    static final Pattern X_JAVA = Pattern.compile("^(\\S+)\\s+((?:\\w+\\(\\)\\.)*\\w+\\(\\))$");
    /** Notes that say a route runs on several instances at once. */
    static final Pattern RUNS_EVERYWHERE = Pattern.compile("(?i)\\b(every|each) (hub )?instance\\b|several (hub )?instances may");
    static final Pattern HTTP = Pattern.compile("^platform-http:([^?]+)(?:\\?(.*))?$");

    static Stream<String> channels() {
        return ConnectorModel.channelFolders().stream();
    }

    @Test
    void everyChannelHasAConnectorYaml() throws Exception {
        assertThat(ConnectorModel.channelFolders()).as("channels with a connector.yaml")
                .contains("hotline12345", "leaderboard", "miniprogram", "wechat", "supervision", "grid");
        try (Stream<Path> folders = Files.list(ConnectorModel.CONNECTORS)) {
            assertThat(folders.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList())
                    .as("every folder under connectors/ has a connector.yaml").isEqualTo(ConnectorModel.channelFolders());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("channels")
    void namesAndAnnotationsMatchTheCode(String channel) {
        ConnectorModel c = new ConnectorModel(channel);
        List<String> problems = new ArrayList<>();
        check(problems, channel.equals(c.yaml.at("/metadata/name").asText()), "metadata.name is not the folder's name " + channel);
        check(problems, c.prefix.equals("hub.channels." + channel), "configuration-prefix " + c.prefix + " is not hub.channels." + channel);
        var binding = c.propertiesClass.getAnnotation(org.springframework.boot.context.properties.ConfigurationProperties.class);
        check(problems, binding != null && c.prefix.equals(binding.prefix().isEmpty() ? binding.value() : binding.prefix()),
                c.propertiesClass.getSimpleName() + " does not bind " + c.prefix);
        check(problems, c.propertiesClass.isRecord(), c.propertiesClass.getSimpleName() + " is not a record");
        FeedbackSink sink = c.sink();
        JsonNode declared = c.spec.path("sink");
        check(problems, sink.getClass().getName().equals(declared.path("class").asText()),
                "sink.class " + declared.path("class").asText() + " but the channel's FeedbackSink is " + sink.getClass().getName());
        check(problems, channel.equals(sink.channel()), "the sink's channel() is " + sink.channel() + ", not " + channel);
        check(problems, declared.has("acknowledges-intake") && declared.get("acknowledges-intake").isBoolean()
                        && declared.get("acknowledges-intake").asBoolean() == sink.acknowledgesIntake(),
                "sink.acknowledges-intake (" + declared.path("acknowledges-intake") + ") is not the sink's acknowledgesIntake() "
                        + sink.acknowledgesIntake());
        assertThat(problems).as(channel + "/connector.yaml against the code").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("channels")
    void propertiesAreTheRecordsComponents(String channel) {
        ConnectorModel c = new ConnectorModel(channel);
        Map<String, String[]> record = new TreeMap<>();
        components(c.propertiesClass, "", "", record);
        List<String> problems = new ArrayList<>();
        c.properties().forEach((key, property) -> {
            String xJava = property.path("x-java").asText();
            Matcher m = X_JAVA.matcher(xJava);
            String[] component = record.get(key);
            if (!m.matches()) {
                problems.add(key + ": x-java '" + xJava + "' is not '<type> <accessor>()'");
            } else if (component == null) {
                problems.add(key + " (x-java " + xJava + ") is not a component of " + c.propertiesClass.getSimpleName());
            } else if (!m.group(1).equals(component[0]) || !m.group(2).equals(component[1])) {
                problems.add(key + ": x-java '" + xJava + "' but " + c.propertiesClass.getSimpleName() + " has '"
                        + component[0] + " " + component[1] + "'");
            }
            String type = property.path("type").asText();
            String javaType = component == null ? "" : component[0];
            boolean typeFits = switch (type) {
                case "boolean" -> javaType.equals("boolean");
                case "integer" -> javaType.equals("int") || javaType.equals("long");
                case "number" -> javaType.equals("float") || javaType.equals("double");
                case "string" -> javaType.equals("String");
                default -> false;
            };
            if (component != null && !typeFits) problems.add(key + ": type " + type + " but the record's is " + javaType);
        });
        record.forEach((key, component) -> {
            if (!c.properties().containsKey(key)) {
                problems.add(c.propertiesClass.getSimpleName() + "." + component[1] + " (" + key + ") is not declared in connector.yaml");
            }
        });
        assertThat(problems).as(channel + "/connector.yaml properties against " + c.propertiesClass.getName()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("channels")
    void defaultsAreThoseOfApplicationYml(String channel) {
        ConnectorModel c = new ConnectorModel(channel);
        JsonNode config = ConnectorModel.APPLICATION.at(pointer(c.prefix));
        List<String> problems = new ArrayList<>();
        check(problems, config.isObject(), "config/application.yml has no block " + c.prefix);
        c.properties().forEach((key, property) -> {
            JsonNode value = config.at(pointer(key));
            if (!sameValue(property.get("default"), value)) {
                problems.add(key + ": default " + written(property.get("default")) + " but config/application.yml has "
                        + written(value));
            }
        });
        for (String key : leaves(config, "")) {
            if (!c.properties().containsKey(key)) problems.add(c.prefix + "." + key + " in config/application.yml is not declared");
        }
        for (JsonNode required : c.spec.at("/definition/required")) {
            String key = required.asText();
            check(problems, c.properties().containsKey(key), "required " + key + " is not a declared property");
            JsonNode value = config.at(pointer(key));
            check(problems, value.isValueNode() && !value.isNull() && !value.asText().isBlank(),
                    "required " + key + " has no value in config/application.yml");
        }
        assertThat(problems).as(channel + "/connector.yaml defaults against config/application.yml").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("channels")
    void productionValuesAreThoseOfApplicationProductionYml(String channel) {
        ConnectorModel c = new ConnectorModel(channel);
        JsonNode config = ConnectorModel.PRODUCTION.at(pointer(c.prefix));
        List<String> problems = new ArrayList<>();
        c.properties().forEach((key, property) -> {
            if (!property.has("x-production")) return;
            JsonNode value = config.at(pointer(key));
            if (!sameValue(property.get("x-production"), value)) {
                problems.add(key + ": x-production " + written(property.get("x-production"))
                        + " but config/application-production.yml has " + written(value));
            }
        });
        for (String key : leaves(config, "")) {
            if (!c.properties().containsKey(key) || !c.properties().get(key).has("x-production")) {
                problems.add(c.prefix + "." + key + " is set in config/application-production.yml ("
                        + written(config.at(pointer(key))) + ") but connector.yaml declares no x-production for it");
            }
        }
        assertThat(problems).as(channel + "/connector.yaml x-production against config/application-production.yml").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("channels")
    void routesAreThoseTheChannelBuilds(String channel) {
        ConnectorModel c = new ConnectorModel(channel);
        ConnectorModel.Built built = c.build(Map.of());
        Map<String, JsonNode> declared = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode route : c.routeDeclarations()) {
            if (declared.put(route.get("route").asText(), route) != null) problems.add("route " + route.get("route").asText() + " declared twice");
        }
        for (String id : declared.keySet()) {
            if (!built.routes().containsKey(id)) problems.add("route " + id + " is declared but not built (built: " + built.routes().keySet() + ")");
        }
        for (String id : built.routes().keySet()) {
            if (!declared.containsKey(id)) problems.add("route " + id + " is built but not declared in connector.yaml");
        }
        declared.forEach((id, declaration) -> {
            RouteDefinition route = built.routes().get(id);
            if (route == null || !declaration.has("endpoint")) return;
            String uri = built.resolve(route.getInput().getEndpointUri());
            endpointProblem(declaration.get("endpoint"), uri).ifPresent(p -> problems.add("route " + id + ": " + p));
        });
        assertThat(problems).as(channel + "/connector.yaml routes against the routes built").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("channels")
    void leaderOnlyClaimsAreTheRoutesOwn(String channel) {
        ConnectorModel c = new ConnectorModel(channel);
        ConnectorModel.Built built = c.build(Map.of());
        List<String> problems = new ArrayList<>();
        Set<String> declared = new TreeSet<>();
        for (JsonNode declaration : c.routeDeclarations()) {
            String id = declaration.get("route").asText();
            declared.add(id);
            RouteDefinition route = built.routes().get(id);
            if (route == null) continue;
            String claimed = declaration.hasNonNull("leader-only") ? declaration.get("leader-only").asText() : null;
            String actual = LeaderOnlyRoutes.namespace(built.context(), route);
            if (!Objects.equals(claimed, actual)) {
                problems.add("route " + id + ": connector.yaml says leader-only " + claimed + " but the route's "
                        + LeaderOnlyRoutes.PROPERTY + " is " + actual);
            }
            if (actual != null) {
                for (String note : texts(declaration)) {
                    if (RUNS_EVERYWHERE.matcher(note).find()) {
                        problems.add("route " + id + " is leader-only (" + actual + ") but its note says: " + note.trim());
                    }
                }
            }
        }
        built.routes().forEach((id, route) -> {
            String actual = LeaderOnlyRoutes.namespace(built.context(), route);
            if (actual != null && !declared.contains(id)) problems.add("leader-only route " + id + " (" + actual + ") is not declared");
        });
        assertThat(problems).as(channel + "/connector.yaml leader-only claims against the route property").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("channels")
    void whatSwitchesARouteOffIsWhatTheYamlSays(String channel) {
        ConnectorModel c = new ConnectorModel(channel);
        List<String> problems = new ArrayList<>();
        for (JsonNode declaration : c.routeDeclarations()) {
            String id = declaration.get("route").asText();
            for (JsonNode by : declaration.path("enabled-by")) {
                String key = by.asText();
                if (key.equals("enabled")) {
                    // The channel's routes exist only when hub.channels.<channel>.enabled is true.
                    boolean gated = c.routeBuilders().stream().anyMatch(b -> {
                        ConditionalOnProperty on = b.getAnnotation(ConditionalOnProperty.class);
                        return on != null && on.prefix().equals(c.prefix) && Arrays.asList(on.name()).contains("enabled")
                                && on.havingValue().equals("true");
                    });
                    check(problems, gated, "route " + id + ": enabled-by enabled, but no RouteBuilder of the channel is "
                            + "@ConditionalOnProperty(prefix=\"" + c.prefix + "\", name=\"enabled\", havingValue=\"true\")");
                    continue;
                }
                JsonNode property = c.properties().get(key);
                if (property == null) {
                    problems.add("route " + id + ": enabled-by " + key + " is not a declared property");
                    continue;
                }
                Object off = "boolean".equals(property.path("type").asText()) ? "false" : "";
                boolean stillBuilt = c.build(Map.of(c.prefix + "." + key, off)).routes().containsKey(id);
                check(problems, !stillBuilt, "route " + id + ": enabled-by " + key + ", but it is still built with " + key + "=" + off);
            }
        }
        assertThat(problems).as(channel + "/connector.yaml enabled-by against the RouteBuilders").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("channels")
    void endpointsOutsideCamelAreTheControllers(String channel) {
        ConnectorModel c = new ConnectorModel(channel);
        Set<String> declared = new TreeSet<>();
        for (JsonNode endpoint : c.controllerEndpoints()) {
            for (String method : methods(endpoint.get("method"))) declared.add(method + " " + endpoint.path("path").asText());
        }
        Set<String> served = new TreeSet<>();
        for (Class<?> controller : c.controllers()) {
            RequestMapping base = AnnotatedElementUtils.findMergedAnnotation(controller, RequestMapping.class);
            String prefix = base == null || base.path().length == 0 ? "" : base.path()[0];
            for (Method handler : controller.getDeclaredMethods()) {
                RequestMapping mapping = AnnotatedElementUtils.findMergedAnnotation(handler, RequestMapping.class);
                if (mapping == null) continue;
                String path = prefix + (mapping.path().length == 0 ? "" : mapping.path()[0]);
                for (var method : mapping.method()) served.add(method.name() + " " + path);
            }
        }
        assertThat(declared).as(channel + "/connector.yaml endpoints {method, path} without a route (actual) against the "
                + "channel's controllers (expected)").isEqualTo(served);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("channels")
    void queuesNamedAreTheChannelsQueues(String channel) {
        ConnectorModel c = new ConnectorModel(channel);
        Set<String> configured = new TreeSet<>();
        c.properties().forEach((key, property) -> {
            if (key.endsWith("-queue")) configured.add(property.path("default").asText());
        });
        List<String> problems = new ArrayList<>();
        for (String queue : valuesOf(c.spec, "queue")) {
            if (!configured.contains(queue)) problems.add("queue " + queue + " is not the default of a *-queue property " + configured);
        }
        JsonNode asyncApi = ConnectorModel.read(ConnectorModel.ROOT.resolve("docs/queue-contract/asyncapi.yaml"));
        for (String queue : configured) {
            check(problems, asyncApi.path("channels").has(queue), "queue " + queue + " is not a channel of docs/queue-contract/asyncapi.yaml");
        }
        assertThat(problems).as(channel + "/connector.yaml queues").isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    /** Leaf components of a record (nested records followed): kebab-case key → {type, accessor chain}. */
    static void components(Class<?> record, String keyPrefix, String chainPrefix, Map<String, String[]> into) {
        for (RecordComponent component : record.getRecordComponents()) {
            String key = keyPrefix + kebab(component.getName());
            String chain = chainPrefix + component.getName() + "()";
            if (component.getType().isRecord()) {
                components(component.getType(), key + ".", chain + ".", into);
            } else {
                into.put(key, new String[] {component.getType().getSimpleName(), chain});
            }
        }
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    static String pointer(String dotted) {
        return "/" + String.join("/", dotted.split("\\."));
    }

    /** Leaf keys (dotted) of a YAML block. */
    static List<String> leaves(JsonNode node, String prefix) {
        List<String> keys = new ArrayList<>();
        if (!node.isObject()) return keys;
        node.fields().forEachRemaining(e -> {
            if (e.getValue().isObject()) keys.addAll(leaves(e.getValue(), prefix + e.getKey() + "."));
            else keys.add(prefix + e.getKey());
        });
        return keys;
    }

    /** Values compared as written: numbers by value (50 = 50.0), booleans, and text exactly (placeholders unresolved). */
    static boolean sameValue(JsonNode a, JsonNode b) {
        boolean aMissing = a == null || a.isMissingNode() || a.isNull();
        boolean bMissing = b == null || b.isMissingNode() || b.isNull();
        if (aMissing || bMissing) return aMissing == bMissing;
        if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue()) == 0;
        if (a.isBoolean() || b.isBoolean()) return a.isBoolean() && b.isBoolean() && a.asBoolean() == b.asBoolean();
        return a.isValueNode() && b.isValueNode() && a.isNumber() == b.isNumber() && a.asText().equals(b.asText());
    }

    static String written(JsonNode value) {
        return value == null || value.isMissingNode() ? "(nothing)" : value.toString();
    }

    /** Every text under a node. */
    static List<String> texts(JsonNode node) {
        List<String> texts = new ArrayList<>();
        if (node.isTextual()) texts.add(node.asText());
        node.forEach(child -> texts.addAll(texts(child)));
        return texts;
    }

    /** Every text value of a given key anywhere under a node. */
    static List<String> valuesOf(JsonNode node, String key) {
        List<String> values = new ArrayList<>();
        if (node.isObject() && node.path(key).isTextual()) values.add(node.get(key).asText());
        node.forEach(child -> values.addAll(valuesOf(child, key)));
        return values;
    }

    static Set<String> methods(JsonNode method) {
        Set<String> methods = new TreeSet<>();
        if (method == null) return methods;
        if (method.isArray()) method.forEach(m -> methods.add(m.asText().trim().toUpperCase()));
        else for (String m : method.asText().split(",")) methods.add(m.trim().toUpperCase());
        return methods;
    }

    /** Why a declared endpoint is not the built one (the built URI with its placeholders resolved), if it is not. */
    static java.util.Optional<String> endpointProblem(JsonNode declared, String uri) {
        if (declared.isObject()) {
            Matcher m = HTTP.matcher(uri);
            if (!m.matches()) return java.util.Optional.of("declared an HTTP endpoint " + declared + " but it consumes " + uri);
            Map<String, String> options = query(m.group(2));
            String path = declared.path("path").asText();
            Set<String> declaredMethods = methods(declared.get("method"));
            Set<String> builtMethods = methods(options.containsKey("httpMethodRestrict")
                    ? com.fasterxml.jackson.databind.node.TextNode.valueOf(options.get("httpMethodRestrict")) : null);
            if (!path.equals(m.group(1)) || !declaredMethods.equals(builtMethods)) {
                return java.util.Optional.of("declared " + declaredMethods + " " + path + " but it is " + builtMethods + " " + m.group(1)
                        + " (" + uri + ")");
            }
            return java.util.Optional.empty();
        }
        String expected = declared.asText();
        String[] e = expected.split("\\?", 2);
        String[] b = uri.split("\\?", 2);
        Map<String, String> eq = query(e.length > 1 ? e[1] : null);
        Map<String, String> bq = query(b.length > 1 ? b[1] : null);
        boolean same = wildcard(e[0]).matcher(b[0]).matches() && eq.keySet().equals(bq.keySet())
                && eq.entrySet().stream().allMatch(x -> wildcard(x.getValue()).matcher(bq.get(x.getKey())).matches());
        return same ? java.util.Optional.empty() : java.util.Optional.of("declared " + expected + " but it consumes " + uri);
    }

    static Map<String, String> query(String query) {
        Map<String, String> options = new TreeMap<>();
        if (query == null || query.isEmpty()) return options;
        for (String pair : query.split("&")) {
            String[] kv = pair.split("=", 2);
            options.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        return options;
    }

    /** A declared text as a pattern: {@code <...>} stands for anything chosen at run time, the rest is literal. */
    static Pattern wildcard(String declared) {
        StringBuilder regex = new StringBuilder();
        Matcher m = Pattern.compile("<[^>]*>").matcher(declared);
        int at = 0;
        while (m.find()) {
            regex.append(Pattern.quote(declared.substring(at, m.start()))).append(".+");
            at = m.end();
        }
        return Pattern.compile(regex.append(Pattern.quote(declared.substring(at))).toString());
    }

    static void check(List<String> problems, boolean ok, String problem) {
        if (!ok) problems.add(problem);
    }

    /** The channel's feedback route, as routes/FeedbackRoute builds it from the sink alone. */
    static FeedbackRoute feedbackRoute(FeedbackSink sink) {
        return new FeedbackRoute(new FeedbackDispatcher(null, null, List.of(sink), null, null,
                new ClusterProperties(true, 15, "connector-yaml-test"), 20, 5, 600, 30));
    }
}
