package io.scenepipeline.state;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What both journals do alike: outputs kept in an {@link ArtifactStore}, an entry made of what was kept, and written
 * where the journal keeps its entries ({@link #write}).
 */
public abstract class ArtifactJournal implements StepJournal {

    protected final ArtifactStore artifacts;

    protected ArtifactJournal(ArtifactStore artifacts) {
        this.artifacts = artifacts;
    }

    /** Writes a finished step's entry (its artifact is stored already) and forgets its pending prediction. */
    protected abstract StepEntry write(StepEntry entry) throws IOException;

    @Override
    public final StepEntry record(String key, String step, String provider, String model, Path output, String predictionId,
                                  String requestId, String outputUrl, int attempts, long durationMs) throws IOException {
        return write(StepEntry.of(key, step, provider, model, artifacts.store(output), predictionId, requestId, outputUrl,
                attempts, durationMs));
    }

    @Override
    public final StepEntry record(String key, String step, String provider, String model, byte[] output, String extension,
                                  String requestId, int attempts, long durationMs) throws IOException {
        return write(StepEntry.of(key, step, provider, model, artifacts.store(output, extension), null, requestId, null,
                attempts, durationMs));
    }

    @Override
    public final void restore(StepEntry entry, Path target) throws IOException {
        artifacts.restore(entry.artifact(), target);
    }

    @Override
    public final byte[] read(StepEntry entry) throws IOException {
        return artifacts.read(entry.artifact());
    }
}
