package io.scenepipeline.bench;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * How the campaigns wait: {@link #until} for something to happen (checked every 100 ms, up to a bound), and
 * {@link #sleep} only for a fault's own length (a node frozen for 9 s, a broker gone for 5 s), never to let something
 * happen.
 */
final class Waits {

    private Waits() {
    }

    /** Waits until {@code condition} holds (exceptions count as not yet); throws when {@code atMost} passes first. */
    static void until(Duration atMost, Callable<Boolean> condition, String what) {
        long end = System.nanoTime() + atMost.toNanos();
        Exception last = null;
        while (System.nanoTime() < end) {
            try {
                if (condition.call()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            LockSupport.parkNanos(100_000_000L);
        }
        throw new IllegalStateException("waited " + atMost.toSeconds() + " s for " + what
                + (last == null ? "" : " (last: " + last + ")"));
    }

    /** Holds a fault for its length. */
    static void sleep(Duration length) {
        long end = System.nanoTime() + length.toNanos();
        for (long left = length.toNanos(); left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }
}
