package io.scenepipeline.provider.replicate;

import io.scenepipeline.provider.AccountPace;
import io.scenepipeline.state.SlotLedger;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** What Replicate's 429s, as it words them, tell the account's pace. */
class ReplicateThrottleTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final AccountPace creates = new AccountPace("Replicate creates", "replicate.max-creates-per-minute", 600, 5,
            Duration.ofSeconds(60), SlotLedger.LOCAL, null, Runnable::run, now::get);

    @Test
    void should_pace_to_the_limit_a_low_credit_account_is_told() {
        ReplicateThrottle.tell(creates, throttled("{\"detail\":\"Request was throttled. Your rate limit for creating predictions is reduced to 6 "
                + "requests per minute with a burst of 1 requests while you have less than $5.0 in credit. Your rate limit resets in ~5s.\","
                + "\"status\":429,\"retry_after\":5}"));

        assertThat(creates.perMinute()).isEqualTo(6.0);
        assertThat(creates.reserve()).as("everyone waits for the reset").isEqualTo(5000L);
        assertThat(creates.reserve()).as("then one every 10 s").isEqualTo(15_000L);
    }

    @Test
    void should_halve_the_pace_on_a_plain_429_and_wait_for_the_reset_it_names() {
        ReplicateThrottle.tell(creates, throttled("{\"detail\":\"Request was throttled. Your rate limit resets in ~3s.\"}"));

        assertThat(creates.perMinute()).isEqualTo(300.0);
        assertThat(creates.reserve()).isEqualTo(3000L);
    }

    @Test
    void should_leave_the_pace_alone_on_any_other_failure() {
        ReplicateThrottle.tell(creates, new HttpOperationFailedException("u", 503, "Service Unavailable", null, Map.of(), "{}"));

        assertThat(creates.perMinute()).isEqualTo(600.0);
        assertThat(creates.throttledCount()).isZero();
    }

    private static HttpOperationFailedException throttled(String body) {
        return new HttpOperationFailedException("https://api.replicate.com/v1/models/google/imagen-3/predictions", 429,
                "Too Many Requests", null, Map.of(), body);
    }
}
