package appealhub.organization;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** The district's townships and departments (config/organizations.yaml): who can receive tasks. */
@Component
public class OrganizationRegistry {

    public record District(String code, String name, String city, String province) {}
    public record Township(String no, String code, String name, List<String> places) {}
    public record Department(String code, String name, List<String> topics) {}
    public record Registry(District district, List<Township> townships, List<Department> departments) {}

    private final Registry registry;
    private final Map<String, Township> townshipsByCode;
    private final Map<String, Department> departmentsByCode;

    public OrganizationRegistry(@Value("${hub.organizations}") String path) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        this.registry = yaml.readValue(new File(path), Registry.class);
        this.townshipsByCode = registry.townships().stream().collect(Collectors.toMap(Township::code, Function.identity()));
        this.departmentsByCode = registry.departments().stream().collect(Collectors.toMap(Department::code, Function.identity()));
    }

    public District district() { return registry.district(); }
    public List<Township> townships() { return registry.townships(); }
    public List<Department> departments() { return registry.departments(); }
    public Optional<Township> township(String code) { return Optional.ofNullable(townshipsByCode.get(code)); }
    public Optional<Department> department(String code) { return Optional.ofNullable(departmentsByCode.get(code)); }

    public boolean isTownship(String code) { return townshipsByCode.containsKey(code); }

    /** The queue an organisation's tasks go to: dept.<code>.tasks or township.<code>.tasks. */
    public String taskQueue(String orgCode) {
        if (townshipsByCode.containsKey(orgCode)) return "township." + orgCode + ".tasks";
        if (departmentsByCode.containsKey(orgCode)) return "dept." + orgCode + ".tasks";
        throw new IllegalArgumentException("unknown organisation " + orgCode);
    }

    /** Every department's and township's task queue. */
    public List<String> taskQueues() {
        List<String> queues = new java.util.ArrayList<>();
        registry.departments().forEach(d -> queues.add(taskQueue(d.code())));
        registry.townships().forEach(t -> queues.add(taskQueue(t.code())));
        return queues;
    }

    public String orgName(String orgCode) {
        if (townshipsByCode.containsKey(orgCode)) return townshipsByCode.get(orgCode).name();
        if (departmentsByCode.containsKey(orgCode)) return departmentsByCode.get(orgCode).name();
        return orgCode;
    }
}
