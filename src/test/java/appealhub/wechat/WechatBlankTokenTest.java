package appealhub.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import appealhub.connectors.wechat.WechatProperties;
import appealhub.support.TestHub;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Issue 14, item 11: a blank WeChat token (the only secret in a push's signature: with it blank
 * anyone can sign a push) refuses the start, in every profile, naming the property.
 */
class WechatBlankTokenTest {

    @Test
    void aHubWithABlankWechatTokenDoesNotStart(@TempDir Path data) {
        assertThatThrownBy(() -> new TestHub(data, "http://127.0.0.1:1", Map.of(
                "hub.channels.wechat.token", "")).start())
                .rootCause().hasMessageContaining("hub.channels.wechat.token is blank");
    }

    @Test
    void theBindingRefusesABlankTokenOnlyWhileTheChannelIsOn() {
        assertThatThrownBy(() -> bind(Map.of("enabled", "true", "token", "  ")))
                .rootCause().hasMessageContaining("hub.channels.wechat.token is blank");
        assertThatThrownBy(() -> bind(Map.of("enabled", "true")))
                .rootCause().hasMessageContaining("hub.channels.wechat.token is blank");
        assertThat(bind(Map.of("enabled", "false")).enabled()).isFalse(); // the channel off: nothing to check
        assertThat(bind(Map.of("enabled", "true", "token", "t0ken-from-the-vault")).token()).isEqualTo("t0ken-from-the-vault");
    }

    private static WechatProperties bind(Map<String, String> values) {
        Map<String, String> prefixed = new HashMap<>();
        values.forEach((k, v) -> prefixed.put("hub.channels.wechat." + k, v));
        return new Binder(new MapConfigurationPropertySource(prefixed)).bindOrCreate("hub.channels.wechat", WechatProperties.class);
    }
}
