package io.scenepipeline.cli;

import io.scenepipeline.support.Json;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/** Real processes for the ITs: the packaged jar and the standalone simulator, their output read as it comes. */
final class Processes implements AutoCloseable {

    static final Path JAR = Path.of("target", "scene-pipeline.jar").toAbsolutePath();
    static final Path EXAMPLES = Path.of("examples", "plans").toAbsolutePath();

    private final List<Process> started = new ArrayList<>();

    /** A started process and every line it has printed so far. */
    static final class Run {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        private final Thread reader;

        Run(Process process) {
            this(process, null);
        }

        /** @param copy where every line is written as well (for a look after a failed test), or null */
        Run(Process process, Path copy) {
            this.process = process;
            reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                     var out = copy == null ? Writer.nullWriter() : Files.newBufferedWriter(copy, StandardCharsets.UTF_8)) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        lines.add(line);
                        out.write(line);
                        out.write('\n');
                        out.flush();
                    }
                } catch (IOException ended) {
                    // the process is gone
                }
            }, "output-of-" + process.pid());
            reader.setDaemon(true);
            reader.start();
        }

        String output() {
            return String.join("\n", lines);
        }

        /** Waits until a line contains {@code text}; returns that line. */
        String awaitLine(String text, Duration atMost) {
            await().atMost(atMost).pollInterval(Duration.ofMillis(50))
                    .until(() -> lines.stream().anyMatch(l -> l.contains(text)) || !process.isAlive());
            return lines.stream().filter(l -> l.contains(text)).findFirst()
                    .orElseThrow(() -> new AssertionError("no line with '" + text + "' in:\n" + output()));
        }

        /** Waits for the process to end (and its output to be read); returns its exit code. */
        int exit(Duration atMost) throws InterruptedException {
            if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("still running after " + atMost + ":\n" + output());
            }
            reader.join(10_000);
            return process.exitValue();
        }
    }

    /** Runs the jar in {@code work} with JVM options first, then the program's arguments. */
    Run jar(Path work, List<String> jvmOptions, String... args) throws IOException {
        return command(work, List.of(), jvmOptions, args);
    }

    /** As {@link #jar}, behind a command prefix (e.g. one that changes the user). */
    Run command(Path work, List<String> prefix, List<String> jvmOptions, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(java());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        Process process = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true).start();
        started.add(process);
        return new Run(process, work.resolve("output-" + process.pid() + ".log"));
    }

    /** Starts the standalone simulator with {@code -D} settings; returns its base URL. */
    String simulator(String... settings) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java()));
        cmd.addAll(List.of(settings));
        cmd.addAll(List.of("-cp", JAR.toString(), "io.scenepipeline.simulator.SimulatorMain"));
        Process sim = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        started.add(sim);
        Run run = new Run(sim);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> run.lines.stream().anyMatch(l -> l.startsWith("http://")) || !sim.isAlive());
        return run.lines.stream().filter(l -> l.startsWith("http://")).findFirst()
                .orElseThrow(() -> new AssertionError("the simulator printed no URL:\n" + run.output())).trim();
    }

    static JsonNode simulatorRequests(String simulator) throws IOException, InterruptedException {
        return Json.read(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(simulator + "/_simulator/requests")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    /** A fresh folder under target/it-runs with an application.properties pointing every provider at {@code simulator}. */
    static Path workFolder(String prefix, String simulator, String... extraSettings) throws IOException {
        Files.createDirectories(Path.of("target", "it-runs"));
        Path work = Files.createTempDirectory(Path.of("target", "it-runs").toAbsolutePath(), prefix);
        List<String> props = new ArrayList<>();
        if (simulator != null) {
            props.addAll(List.of("replicate.base-url=" + simulator, "elevenlabs.base-url=" + simulator,
                    "facerig.base-url=" + simulator, "replicate.api-token=it-replicate-token", "elevenlabs.api-key=it-elevenlabs-key"));
        }
        props.addAll(List.of("camel.management.port=0", "replicate.poll-interval=200", "pipeline.inbox.min-age=100",
                "retry.video.redeliveryDelay=100", "retry.facerig.redeliveryDelay=100", "retry.storyboard.redeliveryDelay=100"));
        props.addAll(List.of(extraSettings));
        Files.writeString(work.resolve("application.properties"), String.join("\n", props) + "\n");
        return work;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public void close() {
        started.forEach(Process::destroyForcibly);
    }
}
