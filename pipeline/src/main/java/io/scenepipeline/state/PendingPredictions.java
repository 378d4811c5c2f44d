package io.scenepipeline.state;

import java.io.IOException;
import java.util.Optional;

/**
 * The journal's Replicate predictions started but not finished (journaled before their create is sent), so that a
 * later run, or another node, polls one instead of paying for a new one.
 */
public interface PendingPredictions {

    Optional<PendingPrediction> pending(String key);

    /** Journals a prediction before its create is sent, and again once the create answered. */
    void pending(PendingPrediction prediction) throws IOException;

    void forgetPending(String key) throws IOException;
}
