package io.scenepipeline.simulator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Requests being answered at once, and the most there ever were, per kind: how a limit on callers is checked. */
final class InFlight {

    private final Map<String, AtomicInteger> now = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> most = new ConcurrentHashMap<>();

    void enter(String kind) {
        int n = now.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
        most.computeIfAbsent(kind, k -> new AtomicInteger()).accumulateAndGet(n, Math::max);
    }

    void leave(String kind) {
        now.get(kind).decrementAndGet();
    }

    Map<String, Integer> most() {
        Map<String, Integer> out = new TreeMap<>();
        most.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
