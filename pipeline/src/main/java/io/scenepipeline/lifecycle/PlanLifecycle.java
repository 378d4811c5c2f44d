package io.scenepipeline.lifecycle;

import io.scenepipeline.observe.PipelineMetrics;
import io.scenepipeline.output.HtmlReport;
import io.scenepipeline.output.Manifest;
import io.scenepipeline.output.RunHistory;
import io.scenepipeline.plan.Scene;
import io.scenepipeline.retry.FailureClassifier;
import io.scenepipeline.retry.ProviderBreaker;
import io.scenepipeline.retry.ProviderErrors;
import io.scenepipeline.run.Failure;
import io.scenepipeline.run.AssemblyOutcome;
import io.scenepipeline.run.PlanOutcome;
import io.scenepipeline.run.PlanRun;
import io.scenepipeline.run.RunStats;
import io.scenepipeline.run.SceneResult;
import io.scenepipeline.run.StepRecord;
import io.scenepipeline.run.Steps;
import io.scenepipeline.state.StepJournal;
import io.scenepipeline.state.StepKeys;
import io.scenepipeline.support.AtomicFiles;
import io.scenepipeline.support.FileProblems;
import io.scenepipeline.support.Json;
import io.scenepipeline.support.ShownPath;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Map;
import java.util.List;

/**
 * A plan's life between intake and its end: scene bookkeeping, progress lines, and publishing the finished folder to
 * the outbox. (Intake and the dead letters live in {@code io.scenepipeline.lifecycle}.)
 */
public final class PlanLifecycle {

    private static final Logger LOG = Logs.of(PlanLifecycle.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS").withZone(ZoneOffset.UTC);

    private final StepJournal journal;
    private final RunHistory history;
    private final Path outbox;
    private final Path work;
    private final boolean faceRigEnabled;
    private final RunStats stats;
    private final ProviderBreaker breaker;
    private final PipelineMetrics metrics;
    private final boolean assemblyStage;

    /**
     * @param outbox         {@code pipeline.outbox}
     * @param work           {@code pipeline.work}
     * @param faceRigEnabled {@code pipeline.face-rig.enabled}
     */
    public PlanLifecycle(Path outbox, Path work, boolean faceRigEnabled, RunStats stats, ProviderBreaker breaker,
                         PipelineMetrics metrics, boolean assemblyStage, StepJournal journal, RunHistory history) {
        this.history = history;
        this.journal = journal;
        this.outbox = outbox;
        this.work = work;
        this.faceRigEnabled = faceRigEnabled;
        this.stats = stats;
        this.breaker = breaker;
        this.metrics = metrics;
        this.assemblyStage = assemblyStage;
    }

    /** First thing on a scene exchange (split of the scenes list). */
    public void sceneStart(Exchange exchange) {
        exchange.setProperty(Steps.SCENE, exchange.getIn().getBody(Scene.class));
        exchange.removeProperty(Steps.CALL);
        metrics.sceneStarted();
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                metrics.sceneLeft();
            }
        });
    }

    /** True once a scene of this plan has failed for good: scenes not yet started then do not start. */
    public boolean planFailed(Exchange exchange) {
        return Steps.run(exchange).scenesStopped();
    }

    /** A scene failed for good: remember why (the plan fails once its running scenes are done). */
    public void sceneFailed(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        PlanRun run = Steps.run(exchange);
        SceneResult failed = Steps.sceneResult(exchange);
        if (failed != null) {
            failed.failed(error == null ? new IllegalStateException("unknown error") : error);
        }
        if (run.failure() == null) {
            StepRecord step = Steps.current(exchange);
            Scene scene = Steps.scene(exchange);
            run.fail(new Failure(step == null ? "pipeline" : step.step(), scene == null ? null : scene.sceneNumber(),
                    step == null ? null : step.provider(), false, step == null ? 1 : step.attempts(),
                    FailureClassifier.httpStatus(error), error == null ? "unknown error" : ProviderErrors.describe(error)));
        }
    }

    /** After the split, with what its aggregation made of the scenes: the plan fails with its first scene failure. */
    public void scenesDone(@Body PlanOutcome outcome) throws Exception {
        if (outcome == null || !outcome.failed()) {
            return;
        }
        if (outcome.failure() instanceof Exception e) {
            throw e;
        }
        throw new IllegalStateException(outcome.failure());
    }

    public void sceneDone(Exchange exchange) {
        SceneResult result = Steps.sceneResult(exchange);
        result.markComplete();
        PlanRun run = Steps.run(exchange);
        LOG.info("plan={} scene={} Done ({}/{} scenes)", run.planId(), result.sceneNumber(),
                run.completedScenes().size(), run.plan().scenes().size());
    }

    /** Progress in the original's words: {@code [2/4] Image-to-video: 7/12 scenes}. */
    public void imageDone(Exchange exchange) {
        stageDone(exchange, "Text-to-image", false);
    }

    public void clipDone(Exchange exchange) {
        stageDone(exchange, "Image-to-video", false);
    }

    public void narrationDone(Exchange exchange) {
        stageDone(exchange, "Narration", true);
    }

    public void faceRigDone(Exchange exchange) {
        stageDone(exchange, "face_rig", true);
    }

    private void stageDone(Exchange exchange, String stage, boolean narratedOnly) {
        PlanRun run = Steps.run(exchange);
        List<String> stages = stages();
        long total = narratedOnly ? run.plan().scenes().stream().filter(Scene::hasNarration).count()
                : run.plan().scenes().size();
        LOG.info("plan={} [{}/{}] {}: {}/{} scenes", run.planId(), stages.indexOf(stage) + 1, stages.size(), stage,
                run.stageDone(stage), total);
    }

    /** The stages a plan goes through with these settings, in the order the progress lines number them. */
    List<String> stages() {
        List<String> stages = new ArrayList<>(List.of("Text-to-image", "Image-to-video", "Narration"));
        if (faceRigEnabled) {
            stages.add("face_rig");
        }
        if (assemblyStage) {
            stages.add("Assembly");
        }
        return stages;
    }

    /** Writes plan.json and manifest.json, then moves the whole folder into the outbox in one rename. */
    public void publish(Exchange exchange) throws IOException {
        PlanRun run = Steps.run(exchange);
        Path staging = run.stagingDir();
        Instant finished = Instant.now();
        AtomicFiles.write(staging.resolve("plan.json"), PlanDelivery.of(exchange).bytes());
        // the earlier runs of this plan (its last manifest, its dead letters): what they spent stays on record
        List<Map<String, Object>> history = this.history.earlier(run.planId());
        AtomicFiles.write(staging.resolve("manifest.json"), Json.pretty(Manifest.of(run, finished, history)));
        AtomicFiles.write(staging.resolve("report.html"),
                HtmlReport.succeeded(run, finished, run.finalVideo(),
                        run.assembly() instanceof AssemblyOutcome.Skipped skipped ? skipped.note() : null, history)
                        .getBytes(StandardCharsets.UTF_8));
        Path target = AtomicFiles.inside(outbox, Path.of(run.planId()));
        // cluster mode: not published by a node whose plan was handed on while it stood still, nor a second time
        journal.checkClaim(StepKeys.planKey(run.planId()));
        if (run.runId() != null && !journal.decide(run.runId(), run.planId(), "succeeded", run.costUsd())) {
            LOG.info("plan={} Not published again: this run already ended ({}); the outbox stays as it is", run.planId(),
                    journal.outcome(run.runId()).orElse("elsewhere"));
            AtomicFiles.deleteTree(staging);
            return;
        }
        try {
            Files.createDirectories(outbox);
            if (Files.exists(target)) {
                Path old = AtomicFiles.inside(work.resolve("replaced"), Path.of(run.planId() + "-" + STAMP.format(finished)));
                AtomicFiles.move(target, old);
                AtomicFiles.move(staging, target);
                AtomicFiles.deleteTree(old);
            } else {
                AtomicFiles.move(staging, target);
            }
        } catch (IOException e) {
            if (run.runId() != null) {
                journal.undecide(run.runId());
            }
            throw new IOException(FileProblems.cannotWrite("the outbox folder", ShownPath.of(outbox), e), e);
        }
        resolveDeadLetters(run.planId());
        stats.succeeded();
        breaker.planSucceeded();
        metrics.planEnded("succeeded", Duration.between(run.startedAt(), finished));
        long seconds = (finished.toEpochMilli() - run.startedAt().toEpochMilli()) / 1000;
        LOG.info("plan={} Pipeline succeeded: {} scenes in {} s -> {}{}", run.planId(), run.scenes().size(), seconds, ShownPath.of(target),
                assemblyStage && run.assembly() instanceof AssemblyOutcome.Skipped skipped
                        ? " (no final.mp4: " + skipped.why().replaceFirst("^skipped: ", "") + ")" : "");
        summary(run, seconds);
    }

    /**
     * One count of the steps that adds up across runs: every provider step is paid (Replicate, ElevenLabs), free
     * (face_rig) or reused from the journal; calls and retries are those this run made.
     */
    private static void summary(PlanRun run, long seconds) {
        int steps = 0;
        int paid = 0;
        int free = 0;
        int calls = 0;
        int reused = 0;
        for (SceneResult scene : run.scenes()) {
            for (StepRecord step : scene.steps()) {
                steps++;
                if (step.reused()) {
                    reused++;
                } else {
                    calls += step.attempts();
                    if (Steps.PAID.contains(step.provider())) {
                        paid++;
                    } else {
                        free++;
                    }
                }
            }
        }
        LOG.info("plan={} Summary: {} scenes, {} provider steps: {} paid, {} free (face_rig), {} reused from the journal; {} calls ({} "
                + "retries), {} s, US${} spent", run.planId(), run.scenes().size(), steps, paid, free, reused, calls,
                calls - paid - free, seconds, String.format(java.util.Locale.ROOT, "%.4f", run.costUsd()));
    }

    /** The plan succeeded: its dead letters are resolved, moved aside with one line each. */
    private void resolveDeadLetters(String planId) {
        try {
            for (Path kept : history.resolve(planId)) {
                LOG.info("plan={} Its earlier dead letter is resolved by this run: moved to {}", planId, ShownPath.of(kept));
            }
        } catch (IOException e) {
            LOG.warn("plan={} Its earlier dead letter stays in the dead-letter folder: {}", planId, FileProblems.reason(e));
        }
    }
}
