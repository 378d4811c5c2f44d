package io.scenepipeline.retry;

import io.scenepipeline.support.IntakeSwitch;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * When a provider is down, stop taking new plans: after {@code pipeline.breaker.failures} calls whose retries were
 * exhausted within {@code pipeline.breaker.window}, the intake's consumer is paused (the inbox's polling; in cluster
 * mode the plans queue's listener), so new plans wait instead of burning their retries into the dead-letter folder.
 * Only the consumer pauses, never the route: the plans already running go on and finish (or are dead-lettered with
 * their own reason), none is cut off or left in flight. After {@code pipeline.breaker.half-open-after} the
 * inbox is resumed for a probe: the next plan that succeeds closes the breaker; another exhausted call opens it
 * again. Logged once when it opens and once when it closes.
 *
 * <p>The state machine is resilience4j's {@link CircuitBreaker}: a time-based sliding window that records only the
 * exhausted calls (a bad plan or a permanent provider error never reaches it), so it opens when the window holds
 * {@code failures} of them; one call is permitted half-open, and the probe plan's success or another exhausted call
 * decides. A 429 never reaches it (a "slow down" is waited out, docs/retries.md). This class adds what resilience4j
 * does not know: the intake it pauses and resumes.
 */
public final class ProviderBreaker {

    private static final Logger LOG = Logs.of(ProviderBreaker.class);

    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final CircuitBreaker breaker;
    private final Duration window;
    private final Duration halfOpenAfter;
    private final IntakeSwitch intake;
    private volatile String lastReason = "";

    /** @param intake the intake it pauses while open (its consumers only) */
    public ProviderBreaker(BreakerSettings settings, IntakeSwitch intake) {
        this(settings, intake, Clock.systemUTC());
    }

    /** @param clock the time the sliding window and the open state are measured in (a test's own clock) */
    public ProviderBreaker(BreakerSettings settings, IntakeSwitch intake, Clock clock) {
        this.window = settings.window();
        this.halfOpenAfter = settings.halfOpenAfter();
        this.intake = intake;
        int failures = settings.failures();
        this.breaker = CircuitBreaker.of("providers", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
                .slidingWindowSize((int) Math.max(1, Math.min(Integer.MAX_VALUE, window.toSeconds())))
                .minimumNumberOfCalls(Math.max(1, failures))
                .failureRateThreshold(100)
                .permittedNumberOfCallsInHalfOpenState(1)
                .waitDurationInOpenState(halfOpenAfter)
                .enableAutomaticTransitionFromOpenToHalfOpen()
                .clock(clock)
                .build());
        if (failures == 0) {
            breaker.transitionToDisabledState();
        }
        breaker.getEventPublisher().onStateTransition(this::transitioned);
    }

    public State state() {
        return switch (breaker.getState()) {
            case OPEN, FORCED_OPEN -> State.OPEN;
            case HALF_OPEN -> State.HALF_OPEN;
            default -> State.CLOSED;
        };
    }

    /** A provider call failed after all its retries. */
    public synchronized void exhausted(String provider, String reason) {
        if (breaker.getState() == CircuitBreaker.State.OPEN) {
            return;
        }
        lastReason = provider + " " + reason;
        breaker.onError(0, TimeUnit.MILLISECONDS, new IllegalStateException(lastReason));
    }

    /** A plan succeeded: a probe closes the breaker. */
    public synchronized void planSucceeded() {
        if (breaker.getState() == CircuitBreaker.State.HALF_OPEN) {
            breaker.onSuccess(0, TimeUnit.MILLISECONDS);
        }
    }

    /** The provider and error that last opened the breaker ("" when it never opened). */
    public String lastReason() {
        return lastReason;
    }

    private void transitioned(CircuitBreakerOnStateTransitionEvent event) {
        switch (event.getStateTransition().getToState()) {
            case OPEN -> {
                LOG.error("Breaker open: {} provider calls failed after all retries within {} s (last: {}); new plans wait in the "
                        + "inbox; trying again in {} s", event.getStateTransition().getFromState() == CircuitBreaker.State.HALF_OPEN
                        ? 1 : breaker.getCircuitBreakerConfig().getMinimumNumberOfCalls(), window.toSeconds(), lastReason,
                        halfOpenAfter.toSeconds());
                intake.pause("breaker");
            }
            case HALF_OPEN -> {
                LOG.info("Breaker half-open: taking the next plan as a probe");
                intake.resume("breaker");
            }
            case CLOSED -> LOG.info("Breaker closed: providers answer again; taking new plans");
            default -> {
            }
        }
    }
}
