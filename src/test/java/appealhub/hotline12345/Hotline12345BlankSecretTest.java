package appealhub.hotline12345;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import appealhub.connectors.hotline12345.Hotline12345Properties;
import appealhub.support.TestHub;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** A blank 12345 app-secret (the push signatures' key) refuses the start, in every profile, naming the property. */
class Hotline12345BlankSecretTest {

    @Test
    void aHubWithABlankAppSecretDoesNotStart(@TempDir Path data) {
        assertThatThrownBy(() -> new TestHub(data, "http://127.0.0.1:1", Map.of(
                "hub.channels.hotline12345.app-secret", "")).start())
                .rootCause().hasMessageContaining("hub.channels.hotline12345.app-secret is blank");
    }

    @Test
    void theBindingRefusesABlankSecretOnlyWhileTheChannelIsOn() {
        assertThatThrownBy(() -> bind(Map.of("enabled", "true", "app-secret", "   ")))
                .rootCause().hasMessageContaining("app-secret is blank");
        assertThatThrownBy(() -> bind(Map.of("enabled", "true")))
                .rootCause().hasMessageContaining("app-secret is blank");
        bind(Map.of("enabled", "false"));               // the channel off: nothing to sign
        bind(Map.of("enabled", "true", "app-secret", "s3cret-from-the-vault"));
    }

    private static Hotline12345Properties bind(Map<String, String> values) {
        Map<String, String> prefixed = new java.util.HashMap<>();
        values.forEach((k, v) -> prefixed.put("hub.channels.hotline12345." + k, v));
        return new Binder(new MapConfigurationPropertySource(prefixed))
                .bindOrCreate("hub.channels.hotline12345", Hotline12345Properties.class);
    }
}
