package io.scenepipeline.cli;

import io.scenepipeline.support.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pulling the plug: the pipeline jar is killed with SIGKILL while a plan is half done, then started again with
 * {@code --once}. The simulator runs in a process of its own, so it outlives the pipeline and counts every create.
 */
class CrashIT {

    private static final Path JAR = Path.of("target", "scene-pipeline.jar").toAbsolutePath();
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stopAll() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void should_resume_a_killed_plan_without_paying_twice_for_any_prediction() throws Exception {
        Files.createDirectories(Path.of("target", "it-runs"));
        Path work = Files.createTempDirectory(Path.of("target", "it-runs").toAbsolutePath(), "crash-");
        String simulator = startSimulator();
        Files.writeString(work.resolve("application.properties"), String.join("\n",
                "replicate.base-url=" + simulator, "elevenlabs.base-url=" + simulator, "facerig.base-url=" + simulator,
                "replicate.api-token=crash-test-token", "elevenlabs.api-key=crash-test-key", "replicate.poll-interval=200",
                "retry.video.redeliveryDelay=100", "retry.facerig.redeliveryDelay=100", "pipeline.inbox.min-age=100", ""));
        Path plan = Path.of("examples", "plans", "grand-canyon.json").toAbsolutePath();

        Process first = start(work, plan.toString());
        Path artifacts = work.resolve("data/work/journal/artifacts");
        // generous: a busy machine makes media slowly (the simulator makes them off the request path, so no call times out)
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(100))
                .until(() -> count(artifacts, ".mp4") >= 2);
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        assertThat(work.resolve("data/work/inflight/grand-canyon.json")).exists();
        assertThat(work.resolve("data/outbox/grand-canyon")).doesNotExist();
        Process second = start(work, "--once");
        String output = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(second.waitFor(8, TimeUnit.MINUTES)).isTrue();

        assertThat(second.exitValue()).as(output).isZero();
        assertThat(output).contains("Resuming 1 plan that was in flight: grand-canyon.json");
        Path out = work.resolve("data/outbox/grand-canyon");
        JsonNode manifest = Json.read(Files.readString(out.resolve("manifest.json")));
        assertThat(manifest.path("status").asText()).isEqualTo("succeeded");
        // the same run, resumed: what it paid before the kill is its own, so the manifest says what the whole plan cost
        // (the price --estimate gives for it), not only what the second process paid
        assertThat(manifest.path("cost_usd").asDouble()).isEqualTo(3.6837);
        for (int n = 1; n <= 4; n++) {
            for (String f : List.of("images/scene_" + n + ".png", "clips/scene_" + n + ".mp4", "audio/scene_" + n + ".wav",
                    "face_rig/scene_" + n + ".mp4")) {
                assertThat(out.resolve(f)).isNotEmptyFile();
            }
        }
        JsonNode stats = Json.read(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(simulator + "/_simulator/requests")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        System.out.println("simulator after the crash and the resumed run: " + stats.toPrettyString());
        assertThat(stats.path("creates_by_input")).hasSize(8);
        stats.path("creates_by_input").fields().forEachRemaining(e ->
                assertThat(e.getValue().asInt()).as("predictions created for %s", e.getKey()).isEqualTo(1));
    }

    private String startSimulator() throws IOException {
        Process sim = new ProcessBuilder(java(), "-Dsimulator.prediction-ms=2500", "-cp", JAR.toString(),
                "io.scenepipeline.simulator.SimulatorMain").redirectErrorStream(true).start();
        processes.add(sim);
        return io.scenepipeline.simulator.SimulatorMain.baseUrlOf(sim);
    }

    private Process start(Path work, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Dcamel.management.port=0", "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true).start();
        processes.add(p);
        return p;
    }

    private static long count(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).count();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
