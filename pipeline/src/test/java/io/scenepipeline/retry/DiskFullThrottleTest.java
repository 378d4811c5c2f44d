package io.scenepipeline.retry;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** A local write that failed while the disk is short is waited out like a provider's "slow down", never a failure. */
class DiskFullThrottleTest {

    @Test
    void should_wait_out_a_failed_write_only_while_the_disk_is_short() {
        AtomicBoolean shortOfSpace = new AtomicBoolean(true);
        Throttling throttling = new Throttling(Duration.ofMillis(1), shortOfSpace::get);
        RetryUnit exchange = new RetryUnit();
        IOException full = new IOException("No space left on device");

        assertThat(throttling.applies(exchange, full)).isTrue();
        // past retry.throttle-limit too: as long as the disk is short, nothing is paid and no attempt is spent
        assertThat(throttling.applies(exchange, new RuntimeException("wrapped", full))).isTrue();
        assertThat(throttling.applies(exchange, new IllegalStateException("a bug"))).isFalse();

        shortOfSpace.set(false);
        assertThat(throttling.applies(exchange, full)).as("with room, a failed write is an ordinary failure").isFalse();
    }
}
