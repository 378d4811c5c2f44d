package io.scenepipeline.bench;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.scenepipeline.simulator.ProviderSimulator;
import io.scenepipeline.simulator.SimAccount;
import io.scenepipeline.simulator.SimulatorSettings;
import io.scenepipeline.support.AtomicFiles;
import io.scenepipeline.support.Json;
import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.main.Main;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench/run account}: the pipeline against Replicate's real account limits (600 creates and 3,000 other requests
 * a minute, 429 beyond, as the simulator enforces them) and ElevenLabs' concurrency (5), with real-length predictions:
 * several plans of many scenes, three ways of learning that a prediction ended (polling, {@code Prefer: wait} for
 * images, webhooks). Then scenes in flight at 10, 100 and 1,000: live threads and heap (the JVM runs with -Xmx512m).
 * The bound of a run: every create at the account's rate, then the last prediction's length.
 */
public final class AccountBench {

    static final Path ROOT = Benchmark.ROOT.resolve("account");
    private static final long IMAGE_MS = Long.getLong("bench.image-ms", 5_000);
    private static final long VIDEO_MS = Long.getLong("bench.video-ms", 30_000);

    private AccountBench() {
    }

    public static void main(String[] args) throws Exception {
        int plans = Integer.getInteger("bench.plans", 4);
        int scenes = Integer.getInteger("bench.scenes", 50);
        List<Map<String, Object>> results = new ArrayList<>();
        System.out.printf("scene-pipeline against the account's limits, %d cores, Java %s, max heap %d MB%n%n", Runtime.getRuntime()
                .availableProcessors(), System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf("%-12s %6s %10s %10s %6s %9s %6s %6s %6s %8s %8s%n", "mode", "scenes", "makespan", "bound", "ratio",
                "req/pred", "polls", "429s", "hooks", "threads", "heap MB");
        String parts = System.getProperty("bench.parts", "limits,in-flight");
        for (String mode : parts.contains("limits") ? List.of("polling", "prefer-wait", "webhooks") : List.<String>of()) {
            Map<String, Object> r = limits(mode, plans, scenes, IMAGE_MS, VIDEO_MS);
            results.add(r);
            System.out.printf(Locale.ROOT, "%-12s %6d %8.1f s %8.1f s %6.2f %9.2f %6d %6d %6d %8d %8d%n", mode, plans * scenes,
                    (Long) r.get("makespan_ms") / 1000.0, (Long) r.get("bound_ms") / 1000.0, (Double) r.get("ratio"),
                    (Double) r.get("requests_per_prediction"), r.get("polls"), r.get("throttled"), r.get("webhooks"),
                    r.get("peak_threads"), r.get("peak_heap_mb"));
        }
        System.out.printf("%n%-14s %7s %10s %10s %8s %8s%n", "scenes", "plans", "in flight", "makespan", "threads", "heap MB");
        for (int n : parts.contains("in-flight") ? List.of(10, 100, 1000) : List.<Integer>of()) {
            Map<String, Object> r = inFlight(n, 20_000);
            results.add(r);
            System.out.printf(Locale.ROOT, "%-14s %7s %10s %8.1f s %8d %8d%n", "in-flight-" + n, r.get("succeeded_plans") + "/"
                    + r.get("plans"), r.get("most_in_flight"), (Long) r.get("makespan_ms") / 1000.0, r.get("peak_threads"), r.get("peak_heap_mb"));
        }
        AtomicFiles.write(ROOT.resolve("results.json"), Json.pretty(Map.of("cores", Runtime.getRuntime().availableProcessors(),
                "max_heap_mb", Runtime.getRuntime().maxMemory() >> 20, "runs", results)));
        System.out.println("\nwritten to " + ROOT.resolve("results.json"));
        System.exit(0);
    }

    /** {@code plans} plans of {@code scenes} scenes at once against the real limits, one way of learning of the end. */
    static Map<String, Object> limits(String mode, int plans, int scenes, long imageMs, long videoMs) throws Exception {
        Path dir = ROOT.resolve(mode);
        AtomicFiles.deleteTree(dir);
        SimulatorSettings sim = new SimulatorSettings(videoMs, 0, 0, 3_600_000, 70_000,
                Map.of("image", imageMs, "video", videoMs, "tts", 300L), true, 0, 1);
        Properties extra = new Properties();
        extra.setProperty("pipeline.plan-concurrency", String.valueOf(plans));
        extra.setProperty("replicate.max-creates-per-minute", "600");
        extra.setProperty("replicate.max-requests-per-minute", "3000");
        extra.setProperty("elevenlabs.max-concurrent", "5");
        extra.setProperty("replicate.prefer-wait", "prefer-wait".equals(mode) ? "50s" : "0");
        if ("webhooks".equals(mode)) {
            int port = freePort();
            extra.setProperty("camel.management.enabled", "true");
            extra.setProperty("camel.management.port", String.valueOf(port));
            extra.setProperty("replicate.webhook-url", "http://127.0.0.1:" + port + "/webhooks/replicate");
        }
        try (ProviderSimulator simulator = ProviderSimulator.start(sim); Sampler sampler = new Sampler()) {
            simulator.account(new SimAccount(600, 3000, 0, false, 5));
            Main main = Scenarios.pipeline(dir, simulator.baseUrl(), simulator.baseUrl(), scenes, false, 2000, 5000, 2, 16, null, extra);
            NotifyBuilder done = new NotifyBuilder(main.getCamelContext()).fromRoute("inbox")
                    .filter(e -> e.getProperty(Exchange.SPLIT_INDEX) == null).whenDone(plans).create();
            long start = System.nanoTime();
            for (int p = 1; p <= plans; p++) {
                Scenarios.drop(dir, "plan-" + p, Scenarios.plan(scenes, " of plan " + p));
            }
            if (!done.matches(30, TimeUnit.MINUTES)) {
                throw new IllegalStateException(mode + ": the plans did not end within 30 minutes");
            }
            long makespan = (System.nanoTime() - start) / 1_000_000;
            main.stop();
            Map<String, Integer> counts = simulator.requestCounts();
            int creates = counts.getOrDefault("replicate.create", 0);
            int requests = creates + counts.getOrDefault("replicate.poll", 0) + counts.getOrDefault("replicate.list", 0)
                    + counts.getOrDefault("replicate.cancel", 0) + counts.getOrDefault("replicate.webhook-secret", 0);
            long succeeded;
            try (var outbox = Files.list(dir.resolve("outbox"))) {
                succeeded = outbox.filter(d -> Files.exists(d.resolve("manifest.json"))).count();
            }
            // every create at the account's rate (one per 100 ms, the simulator's burst aside), then the last one's prediction
            long bound = (2L * plans * scenes - 1) * 100 + videoMs;
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("mode", mode);
            r.put("plans", plans);
            r.put("scenes", plans * scenes);
            r.put("succeeded_plans", succeeded);
            r.put("makespan_ms", makespan);
            r.put("bound_ms", bound);
            r.put("ratio", makespan / (double) bound);
            r.put("creates", creates);
            r.put("polls", counts.getOrDefault("replicate.poll", 0));
            r.put("requests_per_prediction", requests / (double) Math.max(1, creates));
            r.put("throttled", simulator.throttledCounts().values().stream().mapToInt(Integer::intValue).sum());
            r.put("throttled_by_kind", simulator.throttledCounts());
            r.put("webhooks", counts.getOrDefault("replicate.webhook.delivered", 0));
            r.put("peak_threads", sampler.peakThreads());
            r.put("peak_heap_mb", sampler.peakHeapMb());
            r.put("requests", counts);
            return r;
        }
    }

    /**
     * {@code n} scenes all in flight at once (predictions long enough to overlap), in plans of at most 200 scenes
     * ({@code pipeline.max-scenes}) running side by side: threads and heap.
     */
    static Map<String, Object> inFlight(int n, long videoMs) throws Exception {
        int plans = (n + 199) / 200;
        int scenes = n / plans;
        Path dir = ROOT.resolve("in-flight-" + n);
        AtomicFiles.deleteTree(dir);
        SimulatorSettings sim = new SimulatorSettings(videoMs, 0, 0, 3_600_000, 70_000,
                Map.of("image", Math.min(2_000L, videoMs / 4), "video", videoMs, "tts", 100L), true, 0, 1);
        Properties extra = new Properties();
        extra.setProperty("elevenlabs.max-concurrent", "5");
        extra.setProperty("replicate.prefer-wait", "0");
        extra.setProperty("pipeline.plan-concurrency", String.valueOf(plans));
        try (ProviderSimulator simulator = ProviderSimulator.start(sim); Sampler sampler = new Sampler()) {
            Main main = Scenarios.pipeline(dir, simulator.baseUrl(), simulator.baseUrl(), scenes, false, 2000, 5000, 2, 16, null, extra);
            AtomicLong most = new AtomicLong();
            MeterRegistry meters = main.getCamelContext().getRegistry().lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME,
                    MeterRegistry.class);
            NotifyBuilder done = new NotifyBuilder(main.getCamelContext()).fromRoute("inbox")
                    .filter(e -> e.getProperty(Exchange.SPLIT_INDEX) == null).whenDone(plans).create();
            long start = System.nanoTime();
            for (int p = 1; p <= plans; p++) {
                Scenarios.drop(dir, "crowd-" + p, Scenarios.plan(scenes, " of crowd " + p));
            }
            // the scenes in flight, sampled beside the run
            java.util.concurrent.ScheduledExecutorService gauge = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            gauge.scheduleAtFixedRate(() -> {
                Gauge g = meters.find("scene.pipeline.scenes.in.flight").gauge();
                most.accumulateAndGet(g == null ? 0 : Math.round(g.value()), Math::max);
            }, 0, 100, TimeUnit.MILLISECONDS);
            boolean ended = done.matches(30, TimeUnit.MINUTES);
            gauge.shutdownNow();
            if (!ended) {
                throw new IllegalStateException("in-flight-" + n + ": the plans did not end within 30 minutes");
            }
            long makespan = (System.nanoTime() - start) / 1_000_000;
            main.stop();
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("mode", "in-flight-" + n);
            r.put("scenes", plans * scenes);
            r.put("most_in_flight", most.get());
            long succeeded;
            try (var outbox = Files.list(dir.resolve("outbox"))) {
                succeeded = outbox.filter(d -> Files.exists(d.resolve("manifest.json"))).count();
            }
            r.put("plans", plans);
            r.put("succeeded_plans", succeeded);
            r.put("makespan_ms", makespan);
            r.put("peak_threads", sampler.peakThreads());
            r.put("threads_at_peak", sampler.threadsAtPeak());
            r.put("peak_heap_mb", sampler.peakHeapMb());
            return r;
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
