package io.scenepipeline.config;

import io.scenepipeline.retry.RetrySettings;
import io.scenepipeline.support.SettingsReader;
import org.apache.camel.spi.PropertiesComponent;

import java.util.ArrayList;
import java.util.List;

/**
 * Every time setting in one format (docs/settings.md): {@code 500ms}, {@code 10s}, {@code 5m}, {@code 12h}, {@code 7d}, or
 * a plain number of milliseconds as before. Read once at start; each key then holds plain milliseconds for the Java
 * settings and for the route placeholders (Camel's HTTP timeouts, the inbox's poll delay) alike.
 */
final class TimeKeys {

    /** The time keys that used to take milliseconds only (the others always read {@code 10s} and such). */
    static final List<String> KEYS = keys();

    private TimeKeys() {
    }

    private static List<String> keys() {
        List<String> keys = new ArrayList<>(List.of(
                "pipeline.inbox.min-age", "pipeline.inbox.poll-delay", "pipeline.inbox.check-interval",
                "pipeline.inbox.settle-time", "pipeline.provider-queue-timeout",
                "replicate.poll-interval", "replicate.prediction-timeout", "replicate.connect-timeout",
                "replicate.response-timeout", "replicate.download-timeout",
                "elevenlabs.connect-timeout", "elevenlabs.response-timeout",
                "facerig.connect-timeout", "facerig.response-timeout", "facerig.alignment-timeout", "facerig.export-timeout",
                "facerig.watch-interval",
                "assembly.timeout"));
        for (String c : RetrySettings.COMPONENTS) {
            keys.add("retry." + c + ".redeliveryDelay");
            keys.add("retry." + c + ".maximumRedeliveryDelay");
        }
        return List.copyOf(keys);
    }

    /** Reads each time key that is set and sets it again in milliseconds (a malformed one stops the start, named). */
    static void toMillis(PropertiesComponent properties) {
        SettingsReader r = new SettingsReader(key -> properties.resolveProperty(key).orElse(null));
        for (String key : KEYS) {
            if (properties.resolveProperty(key).isPresent()) {
                properties.addOverrideProperty(key, Long.toString(r.duration(key).toMillis()));
            }
        }
    }
}
