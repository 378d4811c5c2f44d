package io.scenepipeline.output;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dead letter that waits in the work folder while the dead-letter folder refuses it, and readiness: down while it
 * waits, up again once it is written, however the work folder is named (relative, as in the shipped settings).
 */
class DeadLettersTest {

    @Test
    void should_wait_for_nothing_once_the_waiting_letter_is_written_after_all() throws Exception {
        // relative folders, as data/work and data/dead-letter are by default
        Path root = Files.createDirectories(Path.of("target", "test-runs", "dead-letters-" + UUID.randomUUID()));
        Path folder = root.resolve("dead-letter");
        Files.writeString(folder, "a file where the folder should be");
        DeadLetters letters = new DeadLetters(folder, root.resolve("work"));

        DeadLetters.Delivery first = letters.send("p", DeadLetters.Source.of("{}".getBytes(StandardCharsets.UTF_8)),
                "{}".getBytes(StandardCharsets.UTF_8), "<html></html>".getBytes(StandardCharsets.UTF_8));
        assertThat(first.plan()).isNull();
        // the retry every few seconds, while the folder is still wrong
        assertThat(letters.retry()).isZero();
        assertThat(letters.waiting()).hasSize(1);

        Files.delete(folder);
        Files.createDirectories(folder);
        assertThat(letters.retry()).isEqualTo(1);

        assertThat(folder.resolve("p.json")).hasContent("{}");
        assertThat(letters.waiting()).as("what readiness reads").isEmpty();
        assertThat(letters.waitingCount()).isZero();
    }
}
