package io.scenepipeline.run;

import io.scenepipeline.plan.Scene;
import io.scenepipeline.plan.ScenePlan;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The state of one plan while it runs. Shared by reference between the plan's exchange and its scenes'
 * exchanges (split copies hold the same object), so it is safe for concurrent use.
 */
public final class PlanRun {

    /** Exchange property that carries the run. */
    public static final String PROPERTY = "planRun";

    private final ScenePlan plan;
    private final String fileName;
    private final Path stagingDir;
    private final Instant startedAt = Instant.now();
    private final ConcurrentSkipListMap<Integer, SceneResult> scenes = new ConcurrentSkipListMap<>();
    private final AtomicReference<Failure> failure = new AtomicReference<>();
    private final Map<String, AtomicInteger> stages = new ConcurrentHashMap<>();
    /** Cluster mode: the delivery of the dropped file this run is (its outcome is decided once per run); else null. */
    private volatile String runId;
    private volatile AssemblyOutcome assembly;
    /** The estimated prices of the paid calls this run made (pipeline.max-cost-per-plan counts them). */
    private double committedUsd;
    private volatile String finalVideo;
    /** Told of each step as it finishes (the metrics count it then, not when its scene ends). */
    private volatile java.util.function.Consumer<StepRecord> onStepFinished = step -> { };
    private final java.util.Set<StepRecord> finishedSteps = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Who canceled the run (the operator's console or API), or null. */
    private volatile String canceledBy;

    public PlanRun(ScenePlan plan, String fileName, Path stagingDir) {
        this.plan = plan;
        this.fileName = fileName;
        this.stagingDir = stagingDir;
        for (Scene scene : plan.scenes()) {
            scenes.put(scene.sceneNumber(), new SceneResult(scene));
        }
    }

    /** What the assembly did: the final video made, or why it was skipped. */
    public void assembly(AssemblyOutcome outcome) {
        this.assembly = outcome;
        this.finalVideo = outcome instanceof AssemblyOutcome.Made made ? made.file() : null;
    }

    public AssemblyOutcome assembly() {
        return assembly;
    }

    /** {@code final.mp4} (relative to the plan folder) once assembled, else null. */
    public String finalVideo() {
        return finalVideo;
    }

    /** One more scene has finished {@code stage}; returns how many have. */
    public int stageDone(String stage) {
        return stages.computeIfAbsent(stage, k -> new AtomicInteger()).incrementAndGet();
    }

    public ScenePlan plan() {
        return plan;
    }

    public String runId() {
        return runId;
    }

    public void runId(String id) {
        this.runId = id;
    }

    public String planId() {
        return plan.planId();
    }

    public String fileName() {
        return fileName;
    }

    /** Where this run writes its files until the plan is complete and moved to the outbox. */
    public Path stagingDir() {
        return stagingDir;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public SceneResult scene(int sceneNumber) {
        return scenes.get(sceneNumber);
    }

    public List<SceneResult> scenes() {
        return List.copyOf(scenes.values());
    }

    public List<Integer> completedScenes() {
        return scenes.values().stream().filter(SceneResult::complete).map(SceneResult::sceneNumber).toList();
    }

    public void onStepFinished(java.util.function.Consumer<StepRecord> listener) {
        this.onStepFinished = listener;
    }

    /** A step of this run finished (made and journaled, or taken from the journal): said once. */
    public void stepFinished(StepRecord step) {
        if (step != null && finishedSteps.add(step)) {
            onStepFinished.accept(step);
        }
    }

    /** The operator cancels the run: its steps stop at their next call, and the plan goes to the dead letters. */
    public void cancel(String by) {
        this.canceledBy = by == null || by.isBlank() ? "operator" : by;
    }

    public boolean canceled() {
        return canceledBy != null;
    }

    /** Throws when the operator canceled the run (checked before each call of its steps). */
    public void checkCanceled() {
        if (canceledBy != null) {
            throw new PlanCanceledException(planId(), canceledBy);
        }
    }

    /** Records why the plan stops; the first final failure wins (later ones are consequences). */
    public void fail(Failure f) {
        failure.compareAndSet(null, f);
    }

    public Failure failure() {
        return failure.get();
    }

    /** A scene failed for good: scenes of this plan not started yet are not started. */
    public boolean scenesStopped() {
        return scenes.values().stream().anyMatch(s -> s.failure() != null);
    }

    /** What this run has spent so far, in USD (the sum of its paid steps; reused ones cost nothing). */
    public double costUsd() {
        double sum = 0;
        for (SceneResult scene : scenes.values()) {
            for (StepRecord step : scene.steps()) {
                if (step.costUsd() != null) {
                    sum += step.costUsd();
                }
            }
        }
        return BigDecimal.valueOf(sum).setScale(6, RoundingMode.HALF_UP).doubleValue();
    }

    /** Adds a call's estimated price to what the run is committed to, unless that would pass {@code maxUsd}. */
    synchronized boolean commit(double estimateUsd, double maxUsd) {
        if (committedUsd + estimateUsd > maxUsd + 1e-9) {
            return false;
        }
        committedUsd += estimateUsd;
        return true;
    }
}
