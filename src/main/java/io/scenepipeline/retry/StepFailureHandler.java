package io.scenepipeline.retry;

import io.scenepipeline.provider.RetryAfter;
import io.scenepipeline.plan.Scene;
import io.scenepipeline.run.Failure;
import io.scenepipeline.run.PlanRun;
import io.scenepipeline.run.StepRecord;
import io.scenepipeline.run.Steps;
import io.scenepipeline.state.ClaimLostException;
import io.scenepipeline.support.Causes;
import io.scenepipeline.support.Secrets;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.function.BiConsumer;

/**
 * Runs on every failed provider call of one retry component ({@code onExceptionOccurredRef} of its route
 * configuration), before Camel decides to redeliver. It logs the attempt in the original pipeline's words,
 * sets the wait of the coming redelivery ({@code CamelRedeliveryDelay}: the component's backoff, raised to what a
 * 429 asks for, never above {@code maximumRedeliveryDelay}), and records the final failure for the dead-letter
 * report. It decides whether Camel redelivers ({@link #RETRY}, read by the retryable clause's {@code retryWhile}): while
 * attempts are left and the provider's {@link RetryBudget} grants the retry, and always after a provider's "slow down"
 * ({@link Throttling}), which spends neither.
 */
public final class StepFailureHandler implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger("scene-pipeline");

    /** Exchange property read by the route configuration's {@code retryWhile}: this failure is to be redelivered. */
    public static final String RETRY = "retryGranted";

    private final String component;
    private final Backoff backoff;
    private final FailureClassifier classifier;
    private final Secrets secrets;
    private final ProviderBreaker breaker;
    private final RetryEvents metrics;
    private final RetryBudget budget;
    private final Throttling throttling;

    /** Told of every failed call first (face_rig's server pool sets a server aside that lost a connection). */
    private final BiConsumer<Exchange, Throwable> listener;

    public StepFailureHandler(String component, Backoff backoff, FailureClassifier classifier, Secrets secrets, ProviderBreaker breaker,
                              RetryEvents metrics, RetryBudget budget, Throttling throttling, BiConsumer<Exchange, Throwable> listener) {
        this.budget = budget;
        this.throttling = throttling;
        this.listener = listener;
        this.metrics = metrics;
        this.component = component;
        this.backoff = backoff;
        this.classifier = classifier;
        this.secrets = secrets;
        this.breaker = breaker;
    }

    public String component() {
        return component;
    }

    @Override
    public void process(Exchange exchange) {
        exchange.setProperty(RETRY, false);
        Throwable failure = FailureClassifier.caught(exchange);
        if (failure == null) {
            return;
        }
        listener.accept(exchange, failure);
        String where = Steps.context(exchange);
        // the endpoint last sent to is the call that failed (FAILURE_ENDPOINT is only set after this processor)
        String message = secrets.redact(ProviderErrors.describe(failure, exchange.getProperty(Exchange.TO_ENDPOINT, String.class)));
        boolean retryable = classifier.isRetryable(failure);
        StepRecord step = Steps.current(exchange);
        String provider = step == null ? "unknown" : step.provider();
        String stepName = step == null ? "unknown" : step.step();
        if (throttling.applies(exchange, failure)) {
            // backpressure: waited out and tried again, no attempt, no budget, no breaker (the pace says it in the log)
            long wait = throttling.waitBefore(exchange, failure, backoff);
            metrics.throttled(provider, stepName);
            exchange.setProperty(RETRY, true);
            exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, wait);
            LOG.debug("{} Throttled ({}); trying again in {} seconds", where, message, seconds(wait));
            return;
        }
        // Camel has already counted this failure in CamelRedeliveryCounter (1 on the first failure of a call; the
        // routes clear that header before each call); the redeliveries a throttle asked for are not attempts
        int attempt = Math.max(1, exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class)
                - Throttling.spent(exchange));
        int attempts = backoff.maximumAttempts();
        if (Causes.of(failure).stream().anyMatch(ClaimLostException.class::isInstance)) {
            // cluster mode: another node took the step over; the plan's "Left to the node that took it over" says so
            recordFailure(exchange, step, false, attempt, failure, message);
            return;
        }
        if (!retryable) {
            metrics.call(provider, stepName, RetryEvents.FAILED_PERMANENT);
            LOG.error("{} Non-retryable error: {}", where, message);
            recordFailure(exchange, step, false, attempt, failure, message);
            return;
        }
        LOG.warn("{} Attempt {}/{} failed: {}", where, attempt, attempts, message);
        // a retry is asked of the provider's budget only while the call has attempts left
        String refused = attempt >= attempts ? null : budget.tryRetry(provider);
        if (attempt >= attempts || refused != null) {
            metrics.call(provider, stepName, RetryEvents.FAILED_EXHAUSTED);
            if (refused == null) {
                LOG.error("{} All {} attempts failed", where, attempts);
            } else {
                LOG.error("{} Not retried: {}", where, refused);
            }
            recordFailure(exchange, step, true, attempt, failure, refused == null ? message : message + "; " + refused);
            breaker.exhausted(provider, message);
            return;
        }
        exchange.setProperty(RETRY, true);
        metrics.retry(provider, stepName, failure);
        long delay = delayBefore(attempt, failure);
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, delay);
        LOG.warn("{} Retrying in {} seconds...", where, seconds(delay));
        if (step != null) {
            step.nextAttempt();
        }
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
