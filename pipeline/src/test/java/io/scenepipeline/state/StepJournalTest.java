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

    @Test
    void should_ignore_an_entry_forged_to_point_outside_the_journal_and_never_read_that_file() throws Exception {
        StepJournal journal = new FileStepJournal(dir.resolve("journal"));
        StepEntry entry = journal.record(new FinishedStep(KEY, "text-to-speech", "elevenlabs", null, null, "req", null, 1, 10, null, null),
                Files.writeString(dir.resolve("a.wav"), "audio"));
        Path secrets = Files.writeString(dir.resolve("application.properties"), "replicate.api-token=r8_secret\n");
        // a forged entry: the key file's own hash and size, so that only where it points gives it away
        String forged = io.scenepipeline.support.Json.MAPPER.writeValueAsString(new StepEntry(KEY, entry.step(), entry.provider(), null,
                "../../application.properties", ArtifactStore.hash(secrets), Files.size(secrets), null, "req", null, 1, 10,
                entry.finishedAt(), null, null));
        Files.writeString(dir.resolve("journal/steps/" + KEY + ".json"), forged);

        assertThat(journal.find(KEY)).isEmpty();
        StepEntry named = new StepEntry(KEY, entry.step(), entry.provider(), null, "../../application.properties",
                ArtifactStore.hash(secrets), Files.size(secrets), null, null, null, 1, 10, entry.finishedAt(), null, null);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> journal.read(named)).isInstanceOf(java.io.IOException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> journal.restore(named, dir.resolve("out/scene_1.wav")))
                .isInstanceOf(java.io.IOException.class);
        assertThat(dir.resolve("out/scene_1.wav")).doesNotExist();
    }

    @Test
    void should_replace_a_damaged_file_with_the_output_of_the_step_done_again() throws Exception {
        StepJournal journal = new FileStepJournal(dir.resolve("journal"));
        Path out = Files.writeString(dir.resolve("c.png"), "image bytes");
        StepEntry entry = journal.record(new FinishedStep(KEY, "text-to-image", "replicate", "m", "p1", null, null, 1, 10, null, null), out);
        Path artifact = dir.resolve("journal/artifacts").resolve(entry.artifact());
        artifact.toFile().setWritable(true);
        Files.writeString(artifact, "damaged");
        assertThat(journal.find(KEY)).isEmpty();

        // the step done again makes the same bytes: the damaged file of that name is replaced, not kept for its name
        journal.record(new FinishedStep(KEY, "text-to-image", "replicate", "m", "p2", null, null, 1, 10, null, null), out);

        assertThat(artifact).hasContent("image bytes");
        assertThat(journal.find(KEY)).isPresent();
    }

    @Test
    void should_keep_the_journal_whole_when_a_delivered_file_is_edited_and_the_other_way_round() throws Exception {
        StepJournal journal = new FileStepJournal(dir.resolve("journal"));
        Path out = Files.writeString(dir.resolve("scene_2.png"), "image bytes");
        StepEntry entry = journal.record(new FinishedStep(KEY, "text-to-image", "replicate", "m", "p1", null, null, 1, 10, null, null), out);
        Path delivered = dir.resolve("outbox/plan/images/scene_2.png");
        journal.restore(entry, delivered);

        Files.writeString(delivered, "edited by the user");
        assertThat(journal.find(KEY)).as("the journal after the delivered file was edited").isPresent();
        Files.writeString(out, "edited too");
        assertThat(journal.find(KEY)).isPresent();

        Path artifact = dir.resolve("journal/artifacts").resolve(entry.artifact());
        artifact.toFile().setWritable(true);
        Files.writeString(artifact, "damaged");
        assertThat(delivered).as("the delivered file after the journal's was damaged").hasContent("edited by the user");
    }
}
