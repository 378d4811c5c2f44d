package io.scenepipeline.provider;

import io.scenepipeline.state.SlotLedger;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A rate the whole account shares (Replicate's {@code replicate.max-creates-per-minute}, across every node in cluster
 * mode), as a route step: the exchange goes on once the ledger counts its use, and waits without a thread until then.
 * One process has only its own use to count, and the route's throttle does that: this step then lets everything by.
 */
public final class RatePermit extends AsyncProcessorSupport {

    private final SlotLedger ledger;
    private final String pool;
    private final int perWindow;
    private final Duration window;
    private final ScheduledExecutorService timer;
    private final Executor continuations;

    public RatePermit(SlotLedger ledger, String pool, int perWindow, Duration window, ScheduledExecutorService timer,
                      Executor continuations) {
        this.ledger = ledger;
        this.pool = pool;
        this.perWindow = perWindow;
        this.window = window;
        this.timer = timer;
        this.continuations = continuations;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Duration wait = ledger.tryUse(pool, perWindow, window);
        if (wait.isZero()) {
            callback.done(true);
            return true;
        }
        later(callback, wait);
        return false;
    }

    private void later(AsyncCallback callback, Duration wait) {
        timer.schedule(() -> {
            Duration again = ledger.tryUse(pool, perWindow, window);
            if (again.isZero()) {
                continuations.execute(() -> callback.done(false));
            } else {
                later(callback, again);
            }
        }, wait.toMillis(), TimeUnit.MILLISECONDS);
    }
}
