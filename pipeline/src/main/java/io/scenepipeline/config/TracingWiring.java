package io.scenepipeline.config;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.scenepipeline.observe.PlanTraces;
import io.scenepipeline.run.RunningPlans;
import io.scenepipeline.support.SettingsException;
import org.apache.camel.CamelContext;
import org.apache.camel.opentelemetry2.OpenTelemetryTracer;
import org.apache.camel.support.service.ServiceSupport;

import java.time.Duration;

/**
 * Traces for those who have a tracing system (docs/operations.md, "Traces"): with {@code pipeline.tracing.otlp-endpoint}
 * set, Camel's OpenTelemetry support (camel-opentelemetry2) traces the routes, and each plan becomes one trace with a
 * span per scene, step, attempt and wait ({@link PlanTraces}), sent over OTLP/HTTP to that endpoint. Off otherwise:
 * nothing is traced, nothing sent.
 */
final class TracingWiring {

    static final String ENDPOINT = "pipeline.tracing.otlp-endpoint";

    private TracingWiring() {
    }

    static void bind(CamelContext context, String endpoint, String node, RunningPlans running) {
        if (endpoint == null || endpoint.isBlank()) {
            return;
        }
        OtlpHttpSpanExporter exporter;
        try {
            exporter = OtlpHttpSpanExporter.builder().setEndpoint(endpoint.trim()).setTimeout(Duration.ofSeconds(10)).build();
        } catch (IllegalArgumentException e) {
            throw new SettingsException(ENDPOINT + ": " + e.getMessage() + " (e.g. http://localhost:4318/v1/traces)");
        }
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(
                AttributeKey.stringKey("service.name"), "scene-pipeline", AttributeKey.stringKey("service.instance.id"), node)));
        SdkTracerProvider provider = SdkTracerProvider.builder().setResource(resource)
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).setScheduleDelay(Duration.ofSeconds(1)).build()).build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(provider)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
        // camel-opentelemetry2 takes the tracer and the propagators from the registry
        context.getRegistry().bind("openTelemetryTracer", sdk.getTracer("camel"));
        context.getRegistry().bind("openTelemetryPropagators", sdk.getPropagators());
        OpenTelemetryTracer camel = new OpenTelemetryTracer();
        camel.setCamelContext(context);
        camel.init(context);
        PlanTraces traces = new PlanTraces(sdk.getTracer("scene-pipeline"));
        running.onStartAndEnd(traces::started, traces::ended);
        try {
            // sent before the process ends: the spans still batched are flushed when Camel stops
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    provider.shutdown().join(10, java.util.concurrent.TimeUnit.SECONDS);
                }
            }, true, false);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the tracer's shutdown", e);
        }
    }
}
