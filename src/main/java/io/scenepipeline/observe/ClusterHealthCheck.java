package io.scenepipeline.observe;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Readiness {@code cluster} (cluster mode only): down while this node cannot reach the journal's database or the
 * broker; the message says which.
 */
public final class ClusterHealthCheck extends AbstractHealthCheck {

    private final BooleanSupplier database;
    private final BooleanSupplier broker;

    public ClusterHealthCheck(BooleanSupplier database, BooleanSupplier broker) {
        super("scene-pipeline", "cluster");
        this.database = database;
        this.broker = broker;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<String> down = new ArrayList<>();
        if (!database.getAsBoolean()) {
            down.add("the journal's database (pipeline.journal.jdbc-url) cannot be reached");
        }
        if (!broker.getAsBoolean()) {
            down.add("the broker (pipeline.cluster.broker-url) cannot be reached");
        }
        if (down.isEmpty()) {
            builder.up();
        } else {
            builder.message(String.join("; ", down)).down();
        }
    }
}
