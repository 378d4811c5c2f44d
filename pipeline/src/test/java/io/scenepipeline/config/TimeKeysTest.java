package io.scenepipeline.config;

import io.scenepipeline.support.SettingsException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every time key reads 500ms, 10s, 5m, 12h, 7d, and plain milliseconds as before; each key then holds milliseconds. */
class TimeKeysTest {

    private static PropertiesComponent with(String... pairs) {
        Properties p = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            p.setProperty(pairs[i], pairs[i + 1]);
        }
        PropertiesComponent properties = new DefaultCamelContext().getPropertiesComponent();
        properties.setInitialProperties(p);
        return properties;
    }

    @Test
    void should_read_every_time_key_in_one_format_and_plain_numbers_as_milliseconds() {
        PropertiesComponent properties = with("replicate.response-timeout", "60s", "retry.video.redeliveryDelay", "5000",
                "facerig.export-timeout", "20m", "pipeline.inbox.poll-delay", "500ms", "assembly.timeout", "1h");

        TimeKeys.toMillis(properties);

        assertThat(properties.resolveProperty("replicate.response-timeout")).hasValue("60000");
        assertThat(properties.resolveProperty("retry.video.redeliveryDelay")).hasValue("5000");
        assertThat(properties.resolveProperty("facerig.export-timeout")).hasValue("1200000");
        assertThat(properties.resolveProperty("pipeline.inbox.poll-delay")).hasValue("500");
        assertThat(properties.resolveProperty("assembly.timeout")).hasValue("3600000");
    }

    @Test
    void should_name_the_key_of_a_time_it_cannot_read() {
        PropertiesComponent properties = with("replicate.poll-interval", "two seconds");

        assertThatThrownBy(() -> TimeKeys.toMillis(properties)).isInstanceOf(SettingsException.class)
                .hasMessage("replicate.poll-interval: must be a duration such as 7d, 12h, 30m, 45s or 500ms, got 'two seconds'");
    }
}
