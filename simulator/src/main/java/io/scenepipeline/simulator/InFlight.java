package io.scenepipeline.simulator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Requests being answered at once, and the most there ever were, per kind: how a limit on callers is checked. */
final class InFlight {

    private final Map<String, AtomicInteger> now = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> most = new ConcurrentHashMap<>();

    /**
     * A request of {@code kind} is being answered; returns what ends it (once, however often it runs): run it before
     * the response goes out, since a caller that has its answer may send the next request at once.
     */
    Runnable enter(String kind) {
        AtomicInteger count = now.computeIfAbsent(kind, k -> new AtomicInteger());
        most.computeIfAbsent(kind, k -> new AtomicInteger()).accumulateAndGet(count.incrementAndGet(), Math::max);
        AtomicBoolean left = new AtomicBoolean();
        return () -> {
            if (left.compareAndSet(false, true)) {
                count.decrementAndGet();
            }
        };
    }

    Map<String, Integer> most() {
        Map<String, Integer> out = new TreeMap<>();
        most.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
