package io.scenepipeline.retry;

import io.scenepipeline.run.StepRecord;
import io.scenepipeline.run.Steps;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A retry is decided in one place, once per failure, however often Camel asks (the failure handler, then retryWhile). */
class RetryDeciderTest {

    private final RetryBudget budget = new RetryBudget(0, 1, Duration.ofMinutes(1), System::nanoTime);
    private final RetryDecider decider = new RetryDecider("video", new Backoff(2, 10, 2, 100, 0),
            FailureClassifier.ofStatusList("500,503"), budget, new Throttling(Duration.ofMinutes(1)));

    private static Exchange failed(Exchange exchange, Exception failure, int redeliveryCounter) {
        exchange.setException(failure);
        exchange.getIn().setHeader(Exchange.REDELIVERY_COUNTER, redeliveryCounter);
        return exchange;
    }

    private static Exchange step() {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        Steps.resume(exchange, new StepRecord("text-to-image", "replicate", "google/imagen-3", "key"));
        return exchange;
    }

    @Test
    void should_decide_each_failure_once_however_often_it_is_asked() {
        Exchange exchange = failed(step(), new ConnectException("Connection refused"), 1);

        RetryDecision told = decider.decide(exchange);
        boolean redelivered = decider.redeliver(exchange);

        assertThat(told.verdict()).isEqualTo(RetryDecision.Verdict.RETRY);
        assertThat(told.attempt()).isEqualTo(1);
        assertThat(told.waitMs()).isEqualTo(10);
        assertThat(redelivered).isTrue();
        assertThat(decider.decide(exchange)).isSameAs(told);
        // the budget (one retry in the window) was asked once: the next failure of the unit is refused by it
        RetryDecision next = decider.decide(failed(exchange, new ConnectException("Connection refused"), 2));
        assertThat(next.verdict()).isEqualTo(RetryDecision.Verdict.EXHAUSTED);
        assertThat(next.refused()).startsWith("the retry budget refused a retry to replicate");
    }

    @Test
    void should_not_retry_a_permanent_failure_and_wait_out_a_slow_down_without_an_attempt() {
        Exchange permanent = failed(step(), new HttpOperationFailedException("u", 401, "Unauthorized", null, Map.of(), ""), 1);
        Exchange throttled = failed(step(), new HttpOperationFailedException("u", 429, "Too Many Requests", null,
                Map.of("Retry-After", "2"), ""), 1);

        assertThat(decider.redeliver(permanent)).isFalse();
        assertThat(decider.decide(permanent).verdict()).isEqualTo(RetryDecision.Verdict.PERMANENT);
        assertThat(decider.redeliver(throttled)).isTrue();
        assertThat(decider.decide(throttled).verdict()).isEqualTo(RetryDecision.Verdict.THROTTLED);
        assertThat(decider.decide(throttled).waitMs()).isEqualTo(100); // asked 2 s, capped at maximumRedeliveryDelay
    }
}
