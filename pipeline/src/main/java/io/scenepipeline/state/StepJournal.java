package io.scenepipeline.state;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The step journal, in what it is: the step cache ({@link StepCache}), the predictions in flight
 * ({@link PendingPredictions}), the claims on steps and plans ({@link Claims}) and the plan runs' outcomes
 * ({@link RunOutcomes}). Two kinds keep all four together (one store, one transaction for a step and its claim):
 * {@link FileStepJournal} in {@code pipeline.work/journal} (one process: nothing to claim, every outcome its own), and
 * {@link io.scenepipeline.state.jdbc.JdbcStepJournal} in PostgreSQL (cluster mode). Safe for concurrent use; each user
 * asks for the part it needs.
 */
public interface StepJournal extends StepCache, PendingPredictions, Claims, RunOutcomes {

    static String hash(Path file) throws IOException {
        return ArtifactStore.hash(file);
    }
}
