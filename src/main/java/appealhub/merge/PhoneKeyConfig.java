package appealhub.merge;

import appealhub.model.PhoneHasher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one phone HMAC of the hub (key hub.merge.phone-key): the merge index and appeal.phone_key use the same. */
@Configuration
class PhoneKeyConfig {
    @Bean
    PhoneHasher phoneHasher(MergeProperties props) {
        return new PhoneHasher(props.phoneKey());
    }
}
