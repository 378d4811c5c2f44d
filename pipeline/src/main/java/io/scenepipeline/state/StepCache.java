package io.scenepipeline.state;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The journal's step cache: what every finished step produced, keyed by its inputs, so no paid call is made twice. */
public interface StepCache {

    /** The finished step with this key, if its artifact is still intact. */
    Optional<StepEntry> find(String key);

    /** Keeps {@code output} as the artifact of a finished step and writes the entry; returns the entry. */
    StepEntry record(FinishedStep done, Path output) throws IOException;

    /** As {@link #record(FinishedStep, Path)}, for an output that is not a file of the plan (e.g. a face_rig timeline as JSON). */
    StepEntry record(FinishedStep done, byte[] output, String extension) throws IOException;

    /** Puts a copy of a finished step's artifact at {@code target} (an independent file: editing one leaves the other). */
    void restore(StepEntry entry, Path target) throws IOException;

    byte[] read(StepEntry entry) throws IOException;

    /**
     * Removes entries not used for {@code retention}, then the artifacts no entry points at, and pending
     * predictions older than a day. Returns how many entries were removed.
     */
    int purge(Duration retention) throws IOException;
}
