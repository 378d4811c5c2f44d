package io.scenepipeline.provider;

import io.scenepipeline.state.SlotLedger;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The account's pace: turns spaced to the rate, a small burst, a 429 that holds and lowers it, a quiet minute that lifts it. */
class AccountPaceTest {

    private final AtomicLong now = new AtomicLong(1_000_000);

    private AccountPace pace(int perMinute, int burst) {
        return new AccountPace("Replicate creates", "replicate.max-creates-per-minute", perMinute, burst, Duration.ofSeconds(60),
                SlotLedger.LOCAL, null, Runnable::run, now::get);
    }

    private static List<Long> turns(AccountPace pace, int n) {
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            waits.add(pace.reserve());
        }
        return waits;
    }

    @Test
    void should_space_turns_evenly_instead_of_letting_a_minute_through_at_once() {
        AccountPace pace = pace(600, 1);

        assertThat(turns(pace, 5)).containsExactly(0L, 100L, 200L, 300L, 400L);
    }

    @Test
    void should_let_a_small_burst_through_after_a_quiet_spell() {
        AccountPace pace = pace(600, 3);

        assertThat(turns(pace, 6)).containsExactly(0L, 0L, 0L, 100L, 200L, 300L);
        now.addAndGet(10_000);
        assertThat(turns(pace, 4)).containsExactly(0L, 0L, 0L, 100L);
    }

    @Test
    void should_hold_everyone_until_the_reset_and_pace_to_the_limit_a_429_states() {
        AccountPace pace = pace(600, 5);

        pace.throttled(5000, 6, 1);

        assertThat(pace.perMinute()).isEqualTo(6.0);
        assertThat(turns(pace, 3)).containsExactly(5000L, 15_000L, 25_000L);
        assertThat(pace.throttledCount()).isEqualTo(1);
    }

    @Test
    void should_halve_once_per_reset_however_many_calls_were_answered_429_together() {
        AccountPace pace = pace(600, 5);

        for (int i = 0; i < 20; i++) {
            pace.throttled(2000, null, null);
        }

        assertThat(pace.perMinute()).isEqualTo(300.0);
        now.addAndGet(2000);
        pace.throttled(0, null, null);
        assertThat(pace.perMinute()).isEqualTo(150.0);
    }

    @Test
    void should_climb_back_to_the_configured_rate_after_quiet_minutes() {
        AccountPace pace = pace(600, 5);
        pace.throttled(0, 100, 1);

        now.addAndGet(30_000);
        pace.reserve();
        assertThat(pace.perMinute()).as("not quiet for a minute yet").isEqualTo(100.0);
        for (int minute = 0; minute < 6; minute++) {
            now.addAndGet(AccountPace.QUIET_MS + 1);
            pace.reserve();
        }

        assertThat(pace.perMinute()).isEqualTo(600.0);
        now.addAndGet(60_000);
        assertThat(turns(pace, 6)).as("the burst is back too").containsExactly(0L, 0L, 0L, 0L, 0L, 100L);
    }

    @Test
    void should_never_hold_longer_than_its_cap_whatever_the_answer_asks() {
        AccountPace pace = new AccountPace("Replicate creates", "replicate.max-creates-per-minute", 600, 1, Duration.ofSeconds(2),
                SlotLedger.LOCAL, null, Runnable::run, now::get);

        pace.throttled(3_600_000, null, null);

        assertThat(pace.reserve()).isEqualTo(2000L);
    }
}
