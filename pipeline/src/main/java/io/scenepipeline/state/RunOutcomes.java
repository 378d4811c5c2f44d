package io.scenepipeline.state;

import java.util.Map;
import java.util.Optional;

/** How each plan run ended, decided once across the cluster (published or dead-lettered, never both). */
public interface RunOutcomes {

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
}
