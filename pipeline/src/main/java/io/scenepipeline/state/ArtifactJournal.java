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
    public final StepEntry record(FinishedStep done, Path output) throws IOException {
        return write(StepEntry.of(done, artifacts.store(output)));
    }

    @Override
    public final StepEntry record(FinishedStep done, byte[] output, String extension) throws IOException {
        return write(StepEntry.of(done, artifacts.store(output, extension)));
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
