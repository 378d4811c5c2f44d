package io.scenepipeline.retry;

import io.scenepipeline.provider.RetryAfter;
import io.scenepipeline.state.Pauses;
import io.scenepipeline.run.PlanRun;
import io.scenepipeline.run.ProviderPausedException;
import io.scenepipeline.run.StepRecord;
import io.scenepipeline.run.Steps;
import io.scenepipeline.state.ClaimLostException;
import io.scenepipeline.support.Causes;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.util.ObjectHelper;

import java.time.Instant;
import java.util.OptionalLong;

/**
 * Where a retry is decided, for one retry component (docs/retries.md), in one place: whether a failed call is
 * redelivered, after how long, and as which attempt. Its route configuration ({@code config.RetryConfigurations}) asks
 * it directly: {@code retryWhile} is {@link #redeliver}; the failure handler ({@link StepFailureHandler}, on each
 * failure) asks {@link #decide} to log the same decision and set its wait; and every call into a retry unit passes
 * {@link #enter}, which starts a new unit afresh unless it is the redelivery just granted.
 *
 * <p>The rules, in order: a provider's "slow down" (or a write that failed while the disk is short) is waited out
 * ({@link Throttling}) without spending an attempt, the budget or the breaker; a step another node took over is not
 * retried; a failure the {@link FailureClassifier} calls permanent is not retried; a transient one is retried while the
 * unit has attempts left ({@code maximumRedeliveries}) and the provider's {@link RetryBudget} grants it, after the
 * component's backoff ({@link Backoff}: Camel's own exponential policy), raised to what a 429 asks for.
 */
public final class RetryDecider {

    private final String component;
    private final Backoff backoff;
    private final FailureClassifier classifier;
    private final RetryBudget budget;
    private final Throttling throttling;
    private final Pauses pauses;

    /** How often a step that waits for a paused provider looks again. */
    static final long PAUSED_LOOK_MS = 1000;

    public RetryDecider(String component, Backoff backoff, FailureClassifier classifier, RetryBudget budget, Throttling throttling) {
        this(component, backoff, classifier, budget, throttling, Pauses.inMemory());
    }

    /** @param pauses the providers the operator paused: no call goes to them until resumed */
    public RetryDecider(String component, Backoff backoff, FailureClassifier classifier, RetryBudget budget, Throttling throttling,
                        Pauses pauses) {
        this.pauses = pauses;
        this.component = component;
        this.backoff = backoff;
        this.classifier = classifier;
        this.budget = budget;
        this.throttling = throttling;
    }

    public String component() {
        return component;
    }

    public int maximumAttempts() {
        return backoff.maximumAttempts();
    }

    /**
     * Every call into a retry unit from a route of this component: a redelivery goes on counting; anything else is a
     * new unit, its redeliveries counted afresh (Camel reads the count from the {@code CamelRedelivery*} headers) and
     * a first attempt to the step's provider (the retry budget's base). Then, before the call: a plan the operator
     * canceled stops here, and a call to a paused provider is not made (it waits, no attempt spent).
     */
    public void enter(Exchange exchange) {
        RetryUnit unit = RetryUnit.of(exchange);
        StepRecord step = Steps.current(exchange);
        if (unit.redelivering) {
            unit.redelivering = false;
        } else {
            unit.fresh();
            String endpoint = exchange.getProperty(Exchange.INTERCEPTED_ENDPOINT, String.class);
            unit.call = endpoint != null && endpoint.endsWith("-download") ? "download" : null;
            exchange.getIn().removeHeaders("CamelRedelivery*");
            budget.deposit(step == null ? "unknown" : step.provider());
        }
        PlanRun run = Steps.run(exchange);
        if (run != null && (step == null || !step.isOutputPaid())) {
            // a canceled plan's calls stop here; an output already made and billed is still fetched and kept
            run.checkCanceled();
        }
        Pauses.Pause pause = step == null ? null : pauses.of(step.provider());
        if (pause != null) {
            throw new ProviderPausedException(pause);
        }
        if (step != null && !step.finished()) {
            step.timeline().attemptStarted(step.attempts());
        }
    }

    /** The call a failure of this exchange's unit is of, when it is not the step's own ({@code download}), else null. */
    public String call(Exchange exchange) {
        return RetryUnit.of(exchange).call;
    }

    /** For {@code retryWhile}: the failed call is redelivered. */
    public boolean redeliver(Exchange exchange) {
        RetryDecision decision = decide(exchange);
        if (decision.redelivers()) {
            RetryUnit.of(exchange).redelivering = true;
        }
        return decision.redelivers();
    }

    /** What becomes of the exchange's failed call; decided once per failure, however often it is asked. */
    public RetryDecision decide(Exchange exchange) {
        Throwable failure = FailureClassifier.caught(exchange);
        RetryUnit unit = RetryUnit.of(exchange);
        int counter = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        if (unit.decided != null && unit.decidedFor == failure && unit.decidedAt == counter) {
            return unit.decided;
        }
        StepRecord step = Steps.current(exchange);
        RetryDecision decision = decide(unit, failure, counter, step == null ? "unknown" : step.provider());
        unit.decided = decision;
        unit.decidedFor = failure;
        unit.decidedAt = counter;
        return decision;
    }

    private RetryDecision decide(RetryUnit unit, Throwable failure, int counter, String provider) {
        if (failure == null) {
            return new RetryDecision(RetryDecision.Verdict.PERMANENT, 1, 0, null);
        }
        if (Causes.of(failure).stream().anyMatch(ProviderPausedException.class::isInstance)) {
            // the operator's pause: looked at again shortly, not an attempt, not throttling (no limit to how long)
            unit.throttled++;
            return new RetryDecision(RetryDecision.Verdict.THROTTLED, Math.max(1, counter - unit.throttled), PAUSED_LOOK_MS, null);
        }
        if (throttling.applies(unit, failure)) {
            return new RetryDecision(RetryDecision.Verdict.THROTTLED, Math.max(1, counter - unit.throttled),
                    throttling.waitBefore(unit, failure, backoff), null);
        }
        // Camel has counted this failure in CamelRedeliveryCounter (1 on the first failure of a unit); the redeliveries
        // a throttle asked for are not attempts
        int attempt = Math.max(1, counter - unit.throttled);
        if (Causes.of(failure).stream().anyMatch(ClaimLostException.class::isInstance)) {
            return new RetryDecision(RetryDecision.Verdict.HANDED_ON, attempt, 0, null);
        }
        if (!classifier.isRetryable(failure)) {
            return new RetryDecision(RetryDecision.Verdict.PERMANENT, attempt, 0, null);
        }
        if (attempt >= backoff.maximumAttempts()) {
            return new RetryDecision(RetryDecision.Verdict.EXHAUSTED, attempt, 0, null);
        }
        // a retry is asked of the provider's budget only while the call has attempts left
        String refused = budget.tryRetry(provider);
        if (refused != null) {
            return new RetryDecision(RetryDecision.Verdict.EXHAUSTED, attempt, 0, refused);
        }
        return new RetryDecision(RetryDecision.Verdict.RETRY, attempt, delayBefore(attempt, failure), null);
    }

    /** The wait before redelivery number {@code redelivery}: the backoff, or longer when a 429 asks for it. */
    long delayBefore(int redelivery, Throwable failure) {
        long delay = backoff.delayBefore(redelivery);
        HttpOperationFailedException http = ObjectHelper.getException(HttpOperationFailedException.class, failure);
        if (http != null) {
            OptionalLong asked = RetryAfter.millis(http, Instant.now());
            if (asked.isPresent() && asked.getAsLong() > delay) {
                delay = backoff.maximumRedeliveryDelay() > 0
                        ? Math.min(asked.getAsLong(), backoff.maximumRedeliveryDelay()) : asked.getAsLong();
            }
        }
        return delay;
    }
}
