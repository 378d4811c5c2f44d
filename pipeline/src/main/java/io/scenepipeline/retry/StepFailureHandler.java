package io.scenepipeline.retry;

import io.scenepipeline.plan.Scene;
import io.scenepipeline.run.Failure;
import io.scenepipeline.run.PlanCanceledException;
import io.scenepipeline.run.PlanRun;
import io.scenepipeline.run.ProviderPausedException;
import io.scenepipeline.run.StepRecord;
import io.scenepipeline.run.Steps;
import io.scenepipeline.support.Causes;
import io.scenepipeline.support.Secrets;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.math.BigDecimal;
import java.util.function.BiConsumer;
import io.scenepipeline.run.StepTimeline;

/**
 * Runs on every failed provider call of one retry component ({@code onExceptionOccurredRef} of its route
 * configuration), before Camel redelivers or gives up. It does not decide: it asks the component's
 * {@link RetryDecider} (the {@code retryWhile} asks the same one, and gets the same answer), says the decision in the
 * original pipeline's words, sets the wait of the coming redelivery ({@code CamelRedeliveryDelay}), counts it in the
 * metrics and the breaker, and records the final failure for the dead-letter report.
 */
public final class StepFailureHandler implements Processor {

    private static final Logger LOG = Logs.of(StepFailureHandler.class);

    private final RetryDecider decider;
    private final Secrets secrets;
    private final ProviderBreaker breaker;
    private final RetryEvents metrics;

    /** Told of every failed call first (face_rig's server pool sets a server aside that lost a connection). */
    private final BiConsumer<Exchange, Throwable> listener;

    public StepFailureHandler(RetryDecider decider, Secrets secrets, ProviderBreaker breaker, RetryEvents metrics,
                              BiConsumer<Exchange, Throwable> listener) {
        this.decider = decider;
        this.secrets = secrets;
        this.breaker = breaker;
        this.metrics = metrics;
        this.listener = listener;
    }

    public String component() {
        return decider.component();
    }

    @Override
    public void process(Exchange exchange) {
        Throwable failure = FailureClassifier.caught(exchange);
        if (failure == null) {
            return;
        }
        listener.accept(exchange, failure);
        RetryDecision decision = decider.decide(exchange);
        String where = Steps.context(exchange);
        // the endpoint last sent to is the call that failed (FAILURE_ENDPOINT is only set after this processor)
        String message = secrets.redact(ProviderErrors.describe(failure, exchange.getProperty(Exchange.TO_ENDPOINT, String.class)));
        StepRecord step = Steps.current(exchange);
        String provider = step == null ? "unknown" : step.provider();
        String stepName = step == null ? "unknown" : step.step();
        int attempts = decider.maximumAttempts();
        if (decision.verdict() == RetryDecision.Verdict.RETRY || decision.verdict() == RetryDecision.Verdict.EXHAUSTED) {
            // a step's later call (its output's download) counts its own attempts: the line says which call it was
            String call = decider.call(exchange);
            LOG.warn("{} Attempt {}/{} failed{}: {}", where, decision.attempt(), attempts, call == null ? "" : " (" + call + ")", message);
        }
        timeline(step, decision, failure, message);
        switch (decision.verdict()) {
            case THROTTLED -> {
                // backpressure: waited out and tried again, no attempt, no budget, no breaker (the pace says it in the log);
                // an operator's pause is no provider's 429
                if (!Causes.of(failure).stream().anyMatch(ProviderPausedException.class::isInstance)) {
                    metrics.throttled(provider, stepName);
                }
                exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, decision.waitMs());
                LOG.debug("{} Throttled ({}); trying again in {} seconds", where, message, seconds(decision.waitMs()));
            }
            case HANDED_ON ->
                // cluster mode: another node took the step over; the plan's "Left to the node that took it over" says so
                    recordFailure(exchange, step, false, decision.attempt(), failure, message);
            case PERMANENT -> {
                if (Causes.of(failure).stream().anyMatch(PlanCanceledException.class::isInstance)) {
                    metrics.call(provider, stepName, RetryEvents.CANCELED);
                    LOG.warn("{} Stopped: {}", where, message);
                } else {
                    metrics.call(provider, stepName, RetryEvents.FAILED_PERMANENT);
                    LOG.error("{} Non-retryable error: {}", where, message);
                }
                recordFailure(exchange, step, false, decision.attempt(), failure, message);
            }
            case EXHAUSTED -> {
                metrics.call(provider, stepName, RetryEvents.FAILED_EXHAUSTED);
                if (decision.refused() == null) {
                    LOG.error("{} All {} attempts failed", where, attempts);
                } else {
                    LOG.error("{} Not retried: {}", where, decision.refused());
                }
                recordFailure(exchange, step, true, decision.attempt(), failure,
                        decision.refused() == null ? message : message + "; " + decision.refused());
                breaker.exhausted(provider, message);
            }
            case RETRY -> {
                metrics.retry(provider, stepName, failure);
                exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, decision.waitMs());
                LOG.warn("{} Retrying in {} seconds...", where, seconds(decision.waitMs()));
                if (step != null) {
                    step.nextAttempt();
                }
            }
        }
    }

    /** The attempt's bar on the step's timeline, and the wait that follows it. */
    private static void timeline(StepRecord step, RetryDecision decision, Throwable failure, String message) {
        if (step == null) {
            return;
        }
        boolean paused = Causes.of(failure).stream().anyMatch(ProviderPausedException.class::isInstance);
        boolean canceled = Causes.of(failure).stream().anyMatch(PlanCanceledException.class::isInstance);
        StepTimeline timeline = step.timeline();
        long until = System.currentTimeMillis() + decision.waitMs();
        switch (decision.verdict()) {
            case THROTTLED -> {
                timeline.attemptEnded(paused ? "paused" : "throttled", message);
                timeline.waitStarted(paused ? "paused" : "throttled", paused ? null : until);
            }
            case RETRY -> {
                timeline.attemptEnded("retried", message);
                timeline.waitStarted("retry", until);
            }
            case HANDED_ON -> timeline.attemptEnded("handed_on", message);
            default -> timeline.attemptEnded(canceled ? "canceled" : "failed", message);
        }
    }

    private static void recordFailure(Exchange exchange, StepRecord step, boolean retryable, int attempt,
                                      Throwable failure, String message) {
        PlanRun run = Steps.run(exchange);
        if (run == null) {
            return;
        }
        Scene scene = Steps.scene(exchange);
        run.fail(new Failure(step == null ? "unknown" : step.step(), scene == null ? null : scene.sceneNumber(),
                step == null ? null : step.provider(), retryable, attempt, FailureClassifier.httpStatus(failure), message));
    }

    static String seconds(long millis) {
        return BigDecimal.valueOf(millis).movePointLeft(3).stripTrailingZeros().toPlainString();
    }
}
