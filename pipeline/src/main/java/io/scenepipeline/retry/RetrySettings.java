package io.scenepipeline.retry;

import io.scenepipeline.support.SettingsException;
import io.scenepipeline.support.SettingsReader;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The {@code retry.*} settings of the retry components, read and checked once.
 *
 * @param components           each component's redelivery policy ({@code retry.<component>.*})
 * @param retryableStatusCodes {@code retry.retryable-status-codes}
 * @param throttleLimit        {@code retry.throttle-limit}: how long one call's 429s are waited out before they count
 */
public record RetrySettings(Map<String, Backoff> components, String retryableStatusCodes, Duration throttleLimit) {

    /** The retry components: each has its own route configuration, failure handler and {@code retry.<component>.*} keys. */
    public static final List<String> COMPONENTS = List.of("video", "facerig", "storyboard");

    public static RetrySettings from(SettingsReader r) {
        Map<String, Backoff> components = COMPONENTS.stream().collect(Collectors.toMap(Function.identity(), c -> new Backoff(
                r.integer("retry." + c + ".maximumRedeliveries", 0, 100),
                r.millis("retry." + c + ".redeliveryDelay", 0),
                r.decimal("retry." + c + ".backOffMultiplier", 1.0),
                r.millis("retry." + c + ".maximumRedeliveryDelay", 0),
                r.optionalDecimal("retry." + c + ".collisionAvoidanceFactor", 0.0, 0.0, 1.0))));
        String statusCodes = r.required("retry.retryable-status-codes");
        for (String code : statusCodes.split(",")) {
            if (!code.trim().matches("[1-5][0-9][0-9]")) {
                throw new SettingsException("retry.retryable-status-codes: must be a comma-separated list of HTTP statuses, got '" + statusCodes + "'");
            }
        }
        return new RetrySettings(components, statusCodes, r.duration("retry.throttle-limit"));
    }

    /** The most redeliveries any component allows. */
    public int maxRedeliveries() {
        return components.values().stream().mapToInt(Backoff::maximumRedeliveries).max().orElse(0);
    }
}
