package io.scenepipeline.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Kubernetes-like readiness probe on every node that is running and awake, twice a second with a 3 s timeout: how
 * many answered, how many were 503, the slowest answer, every answer slower than a second, and every probe that got no
 * answer. A node's first 15 s after a start are left out (a fresh JVM compiles its code).
 */
final class ReadinessProbes implements AutoCloseable {

    static final Duration SLOW = Duration.ofSeconds(1);
    private static final long WARM_UP_NANOS = Duration.ofSeconds(15).toNanos();

    private final ChaosNodes nodes;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    final AtomicInteger answered = new AtomicInteger();
    final AtomicInteger down = new AtomicInteger();
    final AtomicLong slowestMs = new AtomicLong();
    final List<String> slow = new CopyOnWriteArrayList<>();
    final List<String> unanswered = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;
    private Thread thread;

    ReadinessProbes(ChaosNodes nodes) {
        this.nodes = nodes;
    }

    void start() {
        thread = new Thread(() -> {
            while (running) {
                for (ChaosNodes.Node node : nodes.all()) {
                    probe(node);
                }
                Waits.sleep(Duration.ofMillis(500));
            }
        }, "chaos-readiness");
        thread.setDaemon(true);
        thread.start();
    }

    private void probe(ChaosNodes.Node node) {
        String management = node.management;
        if (!node.answering() || management == null || System.nanoTime() - node.startedAt < WARM_UP_NANOS) {
            return;
        }
        long start = System.nanoTime();
        int status;
        try {
            status = http.send(HttpRequest.newBuilder(URI.create(management + "/observe/health/ready")).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            status = -1;
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (!node.answering() || management != node.management) {
            return; // stopped, killed or started again while asked: not a slow answer
        }
        answered.incrementAndGet();
        if (status == 503) {
            down.incrementAndGet();
        }
        slowestMs.accumulateAndGet(ms, Math::max);
        if (status == -1) {
            unanswered.add(Instant.now() + " " + node.name() + " answered nothing within " + ms + " ms");
        } else if (ms > SLOW.toMillis()) {
            slow.add(Instant.now() + " " + node.name() + " answered " + status + " in " + ms + " ms");
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(5000);
        }
    }
}
