package io.scenepipeline.observe;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.scenepipeline.plan.PlanParser;
import io.scenepipeline.run.PlanRun;
import io.scenepipeline.run.StepRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** A plan is one trace: under the span it started in, the plan, its scenes, steps, attempts and waits, with attributes. */
class PlanTracesTest {

    @Test
    void should_make_a_plan_one_trace_of_scenes_steps_attempts_and_waits() {
        InMemorySpanExporter exported = InMemorySpanExporter.create();
        SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build();
        PlanTraces traces = new PlanTraces(provider.get("test"));
        PlanRun run = new PlanRun(new PlanParser(false).parse(("{\"plan_id\": \"p\", \"scenes\": [{\"scene_number\": 1,"
                + " \"visual_description\": \"a river\", \"duration\": 5}]}").getBytes(StandardCharsets.UTF_8), "p.json"), "p.json", Path.of("x"));
        StepRecord image = new StepRecord("text-to-image", "replicate", "google/imagen-3", "k1");
        run.scene(1).add(image);
        image.timeline().attemptStarted(1);
        image.timeline().attemptEnded("retried", "503 Service Unavailable");
        image.timeline().waitStarted("retry", System.currentTimeMillis() + 5);
        image.timeline().attemptStarted(2);
        image.costUsd(0.05);
        image.nextAttempt();
        image.finish();

        Span camel = provider.get("camel").spanBuilder("inbox").startSpan();
        try (Scope ignored = camel.makeCurrent()) {
            traces.started(run);
        }
        traces.ended(run);
        camel.end();

        List<SpanData> spans = exported.getFinishedSpanItems();
        assertThat(spans).extracting(SpanData::getTraceId).containsOnly(camel.getSpanContext().getTraceId());
        Map<String, SpanData> byName = spans.stream().collect(Collectors.toMap(SpanData::getName, Function.identity()));
        assertThat(byName).containsKeys("inbox", "plan p", "scene 1", "text-to-image", "attempt 1", "wait: retry", "attempt 2");
        assertThat(byName.get("plan p").getParentSpanId()).isEqualTo(camel.getSpanContext().getSpanId());
        assertThat(byName.get("scene 1").getParentSpanId()).isEqualTo(byName.get("plan p").getSpanId());
        SpanData step = byName.get("text-to-image");
        assertThat(step.getParentSpanId()).isEqualTo(byName.get("scene 1").getSpanId());
        assertThat(step.getAttributes().get(PlanTraces.PROVIDER)).isEqualTo("replicate");
        assertThat(step.getAttributes().get(PlanTraces.MODEL)).isEqualTo("google/imagen-3");
        assertThat(step.getAttributes().get(PlanTraces.COST)).isEqualTo(0.05);
        assertThat(step.getAttributes().get(PlanTraces.ATTEMPTS)).isEqualTo(2L);
        assertThat(step.getAttributes().get(PlanTraces.STATUS)).isEqualTo("succeeded");
        SpanData first = byName.get("attempt 1");
        assertThat(first.getParentSpanId()).isEqualTo(step.getSpanId());
        assertThat(first.getAttributes().get(PlanTraces.STATUS)).isEqualTo("retried");
        assertThat(first.getAttributes().get(PlanTraces.REASON)).isEqualTo("503 Service Unavailable");
        assertThat(first.getAttributes().get(PlanTraces.RETRY)).isFalse();
        assertThat(byName.get("attempt 2").getAttributes().get(PlanTraces.RETRY)).isTrue();
        assertThat(byName.get("attempt 2").getAttributes().get(PlanTraces.STATUS)).isEqualTo("succeeded");
    }
}
