package io.scenepipeline.observe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.scenepipeline.state.RunOutcomes;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Cluster mode: what the whole cluster has done and spent, readable from any node's {@code /observe/metrics}, from the
 * plan runs' outcomes in the journal's database (within {@code pipeline.journal-retention}):
 * {@code scene_pipeline_cluster_plans{outcome}} and {@code scene_pipeline_cluster_cost_usd{outcome}}. A node's own
 * counters ({@code scene_pipeline_plans_total}, {@code scene_pipeline_cost_usd_total}) die with it; these do not. Read
 * in the background every {@link #EVERY_S} s, so a scrape never waits for the database.
 */
public final class ClusterFigures {

    static final long EVERY_S = 5;
    private static final Logger LOG = Logs.of(ClusterFigures.class);
    private static final List<String> OUTCOMES = List.of("succeeded", "dead-lettered");

    private final RunOutcomes journal;
    private volatile Map<String, double[]> last = Map.of();

    public ClusterFigures(RunOutcomes journal) {
        this.journal = journal;
    }

    public void bind(MeterRegistry meters, ScheduledExecutorService reader) {
        for (String outcome : OUTCOMES) {
            Gauge.builder("scene.pipeline.cluster.plans", () -> figure(outcome, 0)).tag("outcome", outcome)
                    .description("Plan runs the whole cluster ended, by outcome (from the journal's database)").register(meters);
            Gauge.builder("scene.pipeline.cluster.cost.usd", () -> figure(outcome, 1)).tag("outcome", outcome)
                    .description("What the whole cluster's plan runs spent, by outcome (USD, from the journal's database)").register(meters);
        }
        reader.scheduleWithFixedDelay(this::read, 0, EVERY_S, TimeUnit.SECONDS);
    }

    private double figure(String outcome, int which) {
        double[] f = last.get(outcome);
        return f == null ? 0 : f[which];
    }

    private void read() {
        try {
            last = journal.outcomes();
        } catch (RuntimeException e) {
            // the database is gone: the last figures stand ("cannot be reached" is said elsewhere)
            LOG.debug("The cluster's figures were not read: {}", e.getMessage());
        }
    }
}
