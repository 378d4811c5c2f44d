package io.scenepipeline.run;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.concurrent.CopyOnWriteArrayList;

/** The plans this process runs now, by plan id (what the console shows live, and what a cancel reaches). */
public final class RunningPlans {

    private final ConcurrentHashMap<String, PlanRun> runs = new ConcurrentHashMap<>();
    private final List<Consumer<PlanRun>> onCancel = new CopyOnWriteArrayList<>();

    /** Told of each canceled run (a step waiting for a poll goes to cancel its prediction at once). */
    public void onCancel(Consumer<PlanRun> listener) {
        onCancel.add(listener);
    }

    /** Cancels the run of {@code planId} here; returns it, or null when no such plan runs here. */
    public PlanRun cancel(String planId, String by) {
        PlanRun run = runs.get(planId);
        if (run != null && !run.canceled()) {
            run.cancel(by);
            onCancel.forEach(l -> l.accept(run));
        }
        return run;
    }

    private final List<Consumer<PlanRun>> onStart = new CopyOnWriteArrayList<>();
    private final List<Consumer<PlanRun>> onEnd = new CopyOnWriteArrayList<>();

    /** Told of each run as it starts (on the plan's exchange) and as it ends (the traces). */
    public void onStartAndEnd(Consumer<PlanRun> start, Consumer<PlanRun> end) {
        onStart.add(start);
        onEnd.add(end);
    }

    public void started(PlanRun run) {
        runs.put(run.planId(), run);
        onStart.forEach(l -> l.accept(run));
    }

    public void ended(PlanRun run) {
        runs.remove(run.planId(), run);
        onEnd.forEach(l -> l.accept(run));
    }

    public PlanRun get(String planId) {
        return runs.get(planId);
    }

    /** Newest first. */
    public List<PlanRun> all() {
        return runs.values().stream().sorted(Comparator.comparing(PlanRun::startedAt).reversed()).toList();
    }
}
