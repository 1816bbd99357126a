package appealhub.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
public class JsonConfig implements org.springframework.web.servlet.config.annotation.WebMvcConfigurer {

    /** JSON unless a client asks otherwise: Jackson's XML module is on the classpath (for WeChat) and would win. */
    @Override
    public void configureContentNegotiation(
            org.springframework.web.servlet.config.annotation.ContentNegotiationConfigurer configurer) {
        configurer.defaultContentType(org.springframework.http.MediaType.APPLICATION_JSON);
    }

    /** ISO-8601 instants, tolerant of fields we do not know (upstreams add fields). */
    @Bean
    Jackson2ObjectMapperBuilderCustomizer hubJson() {
        return b -> b.featuresToDisable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS,
                DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
