package io.scenepipeline.bench;

import io.scenepipeline.support.AtomicFiles;
import io.scenepipeline.support.Json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

    static final Path ROOT = Path.of("target", "bench");

    private Benchmark() {
    }

    record Scenario(String name, int scenes, int concurrency, boolean faceRig, Map<String, Long> latencies, long poll,
                    double faultRate, long redeliveryDelay, int maxRedeliveries, String promptSuffix, String note, int faceRigServers) {
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
            Map<String, Object> r = Scenarios.run(s);
            results.add(r);
            print(r);
        }
        if (only.isEmpty() || only.contains("startup")) {
            Map<String, Object> r = Probes.startup();
            results.add(r);
            print(r);
        }
        if (only.isEmpty() || only.contains("soak-1000")) {
            Map<String, Object> r = Probes.soak(1000);
            results.add(r);
            print(r);
        }
        if (only.contains("download-1g")) {
            Map<String, Object> r = Probes.bigDownload(1L << 30);
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

}
