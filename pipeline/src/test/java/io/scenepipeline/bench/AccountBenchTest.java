package io.scenepipeline.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The short form of {@code bench/run account} in the suite: many scenes against the account's real limits finish near
 * the bound with no 429, and hundreds of scenes in flight need no more threads than a few.
 */
class AccountBenchTest {

    @Test
    void should_keep_to_the_account_limits_near_the_bound() throws Exception {
        Map<String, Object> r = AccountBench.limits("polling", 2, 20, 1_000, 3_000);

        assertThat(r.get("succeeded_plans")).isEqualTo(2L);
        assertThat(r.get("throttled")).as("429s").isEqualTo(0);
        assertThat((Double) r.get("ratio")).as("makespan / bound of %s", r).isLessThan(1.5);
    }

    @Test
    void should_run_hundreds_of_scenes_in_flight_on_a_few_threads() throws Exception {
        Map<String, Object> r = AccountBench.inFlight(300, 4_000);

        assertThat(r.get("succeeded_plans")).isEqualTo(2L);
        assertThat((Long) r.get("most_in_flight")).isGreaterThanOrEqualTo(250);
        assertThat((Long) r.get("peak_threads")).as("live threads at %s", r.get("threads_at_peak")).isLessThan(150);
    }
}
