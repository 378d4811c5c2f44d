package io.scenepipeline.state;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What every finished step produced, keyed by its inputs, so no paid call is made twice; and the Replicate predictions
 * started but not finished, so a later run polls one instead of paying for a new one. Two kinds: {@link FileStepJournal}
 * in {@code pipeline.work/journal} (one process), and {@link io.scenepipeline.state.jdbc.JdbcStepJournal} in PostgreSQL
 * (cluster mode), where a step being paid for is also claimed by one node. Safe for concurrent use.
 */
public interface StepJournal {

    /** The finished step with this key, if its artifact is still intact. */
    Optional<StepEntry> find(String key);

    /** Keeps {@code output} as the artifact of a finished step and writes the entry; returns the entry. */
    StepEntry record(FinishedStep done, Path output) throws IOException;

    /** As {@link #record(FinishedStep, Path)}, for an output that is not a file of the plan (e.g. a face_rig timeline as JSON). */
    StepEntry record(FinishedStep done, byte[] output, String extension) throws IOException;

    /** Puts a copy of a finished step's artifact at {@code target} (an independent file: editing one leaves the other). */
    void restore(StepEntry entry, Path target) throws IOException;

    byte[] read(StepEntry entry) throws IOException;

    Optional<PendingPrediction> pending(String key);

    /** Journals a prediction before its create is sent, and again once the create answered. */
    void pending(PendingPrediction prediction) throws IOException;

    void forgetPending(String key) throws IOException;

    /**
     * Removes entries not used for {@code retention}, then the artifacts no entry points at, and pending
     * predictions older than a day. Returns how many entries were removed.
     */
    int purge(Duration retention) throws IOException;

    /**
     * Takes the step for this process before it is looked up and paid for, waiting while another node holds it, and
     * keeps it until {@link #release}. A step recorded by this process is released with it. The file journal has one
     * process (the work-folder lock): nothing to take.
     */
    default void claim(String key) {
    }

    /**
     * Checked right before a paid call: this process still holds the step (its claim was not taken over while it
     * stood still).
     *
     * @throws ClaimLostException when it does not
     */
    default void checkClaim(String key) {
    }

    /** Gives a step back without recording it (its call failed for good, or the plan ended). */
    default void release(String key) {
    }

    /**
     * A plan run's outcome ({@code succeeded} or {@code dead-lettered}), decided once: true when this process decides
     * it now, false when the run already has one (another node published or dead-lettered it; a stale delivery of a
     * finished run must neither replace its outbox nor dead-letter it). A run is one delivery of one dropped file
     * ({@code runId}); the same file dropped again is a new run. The file journal has one process: always true.
     *
     * @param costUsd what the run spent, counted in the cluster's figures ({@link #outcomes})
     */
    default boolean decide(String runId, String planId, String outcome, double costUsd) {
        return true;
    }

    /**
     * The plan runs every process of the cluster ended within the journal's retention, by outcome: how many, and what
     * they spent (USD). Empty for the file journal (one process: its own metrics say it all).
     */
    default Map<String, double[]> outcomes() {
        return Map.of();
    }

    /** Takes back an outcome this process decided but could not carry out (the outbox or dead letter failed to write). */
    default void undecide(String runId) {
    }

    /** The outcome a plan run already has, and the node that decided it, if any (see {@link #decide}). */
    default Optional<String> outcome(String runId) {
        return Optional.empty();
    }

    static String hash(Path file) throws IOException {
        return ArtifactStore.hash(file);
    }
}
