package io.scenepipeline.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cluster nodes of a chaos campaign: real processes of the packaged jar, each in a work folder of its own on the
 * shared folders, started again in the same folder after a kill, stopped and woken with real signals. Every line any
 * start of a node printed is kept (and written to {@code output.log} in its folder).
 */
final class ChaosNodes implements AutoCloseable {

    /** The packaged jar, or a copy of it ({@code -Dchaos.jar}: a long campaign that outlives a rebuild). */
    static final Path JAR = Path.of(System.getProperty("chaos.jar", "target/scene-pipeline.jar")).toAbsolutePath();
    private static final Pattern HEALTH = Pattern.compile("Health on (http://[^/]+)/");

    /** One node: its folder, its current process, and every line its starts printed. */
    static final class Node {
        final int number;
        final Path work;
        final List<String> lines = new CopyOnWriteArrayList<>();
        volatile Process process;
        volatile String management;
        volatile boolean stopped;
        volatile long startedAt;

        Node(int number, Path work) {
            this.number = number;
            this.work = work;
        }

        boolean running() {
            return process != null && process.isAlive();
        }

        /** Running, not stopped with SIGSTOP, and serving its management port. */
        boolean answering() {
            return running() && !stopped && management != null;
        }

        String name() {
            return "node " + number;
        }
    }

    private final List<Node> nodes = new ArrayList<>();

    ChaosNodes(Path root, int count, List<String> settings) throws IOException {
        for (int n = 1; n <= count; n++) {
            Path work = Files.createDirectories(root.resolve("node-" + n));
            Files.writeString(work.resolve("application.properties"), String.join("\n", settings) + "\n");
            nodes.add(new Node(n, work));
        }
    }

    List<Node> all() {
        return nodes;
    }

    /** Starts (or starts again) a node in its folder. */
    void start(Node node) throws IOException {
        node.management = null;
        node.stopped = false;
        node.startedAt = System.nanoTime();
        Process p = new ProcessBuilder(java(), "-Xmx384m", "-jar", JAR.toString()).directory(node.work.toFile())
                .redirectErrorStream(true).start();
        node.process = p;
        Thread reader = new Thread(() -> read(node, p), "chaos-" + node.name() + "-" + p.pid());
        reader.setDaemon(true);
        reader.start();
    }

    private static void read(Node node, Process p) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(node.work.resolve("output.log"), StandardCharsets.UTF_8,
                     java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)) {
            out.write("---- start of pid " + p.pid() + "\n");
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                node.lines.add(line);
                Matcher m = HEALTH.matcher(line);
                if (m.find()) {
                    node.management = m.group(1);
                }
                out.write(line);
                out.write('\n');
                out.flush();
            }
        } catch (IOException ended) {
            // the process is gone
        }
    }

    void signal(Node node, String signal) throws IOException, InterruptedException {
        if (signal.equals("KILL") || signal.equals("TERM")) {
            node.management = null; // going: its port closes before its process ends, and that is no slow answer
        }
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(node.process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + signal + " " + node.process.pid() + " failed");
        }
        if (signal.equals("STOP")) {
            node.stopped = true;
        } else if (signal.equals("CONT")) {
            node.stopped = false;
        }
    }

    /** Waits for a node's process to end; false when it is still running after {@code seconds}. */
    static boolean ended(Node node, long seconds) throws InterruptedException {
        return node.process.waitFor(seconds, TimeUnit.SECONDS);
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public void close() {
        for (Node node : nodes) {
            if (node.process != null) {
                node.process.destroyForcibly(); // SIGKILL ends a stopped process too
            }
        }
    }
}
