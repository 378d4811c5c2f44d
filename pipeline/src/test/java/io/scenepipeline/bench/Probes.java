package io.scenepipeline.bench;

import io.scenepipeline.simulator.ProviderSimulator;
import io.scenepipeline.simulator.SimulatorSettings;
import io.scenepipeline.support.AtomicFiles;
import org.apache.camel.main.Main;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** The benchmark rows that are not a plan of scenes: startup time, a soak of many plans, a big download. */
final class Probes {

    private static final Path ROOT = Benchmark.ROOT;

    private Probes() {
    }

    static Map<String, Object> soak(int plans) throws Exception {
        Path dir = ROOT.resolve("soak-" + plans);
        AtomicFiles.deleteTree(dir);
        SimulatorSettings sim = new SimulatorSettings(0, 0, 0, 3_600_000, 70_000, Map.of(), true, 0);
        try (ProviderSimulator simulator = ProviderSimulator.start(sim); Sampler sampler = new Sampler()) {
            Main main = Scenarios.pipeline(dir, simulator.baseUrl(), 1, false, 1, 200, 2, 16);
            long start = System.nanoTime();
            for (int i = 0; i < plans; i++) {
                Scenarios.drop(dir, "soak-" + i, i % 10 == 9 ? "{\"scenes\": 0}" : Scenarios.plan(1, " soak " + i));
            }
            // the sample of what has landed is taken as often as the scan allows: a plan's end is a file, not an event here
            while (count(dir.resolve("outbox")) + count(dir.resolve("dead-letter")) / 3 < plans) {
                java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
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
            Scenarios.drop(dir.resolve("data"), "big", Scenarios.plan(1, ""));
            long start = System.nanoTime();
            Process p = new ProcessBuilder(java(), "-Xmx64m", "-Dcamel.management.port=0", "-Dassembly.enabled=false", "-jar", jar.toString(), "--once").directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("pipeline.log").toFile()).start();
            long peakRssKb = 0;
            while (p.isAlive()) {
                peakRssKb = Math.max(peakRssKb, rssKb(p.pid()));
                p.waitFor(50, java.util.concurrent.TimeUnit.MILLISECONDS);
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
}
