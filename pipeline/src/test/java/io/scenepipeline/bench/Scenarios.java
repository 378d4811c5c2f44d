package io.scenepipeline.bench;

import io.scenepipeline.simulator.ProviderSimulator;
import io.scenepipeline.simulator.SimulatorSettings;
import io.scenepipeline.support.AtomicFiles;
import io.scenepipeline.support.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.main.Main;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/** One benchmark scenario run in-process against the simulator, and its critical path. */
final class Scenarios {

    private static final Path ROOT = Benchmark.ROOT;

    private Scenarios() {
    }

    static Map<String, Object> run(Benchmark.Scenario s) throws Exception {
        Path dir = ROOT.resolve(s.name());
        AtomicFiles.deleteTree(dir);
        SimulatorSettings sim = new SimulatorSettings(0, 0, s.faultRate(), 3_600_000, 70_000, s.latencies(), true, 0, s.faceRigServers());
        CallGaps gaps = new CallGaps(Math.max(1, s.poll()));
        try (ProviderSimulator simulator = ProviderSimulator.start(sim); Sampler sampler = new Sampler()) {
            Main main = pipeline(dir, simulator.baseUrl(), String.join(",", simulator.faceRigUrls()), s.concurrency(), s.faceRig(), s.poll(),
                    s.redeliveryDelay(), s.maxRedeliveries(),
                    s.name().startsWith("backoff") ? Integer.getInteger("bench.backoff-workers", 8) : 16, gaps);
            long start = System.nanoTime();
            // the plan's own exchange (not its scenes' split copies) being done is the event waited for
            org.apache.camel.builder.NotifyBuilder done = new org.apache.camel.builder.NotifyBuilder(main.getCamelContext())
                    .fromRoute("inbox").filter(e -> e.getProperty(org.apache.camel.Exchange.SPLIT_INDEX) == null).whenDone(1).create();
            drop(dir, "bench", plan(s.scenes(), s.promptSuffix()));
            Path manifest = dir.resolve("outbox/bench/manifest.json");
            Path dead = dir.resolve("dead-letter/bench.error.json");
            if (!done.matches(30, java.util.concurrent.TimeUnit.MINUTES)) {
                throw new IllegalStateException(s.name() + ": the plan did not end within 30 minutes");
            }
            long wall = (System.nanoTime() - start) / 1_000_000;
            main.stop();
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("scenario", s.name());
            r.put("note", s.note());
            r.put("scenes", s.scenes());
            r.put("concurrency", s.concurrency());
            if (Files.exists(dead)) {
                r.put("result", "FAILED: " + Json.read(Files.readString(dead)).path("error").asText());
                return r;
            }
            JsonNode m = Json.read(Files.readString(manifest));
            long makespan = m.path("totals").path("wall_time_ms").asLong();
            long critical = criticalPath(s);
            if (s.faultRate() > 0) {
                // plus the waits the retry policy mandates: the scene that had to wait longest
                long waits = mandatedWaits(m, s.redeliveryDelay());
                r.put("critical_path_without_waits_ms", critical);
                r.put("mandated_waits_ms", waits);
                critical += waits;
            }
            r.put("makespan_ms", makespan);
            r.put("wall_ms_from_drop", wall);
            r.put("critical_path_ms", critical);
            r.put("ratio", critical > 0 ? makespan / (double) critical : Double.NaN);
            int calls = simulator.requestCounts().values().stream().mapToInt(Integer::intValue).sum();
            r.put("provider_calls", calls);
            r.put("retries", m.path("totals").path("retries").asInt());
            r.put("peak_threads", sampler.peakThreads());
            r.put("threads_at_peak", sampler.threadsAtPeak());
            r.put("peak_heap_mb", sampler.peakHeapMb());
            r.put("calls_per_second", Math.round(calls * 1000.0 / Math.max(1, makespan)));
            r.put("median_step_ms", medianStep(m));
            double overhead = gaps.medianMs();
            r.put("median_routing_overhead_ms", overhead);
            r.put("routing_gaps_measured", gaps.count());
            r.put("median_gap_after_download_ms", gaps.medianAfterDownloadMs());
            r.put("result", String.format(Locale.ROOT, "succeeded; %d calls/s, median routing overhead %.3f ms/call (%.3f ms after a download)",
                    r.get("calls_per_second"), overhead, gaps.medianAfterDownloadMs()));
            return r;
        }
    }

    /** Narration work cannot overlap on face_rig; visual chains overlap up to the concurrency. */
    static long criticalPath(Benchmark.Scenario s) {
        long image = roundUp(s.latencies().getOrDefault("image", 0L), s.poll());
        long video = roundUp(s.latencies().getOrDefault("video", 0L), s.poll());
        long visual = image + video;
        long faceRig = s.faceRig() ? s.latencies().getOrDefault("align", 0L) + s.latencies().getOrDefault("emotions", 0L)
                + s.latencies().getOrDefault("export", 0L) + s.latencies().getOrDefault("upload", 0L) : 0;
        long tts = s.latencies().getOrDefault("tts", 0L);
        long waves = (s.scenes() + s.concurrency() - 1) / s.concurrency();
        if (s.concurrency() == 1) {
            // one scene at a time: its two chains overlap, scenes do not
            return s.scenes() * Math.max(visual, tts + faceRig);
        }
        if (s.promptSuffix().contains("503x2")) {
            // every create fails twice: the policy mandates redeliveryDelay + 2 x redeliveryDelay before each success
            visual += 2 * (s.redeliveryDelay() + 2 * s.redeliveryDelay());
        }
        long visualBound = waves * visual;
        // face_rig: each server does one call at a time; the scenes' face_rig work is shared among the servers
        long narrationBound = tts + (s.scenes() + s.faceRigServers() - 1) / s.faceRigServers() * faceRig;
        return Math.max(visualBound, narrationBound);
    }

    /** The longest total of redelivery waits (delay, 2 x delay, ...) any one scene's steps had to sit out. */
    static long mandatedWaits(JsonNode manifest, long delay) {
        long longest = 0;
        for (JsonNode scene : manifest.path("scenes")) {
            long waits = 0;
            for (JsonNode step : scene.path("steps")) {
                for (int i = 0; i < step.path("attempts").asInt(1) - 1; i++) {
                    waits += delay << i;
                }
            }
            longest = Math.max(longest, waits);
        }
        return longest;
    }

    private static long roundUp(long ms, long step) {
        return step <= 0 ? ms : ((ms + step - 1) / step) * step + step;
    }

    private static long medianStep(JsonNode manifest) {
        List<Long> d = new ArrayList<>();
        manifest.path("scenes").forEach(sc -> sc.path("steps").forEach(st -> d.add(st.path("duration_ms").asLong())));
        d.sort(Long::compare);
        return d.isEmpty() ? 0 : d.get(d.size() / 2);
    }

    static Main pipeline(Path dir, String base, int concurrency, boolean faceRig, long poll, long delay, int retries,
                         int workers) throws Exception {
        return pipeline(dir, base, base, concurrency, faceRig, poll, delay, retries, workers, null);
    }

    static Main pipeline(Path dir, String base, String faceRigUrls, int concurrency, boolean faceRig, long poll, long delay, int retries,
                         int workers, CallGaps gaps) throws Exception {
        return pipeline(dir, base, faceRigUrls, concurrency, faceRig, poll, delay, retries, workers, gaps, new Properties());
    }

    /** @param extra settings over the benchmark's own (the account's limits, webhooks, ...) */
    static Main pipeline(Path dir, String base, String faceRigUrls, int concurrency, boolean faceRig, long poll, long delay, int retries,
                         int workers, CallGaps gaps, Properties extra) throws Exception {
        Properties p = new Properties();
        p.setProperty("pipeline.inbox", dir.resolve("inbox").toString());
        p.setProperty("pipeline.outbox", dir.resolve("outbox").toString());
        p.setProperty("pipeline.dead-letter", dir.resolve("dead-letter").toString());
        p.setProperty("pipeline.work", dir.resolve("work").toString());
        p.setProperty("pipeline.inbox.min-age", "0");
        p.setProperty("pipeline.inbox.poll-delay", "20");
        p.setProperty("pipeline.inbox.check-interval", "10");
        p.setProperty("pipeline.scene-concurrency", String.valueOf(concurrency));
        p.setProperty("pipeline.face-rig.enabled", String.valueOf(faceRig));
        p.setProperty("pipeline.worker-threads", String.valueOf(workers));
        p.setProperty("pipeline.breaker.failures", "0");
        // the scenarios measure redelivery itself (waits that hold no thread, every retry under faults): the retry budget,
        // which caps retries when a provider fails for everyone, would refuse most of them by design (RetryBudgetTest)
        p.setProperty("retry.budget-percent", "10000");
        // the providers' orchestration is measured: no final ffmpeg encode, no management server
        p.setProperty("assembly.enabled", "false");
        p.setProperty("camel.management.enabled", "false");
        // the simulator has no rate limit; Replicate's 600 creates a minute would otherwise set the pace of big scenarios
        // (bench/run account measures the pipeline against the real limits)
        p.setProperty("replicate.max-creates-per-minute", "100000");
        p.setProperty("replicate.max-requests-per-minute", "1000000");
        p.setProperty("replicate.poll-interval", String.valueOf(Math.max(1, poll)));
        for (String c : new String[] {"video", "facerig", "storyboard"}) {
            p.setProperty("retry." + c + ".redeliveryDelay", String.valueOf(delay));
            p.setProperty("retry." + c + ".maximumRedeliveries", String.valueOf(retries));
        }
        p.setProperty("replicate.base-url", base);
        p.setProperty("elevenlabs.base-url", base);
        p.setProperty("facerig.base-url", faceRigUrls);
        p.setProperty("elevenlabs.max-concurrent", String.valueOf(Math.max(2, Math.min(100, concurrency))));
        p.setProperty("replicate.api-token", "bench-token");
        p.setProperty("elevenlabs.api-key", "bench-key");
        p.setProperty("camel.main.configuration-classes", "io.scenepipeline.config.PipelineConfiguration");
        p.putAll(extra);
        Main main = new Main();
        main.setOverrideProperties(p);
        if (gaps != null) {
            main.bind("benchCallGaps", gaps);
        }
        main.start();
        return main;
    }

    static String plan(int scenes, String suffix) {
        StringBuilder sb = new StringBuilder("{\"title\": \"bench\", \"scenes\": [");
        for (int i = 1; i <= scenes; i++) {
            sb.append(i > 1 ? "," : "").append("{\"scene_number\": ").append(i)
                    .append(", \"narration\": \"Narration number ").append(i).append(" of the bench plan.\"")
                    .append(", \"visual_description\": \"Bench scene ").append(i).append(suffix).append("\", \"duration\": 5}");
        }
        return sb.append("]}").toString();
    }

    static void drop(Path dir, String name, String json) throws IOException {
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        Path tmp = inbox.resolve("." + name + ".tmp");
        Files.writeString(tmp, json);
        Files.move(tmp, inbox.resolve(name + ".json"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** 1,000 one-scene plans at zero latency: every one ends in the outbox or the dead letters, once. */
}
