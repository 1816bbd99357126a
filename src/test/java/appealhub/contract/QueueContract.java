package appealhub.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.i18n.MessageSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The department queue contract as docs/queue-contract writes it: its JSON Schemas, and
 * asyncapi.yaml's channels and messages (which messages a queue carries, each one's payload
 * schema and JMS properties). Formats (date-time) are asserted, not only annotated as draft
 * 2020-12 would by default: the contract promises ISO-8601 instants.
 */
final class QueueContract {
    static final Path DIR = Path.of("docs/queue-contract");
    static final Path EXAMPLES = DIR.resolve("examples");
    static final String SCHEMA_SUFFIX = ".schema.json";
    static final String META_SCHEMA = "https://json-schema.org/draft/2020-12/schema";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A message of asyncapi.yaml (components.messages): its name, payload schema file and JMS properties schema. */
    record Message(String name, String payloadFile, JsonNode headers) {}

    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder()
                    .formatAssertionsEnabled(true).messageSource(validatorsOwnMessages()).build()));
    private final Map<String, Schema> schemas = new HashMap<>();
    private final JsonNode asyncApi;

    QueueContract() {
        try {
            asyncApi = new ObjectMapper(new YAMLFactory()).readTree(DIR.resolve("asyncapi.yaml").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The schema files of the contract, e.g. task.schema.json. */
    static List<String> schemaFiles() {
        return list(DIR, name -> name.endsWith(SCHEMA_SUFFIX));
    }

    static List<String> exampleFiles() {
        return list(EXAMPLES, name -> name.endsWith(".json"));
    }

    /**
     * The schema an example is written for, by its name: task.json → task.schema.json,
     * reply-accept.json → reply.schema.json (the longest schema name that fits wins:
     * task-update-contribution.json is a task update, not a task). Null when none fits.
     */
    static String schemaOfExample(String example) {
        String base = example.substring(0, example.length() - ".json".length());
        String best = null;
        for (String file : schemaFiles()) {
            String name = file.substring(0, file.length() - SCHEMA_SUFFIX.length());
            boolean fits = base.equals(name) || base.startsWith(name + "-");
            if (fits && (best == null || name.length() > best.length())) best = name;
        }
        return best == null ? null : best + SCHEMA_SUFFIX;
    }

    static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What is wrong with a message against one of the schema files; empty when it is valid. */
    List<String> check(String schemaFile, JsonNode message) {
        return describe(schema(schemaFile).validate(message));
    }

    /** What is wrong with a schema file as a draft 2020-12 schema (checked against the meta-schema). */
    List<String> checkSchema(String schemaFile) {
        JsonNode schema = read(DIR.resolve(schemaFile));
        List<String> problems = new ArrayList<>();
        if (!META_SCHEMA.equals(schema.path("$schema").asText())) {
            problems.add("$schema is not " + META_SCHEMA + ": " + schema.path("$schema"));
        }
        problems.addAll(describe(registry.getSchema(SchemaLocation.of(META_SCHEMA)).validate(schema)));
        return problems;
    }

    /** What is wrong with a message's JMS properties (name → value; absent ones left out). */
    List<String> checkHeaders(Message message, Map<String, String> properties) {
        if (message.headers().isMissingNode()) return List.of();
        ObjectNode headers = JSON.valueToTree(properties);
        return describe(registry.getSchema(message.headers()).validate(headers));
    }

    /** The JMS property names asyncapi.yaml gives for a message. */
    static List<String> headerNames(Message message) {
        List<String> names = new ArrayList<>();
        message.headers().path("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }

    /**
     * The message asyncapi.yaml says the hub sends on a queue (dept.D19.tasks matches the channel
     * dept.{code}.tasks) with this hubMessageType property, or the channel's only message when
     * the hub sets none (hub.triage).
     */
    Message messageOn(String queue, String hubMessageType) {
        JsonNode channel = channel(queue);
        JsonNode offered = channel.path("subscribe").path("message");
        List<JsonNode> refs = new ArrayList<>();
        if (offered.has("oneOf")) offered.path("oneOf").forEach(refs::add);
        else refs.add(offered);
        List<Message> candidates = new ArrayList<>();
        for (JsonNode ref : refs) {
            Message m = message(ref.path("$ref").asText());
            String type = m.headers().path("properties").path("hubMessageType").path("const").asText(null);
            if (hubMessageType == null ? refs.size() == 1 : hubMessageType.equals(type)) candidates.add(m);
        }
        if (candidates.size() != 1) {
            throw new AssertionError("asyncapi.yaml: channel of " + queue + " has " + candidates.size()
                    + " messages with hubMessageType " + hubMessageType);
        }
        return candidates.get(0);
    }

    /** Every message of components.messages. */
    List<Message> messages() {
        List<Message> all = new ArrayList<>();
        asyncApi.path("components").path("messages").fieldNames()
                .forEachRemaining(name -> all.add(message("#/components/messages/" + name)));
        return all;
    }

    private JsonNode channel(String queue) {
        for (Iterator<Map.Entry<String, JsonNode>> it = asyncApi.path("channels").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> channel = it.next();
            // dept.{code}.tasks: a parameter stands for an organisation code
            String address = Arrays.stream(channel.getKey().split("\\{[a-zA-Z]+}", -1))
                    .map(Pattern::quote).collect(Collectors.joining("[A-Z0-9]+"));
            if (queue.matches(address)) return channel.getValue();
        }
        throw new AssertionError("asyncapi.yaml has no channel for queue " + queue);
    }

    private Message message(String ref) {
        String prefix = "#/components/messages/";
        if (!ref.startsWith(prefix)) throw new AssertionError("asyncapi.yaml: unexpected message $ref " + ref);
        String name = ref.substring(prefix.length());
        JsonNode m = asyncApi.path("components").path("messages").path(name);
        if (m.isMissingNode()) throw new AssertionError("asyncapi.yaml: no message " + name);
        String payload = m.path("payload").path("$ref").asText(null);
        return new Message(name, payload == null ? null : payload.replaceFirst("^\\./", ""), m.path("headers"));
    }

    private Schema schema(String schemaFile) {
        return schemas.computeIfAbsent(schemaFile, f -> {
            Path file = DIR.resolve(f);
            if (!Files.exists(file)) throw new AssertionError("no schema " + file);
            return registry.getSchema(SchemaLocation.of(file.toAbsolutePath().toUri().toString()), read(file));
        });
    }

    /**
     * The validator's messages from its own jar: wiremock-standalone, also on the test class
     * path and first in it, carries an older jsv-messages.properties whose placeholders do not
     * fit ("required property '{1}' not found").
     */
    private static MessageSource validatorsOwnMessages() {
        URL jar = Schema.class.getProtectionDomain().getCodeSource().getLocation();
        ResourceBundle bundle;
        try (URLClassLoader validatorOnly = new URLClassLoader(new URL[] {jar}, null)) {
            bundle = ResourceBundle.getBundle("jsv-messages", Locale.ROOT, validatorOnly);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return (key, fallback, locale, args) -> bundle.containsKey(key)
                ? new MessageFormat(bundle.getString(key), Locale.ROOT).format(args) : fallback.get();
    }

    private static List<String> describe(List<Error> errors) {
        return errors.stream().map(e -> {
            String at = e.getInstanceLocation().toString();
            return (at.isEmpty() ? "/" : at) + ": " + e.getMessage();
        }).toList();
    }

    private static List<String> list(Path dir, Predicate<String> wanted) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(wanted).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
