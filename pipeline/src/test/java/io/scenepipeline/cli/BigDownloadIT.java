package io.scenepipeline.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A clip several times larger than the heap streams from socket to disk: the jar with -Xmx48m takes 384 MiB. */
class BigDownloadIT {

    private static final long CLIP = 384L << 20;
    private static final Path JAR = Path.of("target", "scene-pipeline.jar").toAbsolutePath();
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void should_download_a_clip_larger_than_the_heap() throws Exception {
        Files.createDirectories(Path.of("target", "it-runs"));
        Path work = Files.createTempDirectory(Path.of("target", "it-runs").toAbsolutePath(), "big-");
        Process sim = new ProcessBuilder(java(), "-Dsimulator.prediction-ms=100", "-Dsimulator.clip-bytes=" + CLIP, "-cp", JAR.toString(),
                "io.scenepipeline.simulator.SimulatorMain").redirectErrorStream(true).start();
        processes.add(sim);
        String base = io.scenepipeline.simulator.SimulatorMain.baseUrlOf(sim);
        Files.writeString(work.resolve("application.properties"), String.join("\n", "replicate.base-url=" + base,
                "elevenlabs.base-url=" + base, "facerig.base-url=" + base, "replicate.api-token=big-test-token",
                "elevenlabs.api-key=big-test-key", "pipeline.face-rig.enabled=false", "replicate.poll-interval=100", ""));
        Path plan = work.resolve("big.json");
        Files.writeString(plan, "{\"scenes\": [{\"scene_number\": 1, \"narration\": \"A big one.\", \"visual_description\": \"A big clip\", \"duration\": 5}]}");

        Process p = new ProcessBuilder(java(), "-Xmx48m", "-Dcamel.management.port=0", "-Dassembly.enabled=false", "-jar", JAR.toString(), "--once", plan.toString())
                .directory(work.toFile()).redirectErrorStream(true).start();
        processes.add(p);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(8, TimeUnit.MINUTES)).isTrue();

        assertThat(p.exitValue()).as(output).isZero();
        assertThat(work.resolve("data/outbox/big/clips/scene_1.mp4")).hasSize(CLIP);
        assertThat(output).doesNotContain("OutOfMemoryError");
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
