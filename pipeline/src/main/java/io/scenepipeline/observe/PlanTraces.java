package io.scenepipeline.observe;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.scenepipeline.run.PlanRun;
import io.scenepipeline.run.SceneResult;
import io.scenepipeline.run.StepRecord;
import io.scenepipeline.run.StepTimeline;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A plan as one trace, for those who have a tracing system (docs/operations.md, "Traces"): under the span Camel's
 * OpenTelemetry support opened for the plan's exchange, one span for the plan, one per scene, one per step (provider,
 * model, attempts, cost, reused) and one per attempt and wait of the step's timeline (its attempt number, whether it
 * was a retry, how it ended and why), each with the times it really had. Written when the plan ends, from its timeline.
 */
public final class PlanTraces {

    static final AttributeKey<String> PLAN = AttributeKey.stringKey("scene_pipeline.plan_id");
    static final AttributeKey<Long> SCENE = AttributeKey.longKey("scene_pipeline.scene_number");
    static final AttributeKey<String> STEP = AttributeKey.stringKey("scene_pipeline.step");
    static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("scene_pipeline.provider");
    static final AttributeKey<String> MODEL = AttributeKey.stringKey("scene_pipeline.model");
    static final AttributeKey<String> STATUS = AttributeKey.stringKey("scene_pipeline.status");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("scene_pipeline.attempt");
    static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("scene_pipeline.attempts");
    static final AttributeKey<Boolean> RETRY = AttributeKey.booleanKey("scene_pipeline.retry");
    static final AttributeKey<Boolean> REUSED = AttributeKey.booleanKey("scene_pipeline.reused");
    static final AttributeKey<Double> COST = AttributeKey.doubleKey("scene_pipeline.cost_usd");
    static final AttributeKey<String> REASON = AttributeKey.stringKey("scene_pipeline.reason");
    static final AttributeKey<String> PREDICTION = AttributeKey.stringKey("scene_pipeline.prediction_id");

    private final Tracer tracer;
    /** The context each running plan's trace hangs from (Camel's span of the plan's exchange, when there is one). */
    private final Map<PlanRun, Context> parents = new ConcurrentHashMap<>();

    public PlanTraces(Tracer tracer) {
        this.tracer = tracer;
    }

    /** A plan starts: its trace hangs from the span current now (the plan's exchange's, in the intake). */
    public void started(PlanRun run) {
        parents.put(run, Context.current());
    }

    /** A plan ended: its spans, from its timeline. */
    public void ended(PlanRun run) {
        Context parent = parents.remove(run);
        long end = System.currentTimeMillis();
        Span plan = tracer.spanBuilder("plan " + run.planId()).setParent(parent == null ? Context.root() : parent)
                .setStartTimestamp(run.startedAt()).setAttribute(PLAN, run.planId()).startSpan();
        plan.setAttribute(COST, run.costUsd());
        String status = run.canceled() ? "canceled" : run.failure() != null ? "failed" : "succeeded";
        plan.setAttribute(STATUS, status);
        if (run.failure() != null) {
            plan.setStatus(StatusCode.ERROR, run.failure().error());
        }
        Context inPlan = parent == null ? Context.root().with(plan) : parent.with(plan);
        for (SceneResult scene : run.scenes()) {
            scene(scene, inPlan, run.startedAt().toEpochMilli(), end);
        }
        plan.end(end, TimeUnit.MILLISECONDS);
    }

    private void scene(SceneResult scene, Context inPlan, long planStart, long planEnd) {
        List<StepRecord> steps = scene.steps();
        long start = steps.stream().flatMap(s -> s.timeline().spans().stream()).mapToLong(StepTimeline.Span::start).min().orElse(planStart);
        Span span = tracer.spanBuilder("scene " + scene.sceneNumber()).setParent(inPlan)
                .setStartTimestamp(start, TimeUnit.MILLISECONDS).setAttribute(SCENE, (long) scene.sceneNumber()).startSpan();
        span.setAttribute(STATUS, scene.complete() ? "succeeded" : scene.failure() != null ? "failed" : "not finished");
        long end = start;
        for (StepRecord step : steps) {
            end = Math.max(end, step(step, inPlan.with(span), start, planEnd));
        }
        span.end(Math.max(end, start), TimeUnit.MILLISECONDS);
    }

    /** The step's span and its attempts' and waits'; returns when it ended. */
    private long step(StepRecord step, Context inScene, long sceneStart, long planEnd) {
        List<StepTimeline.Span> bars = step.timeline().spans();
        long start = bars.stream().mapToLong(StepTimeline.Span::start).min().orElse(sceneStart);
        long end = bars.stream().mapToLong(b -> b.end() == null ? planEnd : b.end()).max().orElse(start);
        Span span = tracer.spanBuilder(step.step()).setParent(inScene).setStartTimestamp(start, TimeUnit.MILLISECONDS)
                .setAttribute(STEP, step.step()).setAttribute(PROVIDER, step.provider()).startSpan();
        if (step.model() != null) {
            span.setAttribute(MODEL, step.model());
        }
        if (step.predictionId() != null) {
            span.setAttribute(PREDICTION, step.predictionId());
        }
        span.setAttribute(ATTEMPTS, (long) step.attempts());
        span.setAttribute(REUSED, step.reused());
        if (step.costUsd() != null) {
            span.setAttribute(COST, step.costUsd());
        }
        String last = bars.stream().filter(b -> StepTimeline.Span.ATTEMPT.equals(b.kind())).reduce((a, b) -> b)
                .map(b -> b.outcome() == null ? "not finished" : b.outcome()).orElse(step.finished() ? "succeeded" : "not finished");
        span.setAttribute(STATUS, last);
        if ("failed".equals(last) || "canceled".equals(last)) {
            span.setStatus(StatusCode.ERROR, last);
        }
        Context inStep = inScene.with(span);
        for (StepTimeline.Span bar : bars) {
            boolean wait = StepTimeline.Span.WAIT.equals(bar.kind());
            Span s = tracer.spanBuilder(wait ? "wait: " + bar.outcome() : "attempt " + bar.attempt()).setParent(inStep)
                    .setStartTimestamp(bar.start(), TimeUnit.MILLISECONDS).startSpan();
            if (!wait) {
                s.setAttribute(ATTEMPT, (long) bar.attempt());
                s.setAttribute(RETRY, bar.attempt() != null && bar.attempt() > 1);
                s.setAttribute(STATUS, bar.outcome() == null ? "not finished" : bar.outcome());
                if ("failed".equals(bar.outcome()) || "retried".equals(bar.outcome())) {
                    s.setStatus(StatusCode.ERROR, bar.reason() == null ? bar.outcome() : bar.reason());
                }
            }
            if (bar.reason() != null) {
                s.setAttribute(REASON, bar.reason());
            }
            s.end(bar.end() == null ? planEnd : bar.end(), TimeUnit.MILLISECONDS);
        }
        span.end(end, TimeUnit.MILLISECONDS);
        return end;
    }
}
