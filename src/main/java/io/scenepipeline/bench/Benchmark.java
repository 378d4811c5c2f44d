package io.scenepipeline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.scenepipeline.output.AtomicFiles;
import io.scenepipeline.simulator.ProviderSimulator;
import io.scenepipeline.simulator.SimulatorSettings;
import io.scenepipeline.support.Json;
import org.apache.camel.main.Main;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The project's benchmark ({@code bench/run}): the pipeline in-process against the simulator with fixed latencies,
 * per scenario makespan against the critical path, provider calls, retries, peak live threads and peak heap. Prints a
 * table and writes {@code target/bench/results.json}. Not a test: timings depend on the machine (its core count is
 * printed), so results are read as ratios.
 *
 * <p>Critical path of a plan = max(slowest scene's visual chain, the narration work that cannot overlap), where a
 * scene's visual chain = image prediction + video prediction, each rounded up to the poll interval, and the narration
 * bound = one TTS call + the face_rig work of every scene in a row (face_rig runs one call at a time:
 * {@code facerig.max-concurrent=1}); at scene-concurrency 1 it is the sum over scenes of max(visual chain, TTS + face_rig).
 */
public final class Benchmark {

    private static final Path ROOT = Path.of("target", "bench");

    private Benchmark() {
    }

    record Scenario(String name, int scenes, int concurrency, boolean faceRig, Map<String, Long> latencies, long poll,
                    double faultRate, long redeliveryDelay, int maxRedeliveries, String promptSuffix, String note, int facerigServers) {
        Scenario(String name, int scenes, int concurrency, boolean faceRig, Map<String, Long> latencies, long poll,
                 double faultRate, long redeliveryDelay, int maxRedeliveries, String promptSuffix, String note) {
            this(name, scenes, concurrency, faceRig, latencies, poll, faultRate, redeliveryDelay, maxRedeliveries, promptSuffix, note, 1);
        }
    }

    public static void main(String[] args) throws Exception {
        List<String> only = List.of(args);
        Files.createDirectories(ROOT);
        Map<String, Long> lat = Map.of("image", 300L, "video", 2000L, "tts", 200L, "align", 500L, "emotions", 300L, "export", 800L);
        Map<String, Long> faceRigHeavy = Map.of("image", 300L, "video", 1000L, "tts", 200L, "upload", 100L, "align", 500L,
                "emotions", 300L, "export", 700L);
        List<Scenario> scenarios = List.of(
                new Scenario("baseline-12", 12, 12, true, lat, 100, 0, 200, 2, "", "12 scenes, no faults, concurrency 12"),
                new Scenario("sequential-12", 12, 1, true, lat, 100, 0, 200, 2, "", "the same, one scene at a time"),
                new Scenario("visual-12", 12, 12, false, lat, 100, 0, 200, 2, "", "baseline-12 with face_rig off (no serialised provider)"),
                new Scenario("visual-seq-12", 12, 1, false, lat, 100, 0, 200, 2, "", "the same, one scene at a time"),
                new Scenario("faults-20pct", 12, 12, true, lat, 100, 0.2, 200, 8, "",
                        "20% transient faults on every call (polls too), redeliveryDelay 200 ms, 9 attempts"),
                new Scenario("backoff-200", 200, 200, false, Map.of(), 100, 0, 2000, 2, " [sim:image-503x2] [sim:video-503x2]",
                        "200 scenes in flight, every create fails twice, redeliveryDelay 2 s, face_rig off, worker-threads 8"),
                new Scenario("zero-latency-200", 200, 16, false, Map.of(), 1, 0, 200, 2, "", "zero-latency simulator, 200 scenes, face_rig off"),
                new Scenario("facerig-1", 12, 12, true, faceRigHeavy, 100, 0, 200, 2, "",
                        "12 scenes, face_rig 1.6 s of work per scene, one face_rig server (one call at a time)", 1),
                new Scenario("facerig-3", 12, 12, true, faceRigHeavy, 100, 0, 200, 2, "", "the same on three face_rig servers", 3),
                new Scenario("zero-latency-seq", 200, 1, false, Map.of(), 1, 0, 200, 2, "",
                        "the same one scene at a time: routing overhead without CPU contention"));
        List<Map<String, Object>> results = new ArrayList<>();
        System.out.printf("scene-pipeline benchmark on %d cores, Java %s%n%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        System.out.printf("%-18s %6s %5s %10s %10s %7s %7s %7s %8s %9s  %s%n", "scenario", "scenes", "conc", "makespan", "crit.path",
                "ratio", "calls", "retries", "threads", "heap MB", "note");
        for (Scenario s : scenarios) {
            if (!only.isEmpty() && !only.contains(s.name())) {
                continue;
            }
            Map<String, Object> r = run(s);
            results.add(r);
            print(r);
        }
        if (only.isEmpty() || only.contains("startup")) {
            Map<String, Object> r = startup();
            results.add(r);
            print(r);
        }
        if (only.isEmpty() || only.contains("soak-1000")) {
            Map<String, Object> r = soak(1000);
            results.add(r);
            print(r);
        }
        if (only.contains("download-1g")) {
            Map<String, Object> r = bigDownload(1L << 30);
            results.add(r);
            print(r);
        }
        Map<String, Object> speedups = new LinkedHashMap<>();
        speedup(results, "baseline-12", "sequential-12", speedups);
        speedup(results, "visual-12", "visual-seq-12", speedups);
        faceRigSpeedup(results, speedups);
        AtomicFiles.write(ROOT.resolve("results.json"), Json.pretty(Map.of("cores", Runtime.getRuntime().availableProcessors(),
                "scenarios", results, "speedups", speedups)));
        System.out.println("\nwritten to " + ROOT.resolve("results.json"));
        System.exit(0);
    }

    /**
     * Parallel against sequential makespan, beside the best speedup the providers allow: the sequential critical path
     * over the parallel one (with face_rig at max-concurrent 1, its calls for all scenes form one serial chain).
     */
    private static void speedup(List<Map<String, Object>> results, String parallel, String sequential, Map<String, Object> out) {
        Map<String, Object> p = results.stream().filter(r -> parallel.equals(r.get("scenario"))).findFirst().orElse(null);
        Map<String, Object> q = results.stream().filter(r -> sequential.equals(r.get("scenario"))).findFirst().orElse(null);
        if (p == null || q == null || !p.containsKey("makespan_ms") || !q.containsKey("makespan_ms")) {
            return;
        }
        double got = ((Number) q.get("makespan_ms")).doubleValue() / ((Number) p.get("makespan_ms")).doubleValue();
        double bound = ((Number) q.get("critical_path_ms")).doubleValue() / ((Number) p.get("critical_path_ms")).doubleValue();
        out.put(sequential + " / " + parallel, Map.of("speedup", got, "bound", bound));
        System.out.printf(Locale.ROOT, "speedup %s -> %s: %.2fx (the providers allow at most %.2fx: critical paths %.2f s -> %.2f s)%n",
                sequential, parallel, got, bound, ((Number) q.get("critical_path_ms")).longValue() / 1000.0,
                ((Number) p.get("critical_path_ms")).longValue() / 1000.0);
    }

    /** One face_rig server against three: makespans, and each against the providers' bound. */
    private static void faceRigSpeedup(List<Map<String, Object>> results, Map<String, Object> out) {
        Map<String, Object> one = results.stream().filter(r -> "facerig-1".equals(r.get("scenario"))).findFirst().orElse(null);
        Map<String, Object> three = results.stream().filter(r -> "facerig-3".equals(r.get("scenario"))).findFirst().orElse(null);
        if (one == null || three == null || !one.containsKey("makespan_ms") || !three.containsKey("makespan_ms")) {
            return;
        }
        double got = ((Number) one.get("makespan_ms")).doubleValue() / ((Number) three.get("makespan_ms")).doubleValue();
        out.put("facerig-1 / facerig-3", Map.of("speedup", got, "ratio_1", one.get("ratio"), "ratio_3", three.get("ratio")));
        System.out.printf(Locale.ROOT, "speedup facerig-1 -> facerig-3: %.2fx (goal >= 2.5x); makespan / bound %.2f with one server "
                + "(goal <= 1.15), %.2f with three (goal <= 1.25)%n", got, (Double) one.get("ratio"), (Double) three.get("ratio"));
    }

    private static void print(Map<String, Object> r) {
        System.out.printf(Locale.ROOT, "%-18s %6s %5s %10s %10s %7s %7s %7s %8s %9s  %s%n", r.get("scenario"), r.getOrDefault("scenes", ""),
                r.getOrDefault("concurrency", ""), ms(r.get("makespan_ms")), ms(r.get("critical_path_ms")),
                r.containsKey("ratio") ? String.format(Locale.ROOT, "%.2f", (Double) r.get("ratio")) : "", r.getOrDefault("provider_calls", ""),
                r.getOrDefault("retries", ""), r.getOrDefault("peak_threads", ""), r.getOrDefault("peak_heap_mb", ""), r.getOrDefault("result", ""));
    }

    private static String ms(Object v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.2f s", ((Number) v).longValue() / 1000.0);
    }

    static Map<String, Object> run(Scenario s) throws Exception {
        Path dir = ROOT.resolve(s.name());
        AtomicFiles.deleteTree(dir);
        SimulatorSettings sim = new SimulatorSettings(0, 0, s.faultRate(), 3_600_000, 70_000, s.latencies(), true, 0, s.facerigServers());
        CallGaps gaps = new CallGaps(Math.max(1, s.poll()));
        try (ProviderSimulator simulator = ProviderSimulator.start(sim); Sampler sampler = new Sampler()) {
            Main main = pipeline(dir, simulator.baseUrl(), String.join(",", simulator.facerigUrls()), s.concurrency(), s.faceRig(), s.poll(),
                    s.redeliveryDelay(), s.maxRedeliveries(),
                    s.name().startsWith("backoff") ? Integer.getInteger("bench.backoff-workers", 8) : 16, gaps);
            long start = System.nanoTime();
            drop(dir, "bench", plan(s.scenes(), s.promptSuffix()));
            Path manifest = dir.resolve("outbox/bench/manifest.json");
            Path dead = dir.resolve("dead-letter/bench.error.json");
            while (!Files.exists(manifest) && !Files.exists(dead)) {
                Thread.sleep(20);
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
    static long criticalPath(Scenario s) {
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
        long narrationBound = tts + (s.scenes() + s.facerigServers() - 1) / s.facerigServers() * faceRig;
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

    static Main pipeline(Path dir, String base, String facerigUrls, int concurrency, boolean faceRig, long poll, long delay, int retries,
                         int workers, CallGaps gaps) throws Exception {
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
        // the providers' orchestration is measured: no final ffmpeg encode, no management server
        p.setProperty("assembly.enabled", "false");
        p.setProperty("camel.management.enabled", "false");
        // the simulator has no rate limit; Replicate's 600 creates a minute would otherwise set the pace of big scenarios
        p.setProperty("replicate.max-creates-per-minute", "100000");
        p.setProperty("replicate.poll-interval", String.valueOf(Math.max(1, poll)));
        for (String c : new String[] {"video", "facerig", "storyboard"}) {
            p.setProperty("retry." + c + ".redeliveryDelay", String.valueOf(delay));
            p.setProperty("retry." + c + ".maximumRedeliveries", String.valueOf(retries));
        }
        p.setProperty("replicate.base-url", base);
        p.setProperty("elevenlabs.base-url", base);
        p.setProperty("facerig.base-url", facerigUrls);
        p.setProperty("elevenlabs.max-concurrent", String.valueOf(Math.max(2, Math.min(100, concurrency))));
        p.setProperty("replicate.api-token", "bench-token");
        p.setProperty("elevenlabs.api-key", "bench-key");
        p.setProperty("camel.main.configuration-classes", "io.scenepipeline.config.PipelineConfiguration");
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
    static Map<String, Object> soak(int plans) throws Exception {
        Path dir = ROOT.resolve("soak-" + plans);
        AtomicFiles.deleteTree(dir);
        SimulatorSettings sim = new SimulatorSettings(0, 0, 0, 3_600_000, 70_000, Map.of(), true, 0);
        try (ProviderSimulator simulator = ProviderSimulator.start(sim); Sampler sampler = new Sampler()) {
            Main main = pipeline(dir, simulator.baseUrl(), 1, false, 1, 200, 2, 16);
            long start = System.nanoTime();
            for (int i = 0; i < plans; i++) {
                drop(dir, "soak-" + i, i % 10 == 9 ? "{\"scenes\": 0}" : plan(1, " soak " + i));
            }
            while (count(dir.resolve("outbox")) + count(dir.resolve("dead-letter")) / 3 < plans) {
                Thread.sleep(50);
            }
            long wall = (System.nanoTime() - start) / 1_000_000;
            main.stop();
            long out = count(dir.resolve("outbox"));
            long dead = count(dir.resolve("dead-letter")) / 3;
            long left = count(dir.resolve("inbox")) + count(dir.resolve("work/inflight"));
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("scenario", "soak-" + plans);
            r.put("scenes", plans);
            r.put("concurrency", 2);
            r.put("makespan_ms", wall);
            r.put("provider_calls", simulator.requestCounts().values().stream().mapToInt(Integer::intValue).sum());
            r.put("peak_threads", sampler.peakThreads());
            r.put("peak_heap_mb", sampler.peakHeapMb());
            r.put("result", out + " in the outbox, " + dead + " dead-lettered, " + left + " left behind, "
                    + Math.round(plans * 1000.0 / wall) + " plans/s");
            return r;
        }
    }

    /**
     * java start to consuming the inbox: the jar as a user starts it (provider keys from the environment, an empty
     * inbox, {@code --once}), the median of three starts; the same with {@code --simulate} for comparison.
     */
    static Map<String, Object> startup() throws Exception {
        Path dir = ROOT.resolve("startup");
        long[] service = new long[3];
        long[] simulated = new long[3];
        for (int i = 0; i < 3; i++) {
            service[i] = timeToWatching(dir, false);
            simulated[i] = timeToWatching(dir, true);
        }
        java.util.Arrays.sort(service);
        java.util.Arrays.sort(simulated);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("scenario", "startup");
        r.put("makespan_ms", service[1]);
        r.put("with_simulator_ms", simulated[1]);
        r.put("result", "java start to consuming the inbox, median of 3 (goal < 2 s); with --simulate "
                + String.format(Locale.ROOT, "%.2f s", simulated[1] / 1000.0));
        return r;
    }

    private static long timeToWatching(Path dir, boolean simulate) throws Exception {
        AtomicFiles.deleteTree(dir);
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>(List.of(java(), "-Dcamel.management.port=0", "-jar", Path.of("target/scene-pipeline.jar").toAbsolutePath().toString(), "--once"));
        if (simulate) {
            cmd.add("--simulate");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("REPLICATE_API_TOKEN", "bench-token");
        pb.environment().put("ELEVENLABS_API_KEY", "bench-key");
        long start = System.nanoTime();
        Process p = pb.start();
        long watching = -1;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (watching < 0 && line.contains("Watching")) {
                    watching = (System.nanoTime() - start) / 1_000_000;
                }
            }
        }
        p.waitFor();
        return watching;
    }

    /** A 1 GiB clip through a pipeline JVM limited to 64 MiB of heap; peak RSS from /proc. */
    static Map<String, Object> bigDownload(long bytes) throws Exception {
        Path dir = ROOT.resolve("download-1g");
        AtomicFiles.deleteTree(dir);
        Files.createDirectories(dir);
        Path jar = Path.of("target/scene-pipeline.jar").toAbsolutePath();
        Process sim = new ProcessBuilder(java(), "-Dsimulator.prediction-ms=100", "-Dsimulator.clip-bytes=" + bytes,
                "-cp", jar.toString(), "io.scenepipeline.simulator.SimulatorMain").redirectErrorStream(true).start();
        try {
            String base = io.scenepipeline.simulator.SimulatorMain.baseUrlOf(sim);
            Files.writeString(dir.resolve("application.properties"), String.join("\n", "replicate.base-url=" + base,
                    "elevenlabs.base-url=" + base, "facerig.base-url=" + base, "replicate.api-token=t", "elevenlabs.api-key=k",
                    "pipeline.face-rig.enabled=false", "replicate.poll-interval=100", "replicate.max-download-bytes=" + (2 * bytes), ""));
            drop(dir.resolve("data"), "big", plan(1, ""));
            long start = System.nanoTime();
            Process p = new ProcessBuilder(java(), "-Xmx64m", "-Dcamel.management.port=0", "-Dassembly.enabled=false", "-jar", jar.toString(), "--once").directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("pipeline.log").toFile()).start();
            long peakRssKb = 0;
            while (p.isAlive()) {
                peakRssKb = Math.max(peakRssKb, rssKb(p.pid()));
                Thread.sleep(50);
            }
            long wall = (System.nanoTime() - start) / 1_000_000;
            Path clip = dir.resolve("data/outbox/big/clips/scene_1.mp4");
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("scenario", "download-1g");
            r.put("makespan_ms", wall);
            r.put("peak_rss_mb", peakRssKb / 1024);
            r.put("result", (p.exitValue() == 0 && Files.exists(clip) && Files.size(clip) == bytes ? "succeeded" : "FAILED (exit " + p.exitValue() + ")")
                    + " with -Xmx64m; peak RSS " + peakRssKb / 1024 + " MB");
            return r;
        } finally {
            sim.destroyForcibly();
        }
    }

    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    private static long count(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> !f.getFileName().toString().startsWith(".")).count();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Routing overhead per provider call: within one chain (one exchange), the time from a provider's answer to the next
     * provider request, less the poll interval the Replicate poll loop waits on purpose. That is everything our routes
     * do between two calls (parsing, journal writes, routing, thread hand-offs), measured from Camel's own exchange
     * sending/sent events.
     */
    static final class CallGaps extends org.apache.camel.support.EventNotifierSupport {
        private final long pollNanos;
        private final Map<String, long[]> lastSent = new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.Queue<Long> routing = new java.util.concurrent.ConcurrentLinkedQueue<>();
        private final java.util.Queue<Long> afterDownload = new java.util.concurrent.ConcurrentLinkedQueue<>();

        CallGaps(long pollMs) {
            this.pollNanos = pollMs * 1_000_000;
            setIgnoreCamelContextEvents(true);
            setIgnoreRouteEvents(true);
            setIgnoreServiceEvents(true);
            setIgnoreExchangeCreatedEvent(true);
            setIgnoreExchangeCompletedEvent(true);
            setIgnoreExchangeFailedEvents(true);
            setIgnoreExchangeRedeliveryEvents(true);
            setIgnoreStepEvents(true);
        }

        @Override
        public void notify(org.apache.camel.spi.CamelEvent event) {
            long now = System.nanoTime();
            if (event instanceof org.apache.camel.spi.CamelEvent.ExchangeSendingEvent sending && isProvider(sending.getEndpoint())) {
                long[] previous = lastSent.get(sending.getExchange().getExchangeId());
                if (previous != null) {
                    boolean poll = sending.getEndpoint().getEndpointUri().contains("throwExceptionOnFailure=false");
                    long gap = Math.max(0, now - previous[0] - (poll ? pollNanos : 0));
                    (previous[1] == 1 ? afterDownload : routing).add(gap);
                }
            } else if (event instanceof org.apache.camel.spi.CamelEvent.ExchangeSentEvent sent && isProvider(sent.getEndpoint())) {
                // a streamed download's body is read after this event, so its gap includes the transfer to disk
                boolean streamed = sent.getEndpoint().getEndpointUri().contains("disableStreamCache=true");
                lastSent.put(sent.getExchange().getExchangeId(), new long[] {now, streamed ? 1 : 0});
            }
        }

        private static boolean isProvider(org.apache.camel.Endpoint endpoint) {
            return endpoint != null && endpoint.getEndpointUri().startsWith("http");
        }

        int count() {
            return routing.size();
        }

        /** Median gap after a JSON answer (create, poll): routing, parsing and the journal write. */
        double medianMs() {
            return median(routing);
        }

        /** Median gap after a streamed download: the body to disk, its hash, the journal, the next request's body. */
        double medianAfterDownloadMs() {
            return median(afterDownload);
        }

        private static double median(java.util.Collection<Long> gaps) {
            List<Long> all = new ArrayList<>(gaps);
            all.sort(Long::compare);
            return all.isEmpty() ? Double.NaN : Math.round(all.get(all.size() / 2) / 1000.0) / 1000.0;
        }
    }

    /** Samples live threads (the simulator's own excluded) and heap in use every 10 ms. */
    static final class Sampler implements AutoCloseable {
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
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
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
}
