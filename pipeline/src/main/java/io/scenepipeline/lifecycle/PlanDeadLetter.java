package io.scenepipeline.lifecycle;

import io.scenepipeline.observe.PipelineMetrics;
import io.scenepipeline.output.DeadLetterReport;
import io.scenepipeline.output.DeadLetters;
import io.scenepipeline.output.HtmlReport;
import io.scenepipeline.plan.PlanIds;
import io.scenepipeline.plan.PlanValidationException;
import io.scenepipeline.retry.FailureClassifier;
import io.scenepipeline.retry.ProviderErrors;
import io.scenepipeline.run.Failure;
import io.scenepipeline.run.PlanRun;
import io.scenepipeline.run.RunStats;
import io.scenepipeline.run.Steps;
import io.scenepipeline.state.RunOutcomes;
import io.scenepipeline.support.AtomicFiles;
import io.scenepipeline.support.FileProblems;
import io.scenepipeline.support.Json;
import io.scenepipeline.support.SafeText;
import io.scenepipeline.support.Secrets;
import io.scenepipeline.support.ShownPath;
import org.apache.camel.Exchange;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dead-letter channel of the inbox: a plan that cannot finish goes to {@code pipeline.dead-letter} as the
 * submitted bytes, unchanged, with {@code <plan>.error.json} and {@code <plan>.report.html} (an existing name gets a
 * numeric suffix). Only failures come here: a plan a stop cut off, or one handed on to another node, is left by its own
 * clause before ({@link PlanOutcomes}).
 */
public final class PlanDeadLetter {

    private static final Logger LOG = Logs.of(PlanDeadLetter.class);

    private final RunOutcomes journal;
    private final DeadLetters letters;
    private final RunStats stats;
    private final Secrets secrets;
    private final PipelineMetrics metrics;
    private final Set<String> stuck = ConcurrentHashMap.newKeySet();

    public PlanDeadLetter(DeadLetters letters, RunStats stats, Secrets secrets, PipelineMetrics metrics, RunOutcomes journal) {
        this.journal = journal;
        this.letters = letters;
        this.stats = stats;
        this.secrets = secrets;
        this.metrics = metrics;
    }

    public void deadLetter(Exchange exchange) throws IOException {
        Throwable failure = FailureClassifier.caught(exchange);
        PlanRun run = Steps.run(exchange);
        String fileName = PlanIntake.fileName(exchange);
        String planId = run != null ? run.planId() : PlanIds.choose(null, fileName);
        if (run != null && run.runId() != null && !journal.decide(run.runId(), planId, "dead-lettered", run.costUsd())) {
            // cluster mode: another node already ended this run (a late delivery): no second outcome
            LOG.info("plan={} Not dead-lettered: this run already ended ({})", planId, journal.outcome(run.runId()).orElse("elsewhere"));
            AtomicFiles.deleteTree(run.stagingDir());
            return;
        }
        Failure reason = run != null && run.failure() != null ? run.failure() : describe(failure);
        List<String> problems = failure instanceof PlanValidationException v ? v.problems() : null;
        Failure redacted = new Failure(reason.stage(), reason.sceneNumber(), reason.provider(), reason.retryable(),
                reason.attempts(), reason.httpStatus(), SafeText.cap(secrets.redact(reason.error())));
        PlanDelivery submitted = PlanDelivery.peek(exchange);
        byte[] bytes = submitted == null ? null : submitted.bytes();
        DeadLetters.Source source = bytes != null ? DeadLetters.Source.of(bytes) : DeadLetters.Source.of(PlanIntake.inflightFile(exchange));
        DeadLetters.Delivery delivery;
        try {
            delivery = send(planId, fileName, source, redacted, run, problems);
        } catch (IOException | RuntimeException e) {
            if (run != null && run.runId() != null) {
                journal.undecide(run.runId());
            }
            throw e;
        }
        if (run != null) {
            AtomicFiles.deleteTree(run.stagingDir());
        }
        stats.deadLettered();
        metrics.planEnded(failure instanceof PlanValidationException ? "invalid" : "failed",
                Duration.ofMillis(Math.max(0, System.currentTimeMillis() - exchange.getClock().getCreated())));
        LOG.error("plan={} Pipeline failed: {} -> {}", planId, redacted.error(),
                delivery.plan() != null ? ShownPath.of(delivery.plan()) : "waiting for the dead-letter folder");
    }

    /**
     * An inbox entry that is not a regular file (a link, a pipe, a device): moved as itself into the dead letters,
     * never opened. When even that fails it stays where it is, with one line.
     */
    public void setAside(Path entry, String problem) {
        String name = entry.getFileName().toString();
        String planId = PlanIds.choose(null, name);
        Failure failure = new Failure("validation", null, null, false, 1, null, "Invalid plan (1 problem): (file): " + problem);
        try {
            DeadLetters.Delivery delivery = send(planId, name, DeadLetters.Source.of(entry), failure, null, List.of("(file): " + problem));
            stuck.remove(name);
            stats.deadLettered();
            metrics.planEnded("invalid", Duration.ZERO);
            LOG.error("plan={} Pipeline failed: {} -> {}", planId, failure.error(),
                    delivery.plan() != null ? ShownPath.of(delivery.plan()) : "waiting for the dead-letter folder");
        } catch (IOException | RuntimeException e) {
            if (stuck.add(name)) {
                LOG.warn("{}; it cannot be moved aside ({}), so it is left in the inbox", problem,
                        e instanceof IOException io ? FileProblems.reason(io) : e.getMessage());
            }
        }
    }

    private DeadLetters.Delivery send(String planId, String fileName, DeadLetters.Source source, Failure failure, PlanRun run,
                                      List<String> problems) throws IOException {
        Instant failedAt = Instant.now();
        List<String> safeProblems = problems == null ? null : problems.stream().map(p -> SafeText.cap(secrets.redact(p))).toList();
        byte[] json = Json.pretty(DeadLetterReport.of(planId, fileName, failedAt, failure, run, safeProblems));
        byte[] html = HtmlReport.failed(planId, run, failedAt, failure, safeProblems).getBytes(StandardCharsets.UTF_8);
        try {
            return letters.send(planId, source, json, html);
        } catch (IOException e) {
            LOG.error("plan={} cannot keep the dead letter in the work folder ({}); the plan stays in flight for the next start",
                    planId, FileProblems.reason(e));
            throw e;
        }
    }

    private static Failure describe(Throwable failure) {
        if (failure instanceof PlanValidationException) {
            return new Failure("validation", null, null, false, 1, null, failure.getMessage());
        }
        String message = failure == null ? "unknown error" : ProviderErrors.describe(failure);
        return new Failure("pipeline", null, null, false, 1, FailureClassifier.httpStatus(failure), message);
    }
}
