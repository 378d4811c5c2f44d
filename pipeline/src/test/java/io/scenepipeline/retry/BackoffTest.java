package io.scenepipeline.retry;

import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

    @Test
    void should_wait_5_then_10_seconds_with_the_defaults() {
        Backoff defaults = new Backoff(2, 5000, 2, 60000, 0);

        assertThat(defaults.maximumAttempts()).isEqualTo(3);
        assertThat(defaults.delayBefore(1)).isEqualTo(5000);
        assertThat(defaults.delayBefore(2)).isEqualTo(10000);
    }

    @Test
    void should_compute_what_camels_redelivery_policy_computes() {
        RedeliveryPolicy camel = new RedeliveryPolicy().redeliveryDelay(300).backOffMultiplier(3).maximumRedeliveryDelay(20000);
        camel.useExponentialBackOff();
        Backoff ours = new Backoff(6, 300, 3, 20000, 0);

        long previous = 0;
        for (int redelivery = 1; redelivery <= 6; redelivery++) {
            long expected = camel.calculateRedeliveryDelay(previous, redelivery);
            assertThat(ours.delayBefore(redelivery)).as("redelivery %d", redelivery).isEqualTo(expected);
            previous = expected;
        }
    }

    @Test
    void should_cap_each_wait_and_keep_jitter_within_its_factor() {
        Backoff capped = new Backoff(5, 5000, 2, 12000, 0);
        Backoff jittered = new Backoff(5, 1000, 2, 60000, 0.2);

        assertThat(capped.delayBefore(3)).isEqualTo(12000);
        // Camel jitters each wait computed from the (jittered) last one: 1000 ±20 %, times 2, ±20 % again
        for (int i = 0; i < 200; i++) {
            assertThat(jittered.delayBefore(1)).isBetween(800L, 1200L);
            assertThat(jittered.delayBefore(2)).isBetween(1280L, 2880L);
        }
    }
}
