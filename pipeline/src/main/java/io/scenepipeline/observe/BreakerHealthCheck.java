package io.scenepipeline.observe;

import io.scenepipeline.retry.ProviderBreaker;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Locale;
import java.util.Map;

/** Readiness {@code providers}: down while the provider breaker is open (new plans wait in the inbox). */
public final class BreakerHealthCheck extends AbstractHealthCheck {

    private final ProviderBreaker breaker;

    public BreakerHealthCheck(ProviderBreaker breaker) {
        super("scene-pipeline", "providers");
        this.breaker = breaker;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        ProviderBreaker.State state = breaker.state();
        builder.detail("breaker", state.name().toLowerCase(Locale.ROOT));
        if (state == ProviderBreaker.State.OPEN) {
            builder.message("Provider breaker open: " + breaker.lastReason() + "; new plans wait in the inbox").down();
        } else {
            builder.up();
        }
    }
}
