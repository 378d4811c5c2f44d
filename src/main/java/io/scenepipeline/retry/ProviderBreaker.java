package io.scenepipeline.retry;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * When a provider is down, stop taking new plans: after {@code pipeline.breaker.failures} calls whose retries were
 * exhausted within {@code pipeline.breaker.window}, the inbox route is suspended, so new plans wait in the inbox
 * instead of burning their retries into the dead-letter folder. After {@code pipeline.breaker.half-open-after} the
 * inbox is resumed for a probe: the next plan that succeeds closes the breaker; another exhausted call opens it
 * again. Logged once when it opens and once when it closes. (The idea of Camel's ThrottlingExceptionRoutePolicy,
 * counting only provider outages: a bad plan or a permanent provider error never opens it.)
 */
public final class ProviderBreaker {

    private static final Logger LOG = LoggerFactory.getLogger("scene-pipeline");

    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final int failures;
    private final Duration window;
    private final Duration halfOpenAfter;
    private final String route;
    private final Deque<Long> recent = new ArrayDeque<>();
    private CamelContext context;
    private ScheduledExecutorService scheduler;
    private volatile State state = State.CLOSED;
    private volatile String lastReason = "";

    public ProviderBreaker(int failures, Duration window, Duration halfOpenAfter, String route) {
        this.failures = failures;
        this.window = window;
        this.halfOpenAfter = halfOpenAfter;
        this.route = route;
    }

    public void start(CamelContext context) {
        this.context = context;
        this.scheduler = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "breaker");
    }

    public State state() {
        return state;
    }

    /** A provider call failed after all its retries. */
    public synchronized void exhausted(String provider, String reason) {
        long now = System.currentTimeMillis();
        recent.addLast(now);
        while (!recent.isEmpty() && recent.peekFirst() < now - window.toMillis()) {
            recent.removeFirst();
        }
        if (state == State.HALF_OPEN || (state == State.CLOSED && failures > 0 && recent.size() >= failures)) {
            open(provider, reason);
        }
    }

    /** A plan succeeded: a probe closes the breaker. */
    public synchronized void planSucceeded() {
        if (state == State.HALF_OPEN) {
            state = State.CLOSED;
            recent.clear();
            LOG.info("Breaker closed: providers answer again; taking new plans");
        }
    }

    /** The provider and error that last opened the breaker ("" when it never opened). */
    public String lastReason() {
        return lastReason;
    }

    private void open(String provider, String reason) {
        state = State.OPEN;
        lastReason = provider + " " + reason;
        LOG.error("Breaker open: {} provider calls failed after all retries within {} s (last: {} {}); new plans wait in the "
                + "inbox; trying again in {} s", recent.size(), window.toSeconds(), provider, reason, halfOpenAfter.toSeconds());
        recent.clear();
        if (context == null) {
            return;
        }
        // suspended from another thread: a route cannot wait for its own in-flight exchange
        scheduler.execute(() -> control(true));
        scheduler.schedule(this::halfOpen, halfOpenAfter.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void halfOpen() {
        if (state == State.OPEN) {
            state = State.HALF_OPEN;
            LOG.info("Breaker half-open: taking the next plan as a probe");
            control(false);
        }
    }

    private void control(boolean suspend) {
        try {
            if (suspend) {
                context.getRouteController().suspendRoute(route);
            } else {
                context.getRouteController().resumeRoute(route);
            }
        } catch (Exception e) {
            LOG.warn("Breaker could not {} the {} route: {}", suspend ? "suspend" : "resume", route, e.getMessage());
        }
    }
}
