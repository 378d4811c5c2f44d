package io.scenepipeline.observe;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Readiness {@code dead-letters}: down while a dead letter waits in the work folder because the dead-letter folder
 * would not take it (the message names the folder and the reason).
 */
public final class DeadLettersHealthCheck extends AbstractHealthCheck {

    private final Supplier<List<String>> waiting;

    public DeadLettersHealthCheck(Supplier<List<String>> waiting) {
        super("scene-pipeline", "dead-letters");
        this.waiting = waiting;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<String> problems = waiting.get();
        if (problems.isEmpty()) {
            builder.up();
        } else {
            builder.detail("waiting", problems.size());
            builder.message("Dead letters wait in the work folder: " + String.join("; ", problems)).down();
        }
    }
}
