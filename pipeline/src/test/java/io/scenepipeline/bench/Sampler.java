package io.scenepipeline.bench;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

final class Sampler implements AutoCloseable {
    private final AtomicLong threads = new AtomicLong();
    private final AtomicLong heap = new AtomicLong();
    private volatile java.util.Map<String, Long> atPeak = java.util.Map.of();
    private final Thread thread;
    private volatile boolean running = true;

    Sampler() {
        thread = new Thread(() -> {
            while (running) {
                List<Thread> alive = Thread.getAllStackTraces().keySet().stream().filter(t -> !t.getName().startsWith("simulator-")).toList();
                if (alive.size() > threads.get()) {
                    threads.set(alive.size());
                    atPeak = alive.stream().collect(java.util.stream.Collectors.groupingBy(
                            t -> t.getName().replaceAll("[0-9#]+", "#").replaceAll("\\s+", " "), java.util.TreeMap::new,
                            java.util.stream.Collectors.counting()));
                }
                heap.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                // a sampler: every 10 ms, until closed
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
            }
        }, "bench-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    long peakThreads() {
        return threads.get();
    }

    /** Live threads at the peak, by name pattern. */
    java.util.Map<String, Long> threadsAtPeak() {
        return atPeak;
    }

    long peakHeapMb() {
        return heap.get() >> 20;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
