package io.scenepipeline.observe;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Readiness {@code cluster} (cluster mode only): down while this node cannot reach the journal's database or the
 * broker; the message says which. The two are probed in the background every {@link #EVERY_MS} ms, each on its own
 * thread, and the check answers from what they last found: a probe's connection attempt in an outage takes seconds, a
 * readiness probe (Kubernetes' waits one second by default) gets its answer at once.
 */
public final class ClusterHealthCheck extends AbstractHealthCheck {

    static final long EVERY_MS = 1000;

    private final BooleanSupplier database;
    private final BooleanSupplier broker;
    private volatile boolean databaseUp = true;
    private volatile boolean brokerUp = true;

    public ClusterHealthCheck(BooleanSupplier database, BooleanSupplier broker) {
        super("scene-pipeline", "cluster");
        this.database = database;
        this.broker = broker;
    }

    /** Starts the probes on {@code probes} (two threads: one probe never waits for the other). */
    public void start(ScheduledExecutorService probes) {
        probes.scheduleWithFixedDelay(() -> databaseUp = database.getAsBoolean(), 0, EVERY_MS, TimeUnit.MILLISECONDS);
        probes.scheduleWithFixedDelay(() -> brokerUp = broker.getAsBoolean(), 0, EVERY_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        List<String> down = new ArrayList<>();
        if (!databaseUp) {
            down.add("the journal's database (pipeline.journal.jdbc-url) cannot be reached");
        }
        if (!brokerUp) {
            down.add("the broker (pipeline.cluster.broker-url) cannot be reached");
        }
        if (down.isEmpty()) {
            builder.up();
        } else {
            builder.message(String.join("; ", down)).down();
        }
    }
}
