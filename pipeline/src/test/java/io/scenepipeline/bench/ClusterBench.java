package io.scenepipeline.bench;

import io.scenepipeline.cli.ClusterServices;
import io.scenepipeline.support.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Cluster mode measured (bench/run cluster): plans per minute with one node and with two on the same simulator,
 * PostgreSQL and Artemis (each node one plan at a time, four simulated face_rig servers, so the second node has room
 * to work), and the time from a node's death (kill -9) to every one of its plans running again on the other node.
 */
public final class ClusterBench {

    private static final Path JAR = Path.of("target", "scene-pipeline.jar").toAbsolutePath();
    private static final Path ROOT = Path.of("target", "bench", "cluster").toAbsolutePath();
    private static final int PLANS = 6;
    /** Notified at every line a node prints. */
    private static final Object LINES = new Object();

    private final List<Process> processes = new ArrayList<>();

    /** A node process and when each of its lines was read. */
    private record Node(Process process, List<String> lines, Map<String, Long> firstSeen) {
        boolean has(String text) {
            return lines.stream().anyMatch(l -> l.contains(text));
        }
    }

    public static void main(String[] args) throws Exception {
        ClusterBench bench = new ClusterBench();
        try {
            bench.run();
        } finally {
            bench.processes.forEach(Process::destroyForcibly);
        }
        System.exit(0);
    }

    private void run() throws Exception {
        Files.createDirectories(ROOT);
        Process sim = start(List.of(java(), "-Dsimulator.prediction-ms=2000", "-Dsimulator.facerig-servers=4",
                "-Dsimulator.latency.align=500", "-Dsimulator.latency.export=800", "-cp", JAR.toString(),
                "io.scenepipeline.simulator.SimulatorMain"), null);
        BufferedReader out = new BufferedReader(new InputStreamReader(sim.getInputStream(), StandardCharsets.UTF_8));
        String simulator = null;
        String facerig = null;
        while (facerig == null) {
            String line = out.readLine();
            if (line == null) {
                throw new IllegalStateException("the simulator ended without printing its URLs");
            }
            if (line.startsWith("http://")) {
                simulator = line.trim();
            } else if (line.startsWith("facerig.base-url=")) {
                facerig = line.substring("facerig.base-url=".length()).trim();
            }
        }
        Thread drain = new Thread(() -> {
            try {
                out.transferTo(Writer.nullWriter());
            } catch (IOException ended) {
                // the simulator is gone
            }
        });
        drain.setDaemon(true);
        drain.start();
        System.out.printf("scene-pipeline cluster benchmark on %d cores: %d plans of 2 scenes, each node one plan at a time%n%n",
                Runtime.getRuntime().availableProcessors(), PLANS);
        double one = plansPerMinute(1, simulator, facerig);
        double two = plansPerMinute(2, simulator, facerig);
        double resume = resumeSeconds(simulator, facerig);
        System.out.printf(Locale.ROOT, "%-34s %8.1f%n%-34s %8.1f%n%-34s %8.2fx%n%-34s %8.1f s%n", "plans per minute, 1 node", one,
                "plans per minute, 2 nodes", two, "2 nodes / 1 node", two / one, "node death to its plans resumed", resume);
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("plans_per_minute_1_node", one);
        results.put("plans_per_minute_2_nodes", two);
        results.put("ratio", two / one);
        results.put("death_to_resumed_s", resume);
        Files.write(ROOT.resolve("results.json"), Json.pretty(results));
    }

    private double plansPerMinute(int nodes, String simulator, String facerig) throws Exception {
        Round round = new Round(ClusterServices.require(), Files.createTempDirectory(ROOT, "shared-"));
        List<Node> started = new ArrayList<>();
        for (int n = 1; n <= nodes; n++) {
            started.add(round.node("node" + n, simulator, facerig));
        }
        for (Node node : started) {
            until(() -> node.has("Watching"), 90);
        }
        long t0 = System.nanoTime();
        for (int p = 1; p <= PLANS; p++) {
            round.drop(p);
        }
        until(() -> round.manifests() == PLANS, 600);
        double seconds = (System.nanoTime() - t0) / 1e9;
        started.forEach(n -> n.process().destroyForcibly());
        return PLANS / seconds * 60;
    }

    private double resumeSeconds(String simulator, String facerig) throws Exception {
        Round round = new Round(ClusterServices.require(), Files.createTempDirectory(ROOT, "shared-"));
        Node dying = round.node("dying", simulator, facerig);
        Node other = round.node("other", simulator, facerig);
        until(() -> dying.has("Watching") && other.has("Watching"), 90);
        for (int p = 1; p <= 4; p++) {
            round.drop(p);
        }
        until(() -> dying.has("Starting") && other.has("Starting"), 120);
        Set<String> plans = new TreeSet<>();
        dying.lines().stream().filter(l -> l.contains(" Starting ")).forEach(l -> plans.add(l.replaceAll(".*plan=(\\S+) .*", "$1")));
        dying.process().destroyForcibly().waitFor();
        long killed = System.nanoTime();
        until(() -> plans.stream().allMatch(p -> other.firstSeen().keySet().stream()
                .anyMatch(l -> l.contains("plan=" + p + " Starting") && other.firstSeen().get(l) > killed)), 300);
        long resumed = plans.stream().mapToLong(p -> other.firstSeen().entrySet().stream()
                .filter(e -> e.getKey().contains("plan=" + p + " Starting") && e.getValue() > killed)
                .mapToLong(Map.Entry::getValue).min().orElseThrow()).max().orElseThrow();
        until(() -> round.manifests() == 4, 600);
        other.process().destroyForcibly();
        return (resumed - killed) / 1e9;
    }

    /** One measurement's schema, queue and shared folders. */
    private final class Round {
        final ClusterServices services;
        final Path shared;

        Round(ClusterServices services, Path shared) {
            this.services = services;
            this.shared = shared;
        }

        Node node(String name, String simulator, String facerig) throws IOException {
            Path dir = Files.createDirectories(shared.resolve(name));
            List<String> settings = new ArrayList<>(services.nodeSettings());
            settings.addAll(List.of("replicate.base-url=" + simulator, "elevenlabs.base-url=" + simulator, "facerig.base-url=" + facerig,
                    "replicate.api-token=bench", "elevenlabs.api-key=bench", "camel.management.port=0", "replicate.poll-interval=100",
                    "pipeline.inbox.min-age=100", "pipeline.inbox.poll-delay=100", "pipeline.inbox=" + shared.resolve("inbox"),
                    "pipeline.outbox=" + shared.resolve("outbox"), "pipeline.dead-letter=" + shared.resolve("dead-letter"),
                    "pipeline.artifacts=" + shared.resolve("artifacts"), "pipeline.journal.lease=3s", "pipeline.plan-concurrency=1",
                    "elevenlabs.max-concurrent=4", "facerig.max-concurrent=1", "assembly.enabled=false"));
            Files.writeString(dir.resolve("application.properties"), String.join("\n", settings) + "\n");
            List<String> lines = new CopyOnWriteArrayList<>();
            Map<String, Long> seen = new ConcurrentHashMap<>();
            Process p = start(List.of(java(), "-jar", JAR.toString()), dir);
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        lines.add(line);
                        seen.putIfAbsent(line.length() > 24 ? line.substring(24) : line, System.nanoTime());
                        synchronized (LINES) {
                            LINES.notifyAll();
                        }
                    }
                } catch (IOException ended) {
                    // the node is gone
                }
            });
            reader.setDaemon(true);
            reader.start();
            return new Node(p, lines, seen);
        }

        void drop(int p) throws IOException {
            Path inbox = Files.createDirectories(shared.resolve("inbox"));
            String scenes = "{\"scene_number\": 1, \"scene_type\": \"video\", \"narration\": \"Bench " + p + " one.\", "
                    + "\"visual_description\": \"Bench plan " + p + " scene 1 " + shared.getFileName() + "\", \"duration\": 4},"
                    + "{\"scene_number\": 2, \"scene_type\": \"video\", \"narration\": \"Bench " + p + " two.\", "
                    + "\"visual_description\": \"Bench plan " + p + " scene 2 " + shared.getFileName() + "\", \"duration\": 4}";
            Path tmp = inbox.resolve(".bench-" + p + ".tmp");
            Files.writeString(tmp, "{\"plan_id\": \"bench-" + p + "\", \"scenes\": [" + scenes + "]}");
            Files.move(tmp, inbox.resolve("bench-" + p + ".json"), StandardCopyOption.ATOMIC_MOVE);
        }

        long manifests() throws IOException {
            Path outbox = shared.resolve("outbox");
            if (!Files.isDirectory(outbox)) {
                return 0;
            }
            try (var dirs = Files.list(outbox)) {
                return dirs.filter(d -> Files.exists(d.resolve("manifest.json"))).count();
            }
        }
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    /** Checks again at every line a node prints (each step of a plan prints one), up to {@code seconds}. */
    private static void until(Check check, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!check.ok()) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("not within " + seconds + " s");
            }
            synchronized (LINES) {
                LINES.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 1000)));
            }
        }
    }

    private Process start(List<String> cmd, Path dir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
