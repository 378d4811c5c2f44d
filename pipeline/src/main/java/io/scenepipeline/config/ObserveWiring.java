package io.scenepipeline.config;

import io.scenepipeline.observe.BreakerHealthCheck;
import io.scenepipeline.observe.ClusterFigures;
import io.scenepipeline.observe.DeadLettersHealthCheck;
import io.scenepipeline.observe.FoldersHealthCheck;
import io.scenepipeline.observe.PipelineMetrics;
import io.scenepipeline.output.DeadLetters;
import io.scenepipeline.retry.ProviderBreaker;
import io.scenepipeline.state.StepJournal;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an operator watches (docs/operations.md): the project's metrics in the registry Camel's micrometer-prometheus
 * scrapes on {@code /observe/metrics}, and the named readiness checks beside Camel's own (context, routes, consumers).
 */
final class ObserveWiring {

    private ObserveWiring() {
    }

    static PipelineMetrics metrics(CamelContext context, ProviderBreaker breaker) {
        Registry registry = context.getRegistry();
        MeterRegistry meters = registry.lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class);
        if (meters == null) {
            meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry.bind(MicrometerConstants.METRICS_REGISTRY_NAME, meters);
        }
        PipelineMetrics metrics = new PipelineMetrics(meters, () -> breaker.state() == ProviderBreaker.State.OPEN);
        registry.bind("pipelineMetrics", metrics);
        return metrics;
    }

    /** Cluster mode: the cluster's figures (plans queued, steps claimed) as gauges, read every few seconds. */
    static void clusterFigures(CamelContext context, Object owner, StepJournal journal) {
        MeterRegistry meters = context.getRegistry().lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class);
        new ClusterFigures(journal).bind(meters, context.getExecutorServiceManager().newSingleThreadScheduledExecutor(owner, "cluster-figures"));
    }

    static void healthChecks(CamelContext context, PipelineSettings.Folders folders, ProviderBreaker breaker, DeadLetters deadLetters) {
        Map<String, Path> watched = new LinkedHashMap<>();
        watched.put("pipeline.inbox", folders.inbox());
        watched.put("pipeline.outbox", folders.outbox());
        watched.put("pipeline.dead-letter", folders.deadLetter());
        watched.put("pipeline.work", folders.work());
        register(context, "providers-health-check", new BreakerHealthCheck(breaker));
        register(context, "folders-health-check", new FoldersHealthCheck(watched));
        register(context, "dead-letters-health-check", new DeadLettersHealthCheck(deadLetters::waiting));
    }

    private static void register(CamelContext context, String name, HealthCheck check) {
        context.getRegistry().bind(name, check);
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            health.register(check);
        }
    }
}
