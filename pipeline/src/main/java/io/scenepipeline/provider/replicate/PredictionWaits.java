package io.scenepipeline.provider.replicate;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToLongFunction;

/**
 * A prediction's wait before its next poll, as a route step: the exchange is parked (no thread held) until the poll is
 * due ({@link PredictionPolls#pollDelay}), or until Replicate's webhook for the prediction arrives
 * ({@link #arrived}), whichever comes first. A webhook carries the prediction as a poll would answer it, so the
 * step then goes on without polling; a webhook that never comes is caught by the poll (with webhooks on, a slow sweep:
 * {@code replicate.webhook-sweep}).
 */
public final class PredictionWaits extends AsyncProcessorSupport {

    private static final long KEEP_MS = 10 * 60_000;
    /** Early webhooks kept at most (beyond, the next poll finds the prediction as the webhook would have told). */
    private static final int MAX_EARLY = 10_000;

    private final ToLongFunction<Exchange> delay;
    private final ScheduledExecutorService timer;
    private final Executor continuations;
    private final Map<String, Waiter> waiting = new ConcurrentHashMap<>();
    /** Webhooks that came while no one waited (the step was between two polls' calls): kept a while, by prediction id. */
    private final Map<String, Early> early = new ConcurrentHashMap<>();

    private record Early(JsonNode prediction, long at) {
    }

    private static final class Waiter {
        final Exchange exchange;
        final AsyncCallback callback;
        final AtomicBoolean woken = new AtomicBoolean();
        volatile ScheduledFuture<?> due;

        Waiter(Exchange exchange, AsyncCallback callback) {
            this.exchange = exchange;
            this.callback = callback;
        }
    }

    public PredictionWaits(ToLongFunction<Exchange> delay, ScheduledExecutorService timer, Executor continuations) {
        this.delay = delay;
        this.timer = timer;
        this.continuations = continuations;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        PredictionCall call = PredictionCall.of(exchange);
        call.delivered = null;
        String id = call.id;
        Early ready = id == null ? null : early.remove(id);
        if (ready != null) {
            call.delivered = ready.prediction();
            callback.done(true);
            return true;
        }
        Waiter w = new Waiter(exchange, callback);
        if (id != null) {
            waiting.put(id, w);
        }
        w.due = timer.schedule(() -> wake(id, w, null), delay.applyAsLong(exchange), TimeUnit.MILLISECONDS);
        // a webhook that came between the look above and the wait being known
        Early late = id == null ? null : early.remove(id);
        if (late != null) {
            wake(id, w, late.prediction());
        }
        return false;
    }

    /**
     * Replicate's webhook for a prediction: the step waiting for it goes on at once with it; if none waits right now,
     * the next wait of that prediction ends at once.
     */
    public void arrived(String id, JsonNode prediction) {
        Waiter w = waiting.get(id);
        if (w != null) {
            wake(id, w, prediction);
            return;
        }
        long now = System.currentTimeMillis();
        early.values().removeIf(e -> now - e.at() > KEEP_MS);
        if (early.size() < MAX_EARLY) {
            early.put(id, new Early(prediction, now));
        }
    }

    /** The operator canceled {@code run}: its steps waiting for a poll poll at once (and then cancel their prediction). */
    public void wake(io.scenepipeline.run.PlanRun run) {
        waiting.forEach((id, w) -> {
            if (io.scenepipeline.run.Steps.run(w.exchange) == run) {
                wake(id, w, null);
            }
        });
    }

    private void wake(String id, Waiter w, JsonNode prediction) {
        if (!w.woken.compareAndSet(false, true)) {
            return;
        }
        if (id != null) {
            waiting.remove(id, w);
        }
        if (w.due != null) {
            w.due.cancel(false);
        }
        if (prediction != null) {
            PredictionCall.of(w.exchange).delivered = prediction;
        }
        continuations.execute(() -> w.callback.done(false));
    }
}
