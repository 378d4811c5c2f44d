package io.scenepipeline.provider;

import io.scenepipeline.state.SlotLedger;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One rate limit of a provider account (Replicate's creates per minute, its other requests per minute) as a shared
 * pace that every caller draws from: requests leave evenly spaced at the account's rate, at most {@code burst} at once
 * (a token bucket kept as its theoretical arrival time, GCRA). As a route step it lets the exchange on when its turn
 * comes, waiting <em>without a thread</em> until then (the wait is scheduled on {@code timer}, the exchange continues
 * on {@code continuations}). In cluster mode the turn is taken in the journal's database, so the limit holds for all
 * nodes together.
 *
 * <p>A 429 from the account is backpressure: {@link #throttled} holds every caller until the reset the answer named,
 * and lowers the pace (to the limit the answer states, else to half) until the account has not throttled for a
 * minute, when the pace climbs back by half again per quiet minute up to the configured rate. Each change of state is
 * said once in the log, not once per request.
 */
public final class AccountPace extends AsyncProcessorSupport {

    private static final Logger LOG = Logs.of(AccountPace.class);
    static final long QUIET_MS = 60_000;

    private final String name;
    private final String key;
    private final int configuredPerMinute;
    private final int configuredBurst;
    private final SlotLedger ledger;
    private final ScheduledExecutorService timer;
    private final Executor continuations;
    private final LongSupplier clock;
    private final long maxHoldMs;

    private double perMinute;
    private int burst;
    /** Theoretical arrival time (ms): when the bucket is empty again at the current pace. */
    private long tat;
    /** The pace is below the configured rate since a 429, and when it last dropped or climbed. */
    private boolean slowed;
    private long lastChange;
    /** The pace is halved at most once per reset the account names (many calls answered 429 at once are one signal). */
    private long nextDecrease;
    private long throttledCount;

    /**
     * @param name       for log lines ({@code Replicate creates})
     * @param key        the setting that configures the rate ({@code replicate.max-creates-per-minute})
     * @param perMinute  the account's rate
     * @param burst      how many may leave at once after a quiet spell (at least 1)
     * @param maxHold    the longest a 429's reset holds everyone (a call never waits longer than its retry
     *                   component's {@code maximumRedeliveryDelay} either)
     */
    public AccountPace(String name, String key, int perMinute, int burst, Duration maxHold, SlotLedger ledger,
                       ScheduledExecutorService timer, Executor continuations, LongSupplier clock) {
        this.maxHoldMs = maxHold.toMillis();
        this.name = name;
        this.key = key;
        this.configuredPerMinute = perMinute;
        this.configuredBurst = Math.max(1, burst);
        this.perMinute = perMinute;
        this.burst = configuredBurst;
        this.ledger = ledger;
        this.timer = timer;
        this.continuations = continuations;
        this.clock = clock;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        long wait = reserve();
        if (wait <= 0) {
            callback.done(true);
            return true;
        }
        AsyncCallback then = io.scenepipeline.run.Steps.waiting(exchange, "account pace", System.currentTimeMillis() + wait, callback);
        timer.schedule(() -> continuations.execute(() -> then.done(false)), wait, TimeUnit.MILLISECONDS);
        return false;
    }

    /** Takes the next turn; returns how long to wait for it (ms, 0 = now). */
    public long reserve() {
        long interval;
        int b;
        long now = clock.getAsLong();
        synchronized (this) {
            climb(now);
            interval = interval();
            b = burst;
        }
        return ledger.shared() ? ledger.pace(key, interval, b) : local(now, interval, b);
    }

    private synchronized long local(long now, long interval, int b) {
        long tolerance = (b - 1) * interval;
        long wait = Math.max(0, tat - tolerance - now);
        tat = Math.max(tat, now) + interval;
        return wait;
    }

    /**
     * The account answered 429: everyone waits {@code retryAfterMs} (what the answer asked; 0 when it did not say), and
     * the pace drops to {@code statedPerMinute} (with {@code statedBurst}) when the answer stated a limit, else to half.
     */
    public void throttled(long asked, Integer statedPerMinute, Integer statedBurst) {
        long now = clock.getAsLong();
        long retryAfterMs = Math.min(Math.max(0, asked), maxHoldMs);
        boolean first;
        double before;
        synchronized (this) {
            first = !slowed;
            slowed = true;
            before = perMinute;
            lastChange = now;
            throttledCount++;
            if (statedPerMinute != null && statedPerMinute > 0) {
                perMinute = Math.min(perMinute, statedPerMinute);
                burst = Math.max(1, Math.min(burst, statedBurst == null ? 1 : statedBurst));
            } else if (now >= nextDecrease) {
                perMinute = Math.max(1, perMinute / 2);
                burst = 1;
                nextDecrease = now + Math.max(1000, retryAfterMs);
            }
            if (retryAfterMs > 0) {
                tat = Math.max(tat, now + retryAfterMs);
            }
        }
        if (ledger.shared() && retryAfterMs > 0) {
            ledger.holdPace(key, retryAfterMs);
        }
        if (first) {
            LOG.warn("{}: the account answers 429 (slow down): pacing to {} per minute until it stops ({} is {}){}", name,
                    rounded(perMinute), key, configuredPerMinute,
                    retryAfterMs > 0 ? "; everyone waits " + seconds(retryAfterMs) + " s for its reset" : "");
        } else if (perMinute < before) {
            LOG.debug("{}: pacing to {} per minute", name, rounded(perMinute));
        }
    }

    /** After a quiet minute the pace climbs back, half again per quiet minute, up to the configured rate. */
    private void climb(long now) {
        if (!slowed || now - lastChange < QUIET_MS) {
            return;
        }
        perMinute = Math.min(configuredPerMinute, perMinute * 1.5);
        lastChange = now;
        if (perMinute >= configuredPerMinute) {
            slowed = false;
            burst = configuredBurst;
            LOG.info("{}: no 429 for a minute; back to {} per minute", name, configuredPerMinute);
        } else {
            LOG.debug("{}: no 429 for a minute; pacing to {} per minute", name, rounded(perMinute));
        }
    }

    private long interval() {
        return Math.max(1, Math.round(60_000.0 / perMinute));
    }

    /** The pace now, per minute (lower than configured while the account throttles). */
    public synchronized double perMinute() {
        return perMinute;
    }

    /** 429s seen so far. */
    public synchronized long throttledCount() {
        return throttledCount;
    }

    private static long rounded(double perMinute) {
        return Math.max(1, Math.round(perMinute));
    }

    private static String seconds(long ms) {
        return ms % 1000 == 0 ? Long.toString(ms / 1000) : String.format(java.util.Locale.ROOT, "%.1f", ms / 1000.0);
    }
}
