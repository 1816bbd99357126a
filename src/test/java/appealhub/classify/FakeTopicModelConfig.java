package appealhub.classify;

import appealhub.classify.model.TopicModel;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Puts {@link FakeTopicModel} into a hub started by a test (pass this class in
 * {@code spring.main.sources}). Not a @Configuration on purpose: component scanning must not
 * pick it up for other tests' hubs.
 */
public class FakeTopicModelConfig {
    @Bean
    @Primary
    TopicModel fakeTopicModel() {
        return new FakeTopicModel();
    }
}
