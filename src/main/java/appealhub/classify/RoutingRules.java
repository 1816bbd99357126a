package appealhub.classify;

import appealhub.organization.OrganizationRegistry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operations' keyword overrides (config/routing-rules.yaml), re-read while the hub runs: each
 * use looks at the file's modification time and size (a stat, at most every {@code checkMillis}),
 * and {@link #reload()} reads it at once. A file that does not parse or names an unknown
 * organisation, class or category is refused as a whole: the rules in force stay, and the error
 * is kept for operations to see ({@link #status()}).
 */
public final class RoutingRules {
    private static final Logger log = LoggerFactory.getLogger(RoutingRules.class);
    private static final Set<String> RULE_KEYS = Set.of("name", "any", "all", "none", "channels", "lead", "co",
            "topic", "category", "urgency", "confidence");

    /** One rule. {@code lead} "township" means the appeal's own township. */
    public record Rule(String name, List<String> any, List<List<String>> all, List<String> none, List<String> channels,
                       String lead, List<String> co, String topic, String category, String urgency, double confidence) {

        /** The word that made the rule fire, or null. */
        public String matches(String text, String channel) {
            if (channels != null && !channels.isEmpty() && !channels.contains(channel)) return null;
            String hit = null;
            for (String w : any) {
                if (text.contains(w)) {
                    hit = w;
                    break;
                }
            }
            if (hit == null) return null;
            for (List<String> group : all) {
                if (group.stream().noneMatch(text::contains)) return null;
            }
            for (String w : none) if (text.contains(w)) return null;
            return hit;
        }
    }

    /** What is in force: the rules, the file version they came from, and the last refused version's error. */
    public record Status(String file, List<String> rules, Instant fileModified, Instant loadedAt, String lastError,
                         Instant lastErrorAt) {}

    /** The answer to a reload: ok with the rules now in force, or the error and the rules kept. */
    public record ReloadResult(boolean ok, String error, Status status) {}

    private record Loaded(List<Rule> rules, FileTime modified, long size, Instant loadedAt) {}

    private final Path file;
    private final OrganizationRegistry registry;
    private final Set<String> classes;
    private final long checkMillis;
    private final Clock clock;
    private volatile Loaded loaded;
    private volatile long lastCheck;
    private volatile FileTime refusedModified;
    private volatile long refusedSize = -1;
    private volatile String lastError;
    private volatile Instant lastErrorAt;

    /** Loads the file now; a broken file at start is an error (nothing to keep). A missing file means no rules. */
    public RoutingRules(Path file, OrganizationRegistry registry, Set<String> classes, long checkMillis, Clock clock) {
        this.file = file;
        this.registry = registry;
        this.classes = Set.copyOf(classes);
        this.checkMillis = checkMillis;
        this.clock = clock;
        this.loaded = read();
        this.lastCheck = System.currentTimeMillis();
    }

    /** The rules in force, re-read first if the file changed (looked at no more often than every checkMillis). */
    public List<Rule> rules() {
        long now = System.currentTimeMillis();
        if (now - lastCheck >= checkMillis) {
            lastCheck = now;
            if (changed()) reloadQuietly();
        }
        return loaded.rules();
    }

    /** The first rule that fires for the text, with the word that fired it. */
    public Map.Entry<Rule, String> match(String text, String channel) {
        for (Rule r : rules()) {
            String hit = r.matches(text, channel);
            if (hit != null) return Map.entry(r, hit);
        }
        return null;
    }

    /** Reads the file now (operations' command). */
    public synchronized ReloadResult reload() {
        lastCheck = System.currentTimeMillis();
        try {
            loaded = read();
            lastError = null;
            lastErrorAt = null;
            refusedModified = null;
            refusedSize = -1;
            log.info("routing rules loaded from {}: {} rule(s)", file, loaded.rules().size());
            return new ReloadResult(true, null, status());
        } catch (RuntimeException e) {
            refuse(e);
            return new ReloadResult(false, lastError, status());
        }
    }

    public Status status() {
        Loaded l = loaded;
        return new Status(file.toString(), l.rules().stream().map(Rule::name).toList(),
                l.modified() == null ? null : l.modified().toInstant(), l.loadedAt(), lastError, lastErrorAt);
    }

    private synchronized void reloadQuietly() {
        if (!changed()) return;
        reload();
    }

    private boolean changed() {
        FileTime modified = modified();
        long size = size();
        Loaded l = loaded;
        if (same(modified, l.modified()) && size == l.size()) return false;
        // A refused version is not read again until the file changes once more.
        return !(same(modified, refusedModified) && size == refusedSize);
    }

    private void refuse(RuntimeException e) {
        refusedModified = modified();
        refusedSize = size();
        lastError = e.getMessage();
        lastErrorAt = clock.instant();
        log.warn("routing rules in {} refused, the {} rule(s) in force stay: {}", file, loaded.rules().size(), lastError);
    }

    private Loaded read() {
        FileTime modified = modified();
        long size = size();
        if (!Files.exists(file)) return new Loaded(List.of(), null, -1, clock.instant());
        Object parsed;
        try {
            parsed = new ObjectMapper(new YAMLFactory())
                    .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                    .readValue(Files.readAllBytes(file), Object.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid YAML: " + firstLine(e.getMessage()));
        }
        return new Loaded(parse(parsed), modified, size, clock.instant());
    }

    /** Checks every rule; all errors in one message. */
    @SuppressWarnings("unchecked")
    private List<Rule> parse(Object parsed) {
        if (parsed == null) return List.of();
        if (!(parsed instanceof Map<?, ?> root)) throw new IllegalArgumentException("the file must be a map with a list `rules`");
        Object list = root.get("rules");
        if (list == null) return List.of();
        if (!(list instanceof List<?> items)) throw new IllegalArgumentException("`rules` must be a list");
        List<String> errors = new ArrayList<>();
        List<Rule> rules = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            String at = "rule " + (i + 1);
            if (!(items.get(i) instanceof Map<?, ?> m)) {
                errors.add(at + ": must be a map");
                continue;
            }
            Map<String, Object> r = new LinkedHashMap<>((Map<String, Object>) m);
            for (String k : r.keySet()) if (!RULE_KEYS.contains(k)) errors.add(at + ": unknown key " + k);
            String name = str(r.get("name"));
            if (name == null || name.isBlank()) errors.add(at + ": name is required");
            else {
                at = "rule " + name;
                if (!names.add(name)) errors.add(at + ": name used twice");
            }
            List<String> any = words(r.get("any"), at + ": any", errors);
            if (any.isEmpty()) errors.add(at + ": any needs at least one word");
            List<List<String>> all = new ArrayList<>();
            if (r.get("all") != null) {
                if (!(r.get("all") instanceof List<?> groups)) errors.add(at + ": all must be a list of word lists");
                else for (Object g : groups) all.add(words(g, at + ": all", errors));
            }
            List<String> none = words(r.get("none"), at + ": none", errors);
            List<String> channels = words(r.get("channels"), at + ": channels", errors);
            String lead = str(r.get("lead"));
            if (lead == null) errors.add(at + ": lead is required");
            else if (!"township".equals(lead) && !known(lead)) errors.add(at + ": unknown lead " + lead);
            List<String> co = words(r.get("co"), at + ": co", errors);
            for (String c : co) if (!known(c)) errors.add(at + ": unknown co " + c);
            String topic = str(r.get("topic"));
            if (topic != null && !classes.contains(topic)) errors.add(at + ": unknown topic " + topic + " (classes: " + classes + ")");
            String category = str(r.get("category"));
            if (category != null && !CategoryRules.isCategory(category)) errors.add(at + ": unknown category " + category);
            String urgency = str(r.get("urgency"));
            if (urgency != null && !urgency.equals("urgent") && !urgency.equals("normal")) errors.add(at + ": urgency must be urgent or normal");
            double confidence = 0.95;
            if (r.get("confidence") != null) {
                if (r.get("confidence") instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= 1) confidence = n.doubleValue();
                else errors.add(at + ": confidence must be a number between 0 and 1");
            }
            rules.add(new Rule(name, any, all, none, channels, lead, co, topic, category, urgency, confidence));
        }
        if (!errors.isEmpty()) throw new IllegalArgumentException(String.join("; ", errors));
        return List.copyOf(rules);
    }

    private boolean known(String code) {
        return registry.department(code).isPresent() || registry.isTownship(code);
    }

    private static List<String> words(Object v, String what, List<String> errors) {
        if (v == null) return List.of();
        if (v instanceof String s) return s.isBlank() ? List.of() : List.of(s);
        if (!(v instanceof List<?> l)) {
            errors.add(what + " must be a list of words");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Object o : l) {
            if (o instanceof String s && !s.isBlank()) out.add(s.strip());
            else if (o instanceof Number || o instanceof Boolean) out.add(String.valueOf(o));
            else errors.add(what + " must be a list of words");
        }
        return List.copyOf(out);
    }

    private static String str(Object o) {
        return o == null ? null : String.valueOf(o).strip();
    }

    private FileTime modified() {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return null;
        }
    }

    private long size() {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static boolean same(FileTime a, FileTime b) {
        return a == null ? b == null : a.equals(b);
    }

    private static String firstLine(String s) {
        if (s == null) return "unreadable";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
