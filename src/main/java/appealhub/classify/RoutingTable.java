package appealhub.classify;

import appealhub.organization.OrganizationRegistry;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * config/routing.yaml: first-level class → lead and co-departments, the departments that refine
 * each class, extra topic words, township matters and the emergency defaults. Checked against
 * the organisation registry when loaded: an unknown code stops the hub at start.
 */
public final class RoutingTable {

    public record ClassRoute(String lead, List<String> co, List<String> refine) {
        public ClassRoute {
            co = co == null ? List.of() : List.copyOf(co);
            refine = refine == null ? List.of() : List.copyOf(refine);
        }

        /** Departments this class names: its lead, co-departments and refining departments. */
        public Set<String> departments() {
            Set<String> all = new LinkedHashSet<>();
            if (lead != null) all.add(lead);
            all.addAll(co);
            all.addAll(refine);
            return all;
        }
    }

    public record File(Map<String, ClassRoute> classes,
                       @JsonProperty("extra-topics") Map<String, List<String>> extraTopics,
                       @JsonProperty("township-matters") List<String> townshipMatters,
                       @JsonProperty("disputes-to-township") Boolean disputesToTownship,
                       @JsonProperty("emergency-lead") String emergencyLead,
                       @JsonProperty("emergency-township-co") Boolean emergencyTownshipCo) {}

    private final Map<String, ClassRoute> classes;
    private final Map<String, List<String>> topics = new LinkedHashMap<>();
    private final List<String> townshipMatters;
    private final boolean disputesToTownship;
    private final String emergencyLead;
    private final boolean emergencyTownshipCo;

    public RoutingTable(File f, OrganizationRegistry registry) {
        if (f == null || f.classes() == null || f.classes().isEmpty()) throw new IllegalArgumentException("routing: no classes");
        List<String> errors = new ArrayList<>();
        f.classes().forEach((label, r) -> {
            if (r == null || r.lead() == null) errors.add(label + ": lead is required");
            else r.departments().forEach(code -> {
                if (registry.department(code).isEmpty()) errors.add(label + ": unknown department " + code);
            });
        });
        if (f.emergencyLead() != null && registry.department(f.emergencyLead()).isEmpty()) {
            errors.add("emergency-lead: unknown department " + f.emergencyLead());
        }
        if (f.extraTopics() != null) f.extraTopics().keySet().forEach(code -> {
            if (registry.department(code).isEmpty()) errors.add("extra-topics: unknown department " + code);
        });
        if (!errors.isEmpty()) throw new IllegalArgumentException("routing: " + String.join("; ", errors));
        this.classes = new LinkedHashMap<>(f.classes());
        for (OrganizationRegistry.Department d : registry.departments()) {
            List<String> words = new ArrayList<>(d.topics() == null ? List.of() : d.topics());
            if (f.extraTopics() != null && f.extraTopics().get(d.code()) != null) {
                for (String w : f.extraTopics().get(d.code())) if (!words.contains(w)) words.add(w);
            }
            topics.put(d.code(), List.copyOf(words));
        }
        this.townshipMatters = f.townshipMatters() == null ? List.of() : List.copyOf(f.townshipMatters());
        this.disputesToTownship = f.disputesToTownship() == null || f.disputesToTownship();
        this.emergencyLead = f.emergencyLead() == null ? "D19" : f.emergencyLead();
        this.emergencyTownshipCo = f.emergencyTownshipCo() == null || f.emergencyTownshipCo();
    }

    public static RoutingTable load(Path yamlFile, OrganizationRegistry registry) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        try {
            return new RoutingTable(yaml.readValue(Files.readAllBytes(yamlFile), File.class), registry);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read routing table " + yamlFile + ": " + e.getMessage(), e);
        }
    }

    public Map<String, ClassRoute> classes() {
        return classes;
    }

    public ClassRoute route(String label) {
        return classes.get(label);
    }

    /** Topic words of each department (organizations.yaml plus extra-topics). */
    public Map<String, List<String>> topics() {
        return topics;
    }

    /** Classes that name a department, in file order. */
    public List<String> classesOf(String deptCode) {
        List<String> out = new ArrayList<>();
        classes.forEach((label, r) -> {
            if (r.departments().contains(deptCode)) out.add(label);
        });
        return out;
    }

    public List<String> townshipMatters() {
        return townshipMatters;
    }

    public boolean disputesToTownship() {
        return disputesToTownship;
    }

    public String emergencyLead() {
        return emergencyLead;
    }

    public boolean emergencyTownshipCo() {
        return emergencyTownshipCo;
    }
}
