package io.scenepipeline.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class StepJournalTest {

    @TempDir
    Path dir;

    private static final String KEY = "a".repeat(64);

    @Test
    void should_give_back_a_recorded_step_and_restore_its_file() throws Exception {
        StepJournal journal = new FileStepJournal(dir.resolve("journal"));
        Path out = Files.writeString(dir.resolve("scene_1.png"), "image bytes");

        journal.record(new FinishedStep(KEY, "text-to-image", "replicate", "google/imagen-3", "pred1", null, "https://x/out.png", 2, 1234, null, null), out);
        StepEntry entry = journal.find(KEY).orElseThrow();
        journal.restore(entry, dir.resolve("again/scene_1.png"));

        assertThat(entry.predictionId()).isEqualTo("pred1");
        assertThat(entry.attempts()).isEqualTo(2);
        assertThat(dir.resolve("again/scene_1.png")).hasContent("image bytes");
    }

    @Test
    void should_not_reuse_a_step_whose_file_was_damaged() throws Exception {
        StepJournal journal = new FileStepJournal(dir.resolve("journal"));
        Path out = Files.writeString(dir.resolve("a.wav"), "audio");
        StepEntry entry = journal.record(new FinishedStep(KEY, "text-to-speech", "elevenlabs", null, null, "req", null, 1, 10, null, null), out);

        Files.writeString(dir.resolve("journal/artifacts").resolve(entry.artifact()), "AUDIO");

        assertThat(journal.find(KEY)).isEmpty();
    }

    @Test
    void should_notice_damage_after_an_earlier_lookup_trusted_the_file() throws Exception {
        StepJournal journal = new FileStepJournal(dir.resolve("journal"));
        Path out = Files.writeString(dir.resolve("b.wav"), "audio");
        StepEntry entry = journal.record(new FinishedStep(KEY, "text-to-speech", "elevenlabs", null, null, "req", null, 1, 10, null, null), out);
        assertThat(journal.find(KEY)).isPresent();

        // edited in place through the hard link in the plan folder: same size, a later mtime
        Path artifact = dir.resolve("journal/artifacts").resolve(entry.artifact());
        Files.writeString(artifact, "AUDIO");
        Files.setLastModifiedTime(artifact, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));

        assertThat(journal.find(KEY)).isEmpty();
    }

    @Test
    void should_purge_entries_unused_for_the_retention_and_their_files() throws Exception {
        StepJournal journal = new FileStepJournal(dir.resolve("journal"));
        StepEntry entry = journal.record(new FinishedStep(KEY, "export", "face_rig", null, null, null, null, 1, 10, null, null), "video".getBytes(), ".mp4");
        Path file = dir.resolve("journal/steps/" + KEY + ".json");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofDays(8))));

        int removed = journal.purge(Duration.ofDays(7));

        assertThat(removed).isEqualTo(1);
        assertThat(journal.find(KEY)).isEmpty();
        assertThat(dir.resolve("journal/artifacts").resolve(entry.artifact())).doesNotExist();
    }

    @Test
    void should_journal_a_pending_prediction_until_its_step_is_recorded() throws Exception {
        StepJournal journal = new FileStepJournal(dir.resolve("journal"));

        journal.pending(new PendingPrediction(KEY, 1000, null, null, null));
        journal.pending(new PendingPrediction(KEY, 1000, "abc", 2000L, null));
        PendingPrediction pending = journal.pending(KEY).orElseThrow();
        journal.record(new FinishedStep(KEY, "image-to-video", "replicate", "m", null, null, null, 1, 1, null, null), "clip".getBytes(), ".mp4");

        assertThat(pending.predictionId()).isEqualTo("abc");
        assertThat(journal.pending(KEY)).isEmpty();
    }
}
