package io.scenepipeline.run;

import io.scenepipeline.observe.PipelineMetrics;
import java.time.Duration;

import io.scenepipeline.config.PipelineSettings;
import io.scenepipeline.output.AtomicFiles;
import io.scenepipeline.output.DeadLetterReport;
import io.scenepipeline.output.HtmlReport;
import io.scenepipeline.output.Manifest;
import io.scenepipeline.plan.PlanIds;
import io.scenepipeline.plan.PlanParser;
import io.scenepipeline.plan.PlanValidationException;
import io.scenepipeline.plan.Scene;
import io.scenepipeline.plan.ScenePlan;
import io.scenepipeline.retry.FailureClassifier;
import io.scenepipeline.retry.ProviderBreaker;
import io.scenepipeline.retry.ProviderErrors;
import io.scenepipeline.support.Json;
import io.scenepipeline.support.Secrets;
import java.io.InputStream;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * A plan's life from the inbox to the outbox or the dead-letter folder: intake (read, validate, stage), scene
 * bookkeeping, publishing the finished folder, and writing the dead-letter copy and report.
 */
public final class PlanLifecycle {

    private final PipelineMetrics metrics;
    private final boolean assemblyActive;

    private static final Logger LOG = LoggerFactory.getLogger("scene-pipeline");
    private static final String BYTES = "planBytes";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS").withZone(ZoneOffset.UTC);

    private final PipelineSettings settings;
    private final PlanParser parser;
    private final RunStats stats;
    private final Secrets secrets;
    /** One lock per plan id in use; removed when its last holder or waiter is done, so the map does not grow. */
    private final java.util.Map<String, PlanLock> planLocks = new java.util.concurrent.ConcurrentHashMap<>();

    private static final class PlanLock {
        final java.util.concurrent.Semaphore semaphore = new java.util.concurrent.Semaphore(1, true);
        /** Holders and waiters, changed only inside the map's compute (atomic per key). */
        int users;
    }

    private final ProviderBreaker breaker;

    public PlanLifecycle(PipelineSettings settings, RunStats stats, Secrets secrets, ProviderBreaker breaker, PipelineMetrics metrics,
                         boolean assemblyActive) {
        this.metrics = metrics;
        this.assemblyActive = assemblyActive;
        this.breaker = breaker;
        this.settings = settings;
        this.parser = new PlanParser(settings.faceRigEnabled(), settings.limits().maxScenes(), settings.limits().maxTextChars());
        this.stats = stats;
        this.secrets = secrets;
    }

    /** The plan's file name as it was dropped (the in-flight copy may be renamed). */
    private static String fileName(Exchange exchange) {
        String consumed = exchange.getIn().getHeader("CamelFileNameConsumed", String.class);
        String name = consumed != null ? consumed : exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        return name == null ? null : Path.of(name).getFileName().toString();
    }

    /** Reads and validates the picked-up file; the body becomes the list of scenes to split. */
    public void intake(Exchange exchange) throws IOException, org.apache.camel.InvalidPayloadException {
        String fileName = fileName(exchange);
        Long length = exchange.getIn().getHeader(Exchange.FILE_LENGTH, Long.class);
        long max = settings.limits().maxPlanBytes();
        if (length != null && length > max) {
            throw new PlanValidationException(List.of("(file): is " + length + " bytes; plans are at most " + max
                    + " bytes (pipeline.max-plan-bytes)"));
        }
        byte[] bytes = exchange.getIn().getMandatoryBody(byte[].class);
        exchange.setProperty(BYTES, bytes);
        ScenePlan plan = parser.parse(bytes, fileName);
        holdPlanId(exchange, plan.planId());
        Path staging = AtomicFiles.inside(settings.work().resolve("staging"),
                Path.of(plan.planId() + "-" + STAMP.format(Instant.now())));
        Files.createDirectories(staging);
        PlanRun run = new PlanRun(plan, fileName, staging);
        exchange.setProperty(PlanRun.PROPERTY, run);
        metrics.planStarted();
        exchange.getExchangeExtension().addOnCompletion(new org.apache.camel.support.SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                metrics.planLeft();
            }
        });
        LOG.info("plan={} Starting \"{}\": {} scenes from {}", plan.planId(),
                plan.title() == null ? plan.planId() : plan.title(), plan.scenes().size(), fileName);
        exchange.getIn().setBody(plan.scenes());
    }

    /**
     * Two files with the same plan id never run at the same time (they would publish one outbox folder): the second
     * waits here until the first is done, then usually completes at once from the journal. Released when the
     * exchange completes, however it ends.
     */
    private void holdPlanId(Exchange exchange, String planId) {
        PlanLock lock = planLocks.compute(planId, (k, l) -> {
            PlanLock held = l == null ? new PlanLock() : l;
            held.users++;
            return held;
        });
        if (!lock.semaphore.tryAcquire()) {
            LOG.info("plan={} Waiting: another file of this plan is in flight", planId);
            lock.semaphore.acquireUninterruptibly();
        }
        exchange.getExchangeExtension().addOnCompletion(new org.apache.camel.support.SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                lock.semaphore.release();
                planLocks.compute(planId, (k, l) -> --l.users == 0 ? null : l);
            }
        });
    }

    /** Plan ids with a lock right now (for tests: the map empties when nothing runs). */
    public int planLocksInUse() {
        return planLocks.size();
    }

    /** First thing on a scene exchange (split of the scenes list). */
    public void sceneStart(Exchange exchange) {
        exchange.setProperty(Steps.SCENE, exchange.getIn().getBody(Scene.class));
        exchange.removeProperty(Steps.STEP);
        metrics.sceneStarted();
        exchange.getExchangeExtension().addOnCompletion(new org.apache.camel.support.SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                metrics.sceneLeft();
            }
        });
    }

    /** True once a scene of this plan has failed for good: scenes not yet started then do not start. */
    public boolean planFailed(Exchange exchange) {
        return Steps.run(exchange).firstError() != null;
    }

    /** A scene failed for good: remember why (the plan fails once its running scenes are done). */
    public void sceneFailed(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        PlanRun run = Steps.run(exchange);
        run.sceneFailed(error);
        SceneResult failed = Steps.sceneResult(exchange);
        if (failed != null) {
            failed.steps().stream().filter(StepRecord::finished).forEach(metrics::stepFinished);
        }
        if (run.failure() == null) {
            StepRecord step = Steps.current(exchange);
            Scene scene = Steps.scene(exchange);
            run.fail(new Failure(step == null ? "pipeline" : step.step(), scene == null ? null : scene.sceneNumber(),
                    step == null ? null : step.provider(), false, step == null ? 1 : step.attempts(),
                    FailureClassifier.httpStatus(error), error == null ? "unknown error" : ProviderErrors.describe(error)));
        }
    }

    /** After the split: fails the plan with its first scene failure, if any. */
    public void scenesDone(Exchange exchange) throws Exception {
        PlanRun run = Steps.run(exchange);
        Throwable first = run.firstError() != null ? run.firstError() : exchange.getException();
        if (first instanceof Exception e) {
            throw e;
        }
        if (first != null) {
            throw new IllegalStateException(first);
        }
    }

    public void sceneDone(Exchange exchange) {
        SceneResult result = Steps.sceneResult(exchange);
        result.markComplete();
        result.steps().forEach(metrics::stepFinished);
        PlanRun run = Steps.run(exchange);
        LOG.info("plan={} scene={} Done ({}/{} scenes)", run.planId(), result.sceneNumber(),
                run.completedScenes().size(), run.plan().scenes().size());
    }

    /** A path as the user configured it: relative to the working directory when it lies inside it. */
    static Path shown(Path path) {
        Path cwd = Path.of("").toAbsolutePath();
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(cwd) && !absolute.equals(cwd) ? cwd.relativize(absolute) : path;
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
        long total = narratedOnly ? run.plan().scenes().stream().filter(io.scenepipeline.plan.Scene::hasNarration).count()
                : run.plan().scenes().size();
        LOG.info("plan={} [{}/{}] {}: {}/{} scenes", run.planId(), stages.indexOf(stage) + 1, stages.size(), stage,
                run.stageDone(stage), total);
    }

    /** The stages a plan goes through with these settings, in the order the progress lines number them. */
    List<String> stages() {
        List<String> stages = new java.util.ArrayList<>(List.of("Text-to-image", "Image-to-video", "Narration"));
        if (settings.faceRigEnabled()) {
            stages.add("face_rig");
        }
        if (assemblyActive) {
            stages.add("Assembly");
        }
        return stages;
    }

    /** Writes plan.json and manifest.json, then moves the whole folder into the outbox in one rename. */
    public void publish(Exchange exchange) throws IOException {
        PlanRun run = Steps.run(exchange);
        Path staging = run.stagingDir();
        Instant finished = Instant.now();
        AtomicFiles.write(staging.resolve("plan.json"), exchange.getProperty(BYTES, byte[].class));
        AtomicFiles.write(staging.resolve("manifest.json"), Json.pretty(Manifest.of(run, finished)));
        AtomicFiles.write(staging.resolve("report.html"),
                HtmlReport.succeeded(run, finished, run.finalVideo(),
                        run.assembly() instanceof String note ? "No final video: " + note.replaceFirst("^skipped: ", "") : null).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Path target = AtomicFiles.inside(settings.outbox(), Path.of(run.planId()));
        Files.createDirectories(settings.outbox());
        if (Files.exists(target)) {
            Path old = AtomicFiles.inside(settings.work().resolve("replaced"), Path.of(run.planId() + "-" + STAMP.format(finished)));
            AtomicFiles.move(target, old);
            AtomicFiles.move(staging, target);
            AtomicFiles.deleteTree(old);
        } else {
            AtomicFiles.move(staging, target);
        }
        stats.succeeded();
        breaker.planSucceeded();
        metrics.planEnded("succeeded", Duration.between(run.startedAt(), finished));
        long seconds = (finished.toEpochMilli() - run.startedAt().toEpochMilli()) / 1000;
        LOG.info("plan={} Pipeline succeeded: {} scenes in {} s -> {}", run.planId(), run.scenes().size(), seconds, shown(target));
        int calls = 0;
        int retries = 0;
        int reused = 0;
        for (SceneResult scene : run.scenes()) {
            for (StepRecord step : scene.steps()) {
                if (step.reused()) {
                    reused++;
                } else {
                    calls += step.attempts();
                    retries += step.attempts() - 1;
                }
            }
        }
        LOG.info("plan={} Summary: {} scenes, {} provider steps paid in {} calls ({} retries), {} steps reused from the journal, {} s",
                run.planId(), run.scenes().size(), calls - retries, calls, retries, reused, seconds);
    }

    /**
     * The dead-letter channel: the submitted bytes, unchanged, as {@code <plan>.json} and the report as
     * {@code <plan>.error.json}; an existing name gets a numeric suffix.
     */
    public void deadLetter(Exchange exchange) throws IOException {
        Throwable failure = FailureClassifier.caught(exchange);
        PlanRun run = Steps.run(exchange);
        String fileName = fileName(exchange);
        String planId = run != null ? run.planId() : PlanIds.choose(null, fileName);
        Failure reason = run != null && run.failure() != null ? run.failure() : describe(failure);
        List<String> problems = failure instanceof PlanValidationException v ? v.problems() : null;

        Path folder = settings.deadLetter();
        Path copy = AtomicFiles.claimUnique(folder, planId, ".json");
        String base = copy.getFileName().toString().replaceFirst("\\.json$", "");
        byte[] bytes = exchange.getProperty(BYTES, byte[].class);
        if (bytes != null) {
            AtomicFiles.write(copy, bytes);
        } else {
            // not read yet (too large, or failed before): stream the submitted file, never whole in memory
            try (InputStream in = exchange.getIn().getMandatoryBody(InputStream.class)) {
                AtomicFiles.write(copy, in);
            } catch (org.apache.camel.InvalidPayloadException e) {
                throw new IOException("cannot read the plan file " + fileName + " to dead-letter it", e);
            }
        }
        Path report = AtomicFiles.inside(folder, Path.of(base + ".error.json"));
        Failure redacted = new Failure(reason.stage(), reason.sceneNumber(), reason.provider(), reason.retryable(),
                reason.attempts(), reason.httpStatus(), secrets.redact(reason.error()));
        Instant failedAt = Instant.now();
        AtomicFiles.write(report, Json.pretty(DeadLetterReport.of(planId, fileName, failedAt, redacted,
                run == null ? List.of() : run.completedScenes(), problems)));
        AtomicFiles.write(AtomicFiles.inside(folder, Path.of(base + ".report.html")),
                HtmlReport.failed(planId, run, failedAt, redacted, problems).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (run != null) {
            AtomicFiles.deleteTree(run.stagingDir());
        }
        stats.deadLettered();
        metrics.planEnded(failure instanceof PlanValidationException ? "invalid" : "failed",
                Duration.ofMillis(Math.max(0, System.currentTimeMillis() - exchange.getClock().getCreated())));
        LOG.error("plan={} Pipeline failed: {} -> {}", planId, redacted.error(), shown(copy));
    }

    private static Failure describe(Throwable failure) {
        if (failure instanceof PlanValidationException) {
            return new Failure("validation", null, null, false, 1, null, failure.getMessage());
        }
        String message = failure == null ? "unknown error" : ProviderErrors.describe(failure);
        return new Failure("pipeline", null, null, false, 1, FailureClassifier.httpStatus(failure), message);
    }
}
