package io.scenepipeline.app;

import io.scenepipeline.simulator.SimulatorSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scratch space stays bounded whatever a plan's length and poll interval: Replicate echoes a prediction's input (a
 * {@code data:} image of a few hundred KB) in every poll answer, and those answers are read and let go, not kept in the
 * stream-cache spool ({@code work/tmp/spool}) until the plan ends.
 */
class ScratchTest extends PipelineTestSupport {

    private static final int SCENES = 3;
    // rendered images (no fast media): each video poll answer carries the whole image as a data: URI
    private static final SimulatorFixture SIMULATOR = new SimulatorFixture(new SimulatorSettings(1500, 0, 0, 3_600_000, 70_000,
            Map.of("image", 50L, "tts", 0L, "align", 0L, "emotions", 0L, "export", 0L), false, 0, 1));

    @AfterEach
    void stopSimulator() {
        SIMULATOR.close();
    }

    @Override
    protected Properties extraProperties() {
        Properties p = SIMULATOR.providers();
        p.setProperty("replicate.poll-interval", "30");
        p.setProperty("replicate.max-inline-image-bytes", "10000000");
        return p;
    }

    @Test
    void should_keep_no_poll_answer_in_the_spool_while_a_plan_runs() throws Exception {
        Path spool = dir.resolve("work/tmp/spool");
        AtomicLong most = new AtomicLong();
        AtomicLong mostBytes = new AtomicLong();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleWithFixedDelay(() -> {
            try (var files = Files.exists(spool) ? Files.list(spool) : java.util.stream.Stream.<Path>empty()) {
                long[] countAndBytes = {0, 0};
                files.forEach(f -> {
                    if (System.getenv("SCRATCH_DEBUG") != null) {
                        System.out.println("spool: " + f.getFileName() + " " + f.toFile().length());
                    }
                    countAndBytes[0]++;
                    countAndBytes[1] += f.toFile().length();
                });
                most.accumulateAndGet(countAndBytes[0], Math::max);
                mostBytes.accumulateAndGet(countAndBytes[1], Math::max);
            } catch (IOException | java.io.UncheckedIOException gone) {
                // a file went while listed
            }
        }, 0, 10, TimeUnit.MILLISECONDS);
        try {
            StringBuilder scenes = new StringBuilder();
            for (int i = 1; i <= SCENES; i++) {
                scenes.append(i > 1 ? "," : "").append("{\"scene_number\": ").append(i).append(", \"narration\": \"Scene ").append(i)
                        .append(".\", \"visual_description\": \"Scratch scene ").append(i).append("\", \"duration\": 2}");
            }
            runPlan("scratch.json", "{\"scenes\": [" + scenes + "]}");
        } finally {
            sampler.shutdownNow();
        }

        assertThat(readJson(outbox("scratch").resolve("manifest.json")).path("status").asText()).isEqualTo("succeeded");
        int polls = SIMULATOR.get().requestCounts().getOrDefault("replicate.poll", 0);
        System.out.printf("%d polls; at most %d files, %d bytes in the spool%n", polls, most.get(), mostBytes.get());
        assertThat(polls).as("polls of video predictions with a data: image in their input").isGreaterThan(30);
        // what stays is what a scene's face_rig calls send (its narration's audio), until the scene ends: two per scene at
        // most, however many polls (the poll answers alone made 100 files and 30 MB before)
        assertThat(most.get()).as("files in work/tmp/spool at once").isLessThanOrEqualTo(2L * SCENES);
    }
}
