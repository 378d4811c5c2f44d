package io.scenepipeline.run;

import java.util.List;

/**
 * What the scenes of a plan came to, built by the scene split's aggregation strategy as each scene ends: the scenes
 * done, and the first scene that failed for good with its failure (the plan fails with it once every running scene
 * has finished; scenes not started by then are not started).
 *
 * @param done         scene numbers that finished, in the order they did
 * @param failedScene  the first scene that failed for good, or null
 * @param failure      its failure, or null
 */
public record PlanOutcome(List<Integer> done, Integer failedScene, Throwable failure) {

    public static final PlanOutcome NONE = new PlanOutcome(List.of(), null, null);

    public PlanOutcome {
        done = List.copyOf(done);
    }

    /** One more scene finished. */
    public PlanOutcome withDone(int scene) {
        List<Integer> more = new java.util.ArrayList<>(done);
        more.add(scene);
        return new PlanOutcome(more, failedScene, failure);
    }

    /** A scene failed for good; the first one stays the plan's failure. */
    public PlanOutcome withFailure(int scene, Throwable error) {
        return failure != null ? this : new PlanOutcome(done, scene, error);
    }

    public boolean failed() {
        return failure != null;
    }
}
