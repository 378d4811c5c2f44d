package io.scenepipeline.support;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A plan folder published from one file system to another (a node's work folder, a shared outbox). */
class AtomicFilesTest {

    @Test
    void should_move_a_folder_to_another_file_system_whole() throws Exception {
        Path shm = Path.of("/dev/shm");
        Path targetRoot = Files.createDirectories(Path.of("target", "it-runs").toAbsolutePath());
        Assumptions.assumeTrue(Files.isDirectory(shm) && !Files.getFileStore(shm).equals(Files.getFileStore(targetRoot)),
                "needs /dev/shm on a file system of its own");
        Path staging = Files.createDirectories(shm.resolve("staging-" + UUID.randomUUID()).resolve("clips"));
        Files.writeString(staging.resolve("scene_1.mp4"), "clip");
        Files.writeString(staging.getParent().resolve("manifest.json"), "{}");
        Path outbox = Files.createTempDirectory(targetRoot, "outbox-");
        Path target = outbox.resolve("plan");

        AtomicFiles.move(staging.getParent(), target);

        assertThat(target.resolve("clips/scene_1.mp4")).hasContent("clip");
        assertThat(target.resolve("manifest.json")).hasContent("{}");
        assertThat(staging.getParent()).doesNotExist();
        try (var left = Files.list(outbox)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("plan");
        }
    }
}
