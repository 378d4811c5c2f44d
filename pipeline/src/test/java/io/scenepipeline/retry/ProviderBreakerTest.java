package io.scenepipeline.retry;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ProviderBreakerTest {

    /** A clock the test moves by hand. */
    private static final class TestClock extends Clock {
        private volatile Instant now = Instant.parse("2026-12-01T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final TestClock clock = new TestClock();

    @Test
    void should_open_only_when_the_window_holds_the_failures() {
        ProviderBreaker breaker = new ProviderBreaker(new BreakerSettings(2, Duration.ofMinutes(1), Duration.ofHours(1)), new io.scenepipeline.support.IntakeSwitch(List.of("inbox")), clock);
        breaker.exhausted("replicate", "503");
        clock.advance(Duration.ofSeconds(61));
        breaker.exhausted("replicate", "503");
        assertThat(breaker.state()).as("the first failure slid out of the window").isEqualTo(ProviderBreaker.State.CLOSED);

        clock.advance(Duration.ofSeconds(30));
        breaker.exhausted("elevenlabs", "timeout");
        assertThat(breaker.state()).isEqualTo(ProviderBreaker.State.OPEN);
        assertThat(breaker.lastReason()).isEqualTo("elevenlabs timeout");
    }

    @Test
    void should_close_after_a_successful_probe_and_open_again_after_a_failed_one() {
        ProviderBreaker breaker = new ProviderBreaker(new BreakerSettings(1, Duration.ofMinutes(1), Duration.ofMillis(50)), new io.scenepipeline.support.IntakeSwitch(List.of("inbox")), clock);
        breaker.planSucceeded();
        assertThat(breaker.state()).as("a success while closed changes nothing").isEqualTo(ProviderBreaker.State.CLOSED);
        breaker.exhausted("replicate", "503");
        assertThat(breaker.state()).isEqualTo(ProviderBreaker.State.OPEN);
        await().atMost(Duration.ofSeconds(5)).until(() -> breaker.state() == ProviderBreaker.State.HALF_OPEN);
        breaker.exhausted("replicate", "503 again");
        assertThat(breaker.state()).as("the probe failed").isEqualTo(ProviderBreaker.State.OPEN);
        await().atMost(Duration.ofSeconds(5)).until(() -> breaker.state() == ProviderBreaker.State.HALF_OPEN);
        breaker.planSucceeded();
        assertThat(breaker.state()).isEqualTo(ProviderBreaker.State.CLOSED);
    }

    @Test
    void should_never_open_when_turned_off() {
        ProviderBreaker breaker = new ProviderBreaker(new BreakerSettings(0, Duration.ofMinutes(1), Duration.ofMinutes(1)), new io.scenepipeline.support.IntakeSwitch(List.of("inbox")), clock);
        for (int i = 0; i < 100; i++) {
            breaker.exhausted("replicate", "503");
        }
        assertThat(breaker.state()).isEqualTo(ProviderBreaker.State.CLOSED);
    }
}
