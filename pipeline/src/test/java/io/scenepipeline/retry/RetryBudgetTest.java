package io.scenepipeline.retry;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RetryBudgetTest {

    private final AtomicLong now = new AtomicLong();
    private final RetryBudget budget = new RetryBudget(20, 3, Duration.ofSeconds(60), now::get);

    @Test
    void should_grant_the_minimum_to_a_lone_failure() {
        budget.deposit("replicate");
        assertThat(budget.tryRetry("replicate")).isNull();
        assertThat(budget.tryRetry("replicate")).isNull();
        assertThat(budget.tryRetry("replicate")).isNull();
        assertThat(budget.tryRetry("replicate")).isEqualTo("the retry budget refused a retry to replicate (3 retries against 1 first attempts in the last 60 s)");
    }

    @Test
    void should_grant_a_percentage_of_first_attempts_per_provider_within_the_window() {
        for (int i = 0; i < 100; i++) {
            budget.deposit("replicate");
        }
        int granted = 0;
        while (budget.tryRetry("replicate") == null) {
            granted++;
        }
        assertThat(granted).isEqualTo(23);
        assertThat(budget.tryRetry("elevenlabs")).as("another provider's budget").isNull();

        now.addAndGet(Duration.ofSeconds(61).toNanos());
        budget.deposit("replicate");
        assertThat(budget.tryRetry("replicate")).as("the window has slid past the old retries").isNull();
    }
}
