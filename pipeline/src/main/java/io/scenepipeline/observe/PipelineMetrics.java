package io.scenepipeline.observe;

import io.scenepipeline.provider.TruncatedDownloadException;
import io.scenepipeline.provider.replicate.PredictionFailedException;
import io.scenepipeline.provider.replicate.PredictionTimeoutException;
import io.scenepipeline.retry.FailureClassifier;
import io.scenepipeline.retry.RetryEvents;
import io.scenepipeline.run.StepRecord;
import io.scenepipeline.run.Steps;
import io.scenepipeline.support.Causes;
import io.scenepipeline.support.MalformedResponseException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.NoHttpResponseException;

import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.ConcurrentHashMap;
import java.time.LocalDate;

/**
 * The project's own series, beside Camel's, in the registry {@code /observe/metrics} scrapes (Prometheus names in
 * brackets): provider calls by outcome ({@code scene_pipeline_provider_calls_total}), retries by reason
 * ({@code scene_pipeline_retries_total}), reused steps ({@code scene_pipeline_steps_reused_total}), plans by status
 * ({@code scene_pipeline_plans_total}), plan and step durations ({@code scene_pipeline_plan_duration_seconds},
 * {@code scene_pipeline_step_duration_seconds}) and what is in flight ({@code scene_pipeline_plans_in_flight},
 * {@code scene_pipeline_scenes_in_flight}, {@code scene_pipeline_breaker_open}).
 */
public final class PipelineMetrics implements RetryEvents {

    /** One attempt of a provider step succeeded. */
    public static final String SUCCESS = "success";
    /** One attempt failed and will be retried. */
    public static final String RETRIED = "retried";
    /** Failed with an error no retry can fix. */
    public static final String FAILED_PERMANENT = RetryEvents.FAILED_PERMANENT;
    /** Failed on its last allowed attempt. */
    public static final String FAILED_EXHAUSTED = RetryEvents.FAILED_EXHAUSTED;

    private final MeterRegistry registry;
    private final AtomicInteger plansInFlight = new AtomicInteger();
    private final AtomicInteger scenesInFlight = new AtomicInteger();
    /** What each provider's paid steps cost today (local time), for the console. */
    private final java.util.Map<String, DoubleAdder> spentToday = new ConcurrentHashMap<>();
    private volatile LocalDate today = LocalDate.now();

    public PipelineMetrics(MeterRegistry registry, Supplier<Boolean> breakerOpen) {
        this.registry = registry;
        Gauge.builder("scene.pipeline.plans.in.flight", plansInFlight, AtomicInteger::get)
                .description("Plans picked up and not yet published or dead-lettered").register(registry);
        Gauge.builder("scene.pipeline.scenes.in.flight", scenesInFlight, AtomicInteger::get)
                .description("Scenes running now, over all plans").register(registry);
        Gauge.builder("scene.pipeline.breaker.open", () -> breakerOpen.get() ? 1 : 0)
                .description("1 while the provider breaker holds new plans in the inbox").register(registry);
    }

    private void spent(String provider, double usd) {
        LocalDate now = LocalDate.now();
        if (!now.equals(today)) {
            spentToday.clear();
            today = now;
        }
        spentToday.computeIfAbsent(provider, p -> new DoubleAdder()).add(usd);
    }

    /** What {@code provider}'s paid steps that finished today (local time) cost, by the price table, on this node. */
    public double spentToday(String provider) {
        if (!LocalDate.now().equals(today)) {
            return 0;
        }
        DoubleAdder sum = spentToday.get(provider);
        return sum == null ? 0 : sum.sum();
    }

    /** The sum of the counter {@code name} over the series tagged {@code provider}. */
    public double count(String name, String provider) {
        return registry.find(name).tag("provider", provider).counters().stream().mapToDouble(Counter::count).sum();
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** An attempt of a provider step ended with {@code outcome} (one of the constants above). */
    @Override
    public void call(String provider, String step, String outcome) {
        Counter.builder("scene.pipeline.provider.calls").description("Provider step attempts by outcome")
                .tag("provider", provider).tag("step", step).tag("outcome", outcome).register(registry).increment();
    }

    /** A failed attempt that will be retried, with why. */
    @Override
    public void retry(String provider, String step, Throwable failure) {
        call(provider, step, RETRIED);
        Counter.builder("scene.pipeline.retries").description("Retries of provider steps by reason")
                .tag("provider", provider).tag("step", step).tag("reason", reason(failure)).register(registry).increment();
    }

    /** A provider's "slow down" (429): waited out, no attempt spent. */
    @Override
    public void throttled(String provider, String step) {
        Counter.builder("scene.pipeline.throttled").description("Provider answers that asked to slow down (429), waited out")
                .tag("provider", provider).tag("step", step).register(registry).increment();
    }

    /** A step of a finished scene: a paid call that succeeded, or one taken from the journal. */
    public void stepFinished(StepRecord step) {
        if (step.reused()) {
            Counter.builder("scene.pipeline.steps.reused").description("Steps taken from the journal instead of paid again")
                    .tag("provider", step.provider()).tag("step", step.step()).register(registry).increment();
            return;
        }
        call(step.provider(), step.step(), SUCCESS);
        if (step.costUsd() != null && step.costUsd() > 0) {
            spent(step.provider(), step.costUsd());
            Counter.builder("scene.pipeline.cost.usd").description("What the paid steps cost, by the price table (USD)")
                    .tag("provider", step.provider()).tag("model", step.model() == null ? "" : step.model())
                    .register(registry).increment(step.costUsd());
        }
        if (step.durationMs() != null) {
            Timer.builder("scene.pipeline.step.duration").description("Wall time of provider steps, retries and waits included")
                    .tag("provider", step.provider()).tag("step", step.step())
                    .register(registry).record(Duration.ofMillis(step.durationMs()));
        }
    }

    /** A plan runs: its progress, scenes done of scenes, as gauges tagged with its id until it ends. */
    public void planRunning(io.scenepipeline.run.PlanRun run) {
        Gauge.builder("scene.pipeline.plan.scenes.done", run, r -> r.completedScenes().size())
                .description("Scenes done of each plan in flight").tag("plan", run.planId()).register(registry);
        Gauge.builder("scene.pipeline.plan.scenes", run, r -> r.plan().scenes().size())
                .description("Scenes of each plan in flight").tag("plan", run.planId()).register(registry);
        Gauge.builder("scene.pipeline.plan.cost.usd", run, io.scenepipeline.run.PlanRun::costUsd)
                .description("What each plan in flight has spent so far (USD)").tag("plan", run.planId()).register(registry);
    }

    /** A plan ended: its progress gauges go. */
    public void planGone(io.scenepipeline.run.PlanRun run) {
        for (String name : new String[] {"scene.pipeline.plan.scenes.done", "scene.pipeline.plan.scenes", "scene.pipeline.plan.cost.usd"}) {
            Gauge gauge = registry.find(name).tag("plan", run.planId()).gauge();
            if (gauge != null) {
                registry.remove(gauge);
            }
        }
    }

    /** A plan ended: {@code succeeded}, {@code failed} (dead-lettered after it ran) or {@code invalid} (refused). */
    public void planEnded(String status, Duration took) {
        Counter.builder("scene.pipeline.plans").description("Plans by how they ended").tag("status", status)
                .register(registry).increment();
        Timer.builder("scene.pipeline.plan.duration").description("Wall time of plans from pick-up to outbox or dead letter")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofSeconds(1)).maximumExpectedValue(Duration.ofHours(2))
                .register(registry).record(took);
    }

    public void planStarted() {
        plansInFlight.incrementAndGet();
    }

    public void planLeft() {
        plansInFlight.decrementAndGet();
    }

    public void sceneStarted() {
        scenesInFlight.incrementAndGet();
    }

    public void sceneLeft() {
        scenesInFlight.decrementAndGet();
    }

    /** A short, bounded label for why a call failed: {@code http_503}, {@code timeout}, {@code disconnect}, ... */
    static String reason(Throwable failure) {
        Integer status = FailureClassifier.httpStatus(failure);
        if (status != null) {
            return "http_" + status;
        }
        for (Throwable t : Causes.of(failure)) {
            if (t instanceof SocketTimeoutException || t instanceof HttpTimeoutException) {
                return "timeout";
            }
            if (t instanceof ConnectException) {
                return "connect";
            }
            if (t instanceof TruncatedDownloadException) {
                return "truncated";
            }
            if (t instanceof PredictionTimeoutException) {
                return "prediction_timeout";
            }
            if (t instanceof PredictionFailedException) {
                return "prediction_failed";
            }
            if (t instanceof MalformedResponseException) {
                return "malformed_response";
            }
            if (t instanceof NoHttpResponseException || t instanceof ConnectionClosedException
                    || t instanceof SocketException) {
                return "disconnect";
            }
        }
        return failure == null ? "unknown" : failure.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
