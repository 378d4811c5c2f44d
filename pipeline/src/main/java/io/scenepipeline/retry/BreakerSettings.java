package io.scenepipeline.retry;

import io.scenepipeline.support.SettingsReader;

import java.time.Duration;

/**
 * The {@code pipeline.breaker.*} settings of the {@link ProviderBreaker}.
 *
 * @param failures      {@code pipeline.breaker.failures}: exhausted calls within the window that open it; 0 turns it off
 * @param window        {@code pipeline.breaker.window}
 * @param halfOpenAfter {@code pipeline.breaker.half-open-after}
 */
public record BreakerSettings(int failures, Duration window, Duration halfOpenAfter) {

    public static BreakerSettings from(SettingsReader r) {
        return new BreakerSettings(r.integer("pipeline.breaker.failures", 0, 10_000), r.duration("pipeline.breaker.window"),
                r.duration("pipeline.breaker.half-open-after"));
    }
}
