package io.scenepipeline.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scenepipeline.state.Pauses;
import io.scenepipeline.run.PlanRun;
import io.scenepipeline.run.RunningPlans;

import java.util.List;

/**
 * What the console reads and does that depends on where plans run: alone, this process's running plans; in cluster
 * mode, every node's (each node publishes its own to the journal's database, and picks up the cancels meant for it).
 */
public interface Operations {

    /** What became of a cancel. */
    enum Cancel { CANCELED, ALREADY, NOT_RUNNING }

    /** Every running plan's summary (progress, spend, each provider's activity; no scenes), newest first. */
    List<ObjectNode> running();

    /** One running plan's whole view, with every scene's steps and timelines. */
    java.util.Optional<ObjectNode> live(String planId);

    /** Cancels the running plan {@code planId} (wherever it runs). */
    Cancel cancel(String planId, String by);

    /** The providers' pauses. */
    Pauses pauses();

    /** The single-process mode: the plans this process runs. */
    static Operations local(RunningPlans running, Pauses pauses) {
        return new Operations() {
            @Override
            public List<ObjectNode> running() {
                return running.all().stream().map(r -> PlanViews.summary(r, null)).toList();
            }

            @Override
            public java.util.Optional<ObjectNode> live(String planId) {
                return java.util.Optional.ofNullable(running.get(planId)).map(r -> PlanViews.live(r, null));
            }

            @Override
            public Cancel cancel(String planId, String by) {
                PlanRun run = running.get(planId);
                if (run == null) {
                    return Cancel.NOT_RUNNING;
                }
                if (run.canceled()) {
                    return Cancel.ALREADY;
                }
                running.cancel(planId, by);
                return Cancel.CANCELED;
            }

            @Override
            public Pauses pauses() {
                return pauses;
            }
        };
    }
}
