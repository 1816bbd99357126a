package appealhub.classify.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import appealhub.organization.OrganizationRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The topic model of the running hub: loaded once at start from {@code hub.classifier.model-file}
 * (default config/model/topic-model.tsv.gz, built by bench/topic-model-train.sh). A missing or
 * broken file stops the start with a message naming it. The district's own place names (from
 * the organisation registry) are ignored in the text: they say where, not what.
 */
@Component
public class FileTopicModel implements TopicModel {

    private static final Logger log = LoggerFactory.getLogger(FileTopicModel.class);

    private final LinearTopicModel model;

    @Autowired
    public FileTopicModel(@Value("${hub.classifier.model-file:config/model/topic-model.tsv.gz}") String modelFile,
                          ObjectProvider<OrganizationRegistry> organizations) {
        this(modelFile, placeNames(organizations.getIfAvailable()));
    }

    public FileTopicModel(String modelFile, Collection<String> placeNames) {
        Path file = Path.of(modelFile);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("topic model file " + file.toAbsolutePath()
                    + " not found (hub.classifier.model-file; build it with bench/topic-model-train.sh)");
        }
        try {
            this.model = LinearTopicModel.load(file).withPlaceNames(placeNames);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load topic model (hub.classifier.model-file) " + file, e);
        }
        log.info("Topic model loaded from {}: {} classes, {} features, {} local place names ignored; {}", file,
                model.labels().size(), model.featureCount(), model.placeNames().size(), model.version());
    }

    /** District, city, province, townships (with and without 镇/乡) and their places. */
    public static List<String> placeNames(OrganizationRegistry registry) {
        List<String> out = new ArrayList<>();
        if (registry == null) {
            return out;
        }
        OrganizationRegistry.District d = registry.district();
        if (d != null) {
            for (String n : new String[] {d.name(), d.city(), d.province()}) {
                addWithStem(out, n);
            }
        }
        for (OrganizationRegistry.Township t : registry.townships()) {
            addWithStem(out, t.name());
            if (t.places() != null) {
                out.addAll(t.places());
            }
        }
        return out;
    }

    private static void addWithStem(List<String> out, String name) {
        if (name == null || name.isBlank()) {
            return;
        }
        out.add(name);
        // 冀州区 -> 冀州, 周村镇 -> 周村, 衡水市 -> 衡水: people write both
        if (name.length() >= 3 && "省市区县镇乡".indexOf(name.charAt(name.length() - 1)) >= 0) {
            out.add(name.substring(0, name.length() - 1));
        }
    }

    /** The underlying model (for the evaluator and benchmark). */
    public LinearTopicModel model() {
        return model;
    }

    @Override
    public List<Scored> predict(String title, String content) {
        return model.predict(title, content);
    }

    @Override
    public List<String> labels() {
        return model.labels();
    }

    @Override
    public String version() {
        return model.version();
    }
}
