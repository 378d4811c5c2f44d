package io.scenepipeline.retry;

import io.scenepipeline.support.SettingsReader;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Retries that cannot storm (the idea of Finagle's RetryBudget and Envoy's {@code retry_budget}): within a sliding
 * window of {@code retry.budget-window} (60 s), the retries to one provider are at most {@code retry.budget-percent}
 * percent of that provider's first attempts in the window, plus {@code retry.budget-min-retries}, so that a lone
 * failure in a quiet run still gets all its attempts. When a provider fails for everyone, its calls stop multiplying
 * the load by the number of attempts; a call whose retry is refused fails as exhausted ({@link StepFailureHandler}
 * says so). A retry unit's first attempt is counted as it starts ({@link RetryDecider#enter}).
 */
public final class RetryBudget {

    private final double ratio;
    private final int minRetries;
    private final long windowNanos;
    private final LongSupplier clock;
    private final Map<String, Window> providers = new ConcurrentHashMap<>();

    public RetryBudget(int percent, int minRetries, Duration window, LongSupplier nanoClock) {
        this.ratio = percent / 100.0;
        this.minRetries = minRetries;
        this.windowNanos = window.toNanos();
        this.clock = nanoClock;
    }

    /**
     * From {@code retry.budget-percent}, {@code retry.budget-min-retries} and {@code retry.budget-window}; the minimum
     * is raised to {@code maximumRedeliveries}, the most any one call may retry, so that a lone failure keeps them all.
     */
    public static RetryBudget from(Function<String, String> lookup, int maximumRedeliveries) {
        SettingsReader r = new SettingsReader(lookup);
        int minRetries = Math.max(r.integer("retry.budget-min-retries", 0, 1_000_000), maximumRedeliveries);
        return new RetryBudget(r.integer("retry.budget-percent", 0, 10_000), minRetries, r.duration("retry.budget-window"),
                System::nanoTime);
    }

    /** A first attempt to {@code provider}. */
    public void deposit(String provider) {
        providers.computeIfAbsent(provider, p -> new Window()).firsts(clock.getAsLong());
    }

    /**
     * Asks for one retry to {@code provider}: granted (and counted) while the window's retries stay within the budget.
     *
     * @return {@code null} when granted, else why not, for the log line and the dead-letter report
     */
    public String tryRetry(String provider) {
        return providers.computeIfAbsent(provider, p -> new Window()).tryRetry(provider, clock.getAsLong());
    }

    /** Retries to {@code provider} the budget would grant now (the console's "budget left"). */
    public int left(String provider) {
        return providers.computeIfAbsent(provider, p -> new Window()).left(clock.getAsLong());
    }

    private final class Window {
        private final Deque<Long> firsts = new ArrayDeque<>();
        private final Deque<Long> retries = new ArrayDeque<>();

        synchronized void firsts(long now) {
            prune(now);
            firsts.addLast(now);
        }

        synchronized int left(long now) {
            prune(now);
            return (int) Math.max(0, Math.floor(ratio * firsts.size() + minRetries) - retries.size());
        }

        synchronized String tryRetry(String provider, long now) {
            prune(now);
            double allowed = ratio * firsts.size() + minRetries;
            if (retries.size() + 1 > allowed) {
                return "the retry budget refused a retry to " + provider + " (" + retries.size() + " retries against "
                        + firsts.size() + " first attempts in the last " + Duration.ofNanos(windowNanos).toSeconds() + " s)";
            }
            retries.addLast(now);
            return null;
        }

        private void prune(long now) {
            while (!firsts.isEmpty() && now - firsts.peekFirst() > windowNanos) {
                firsts.removeFirst();
            }
            while (!retries.isEmpty() && now - retries.peekFirst() > windowNanos) {
                retries.removeFirst();
            }
        }
    }
}
