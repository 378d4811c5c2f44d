package io.scenepipeline.output;

import io.scenepipeline.run.Failure;
import io.scenepipeline.run.PlanRun;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code <plan>.error.json} beside a dead-lettered plan (docs/outputs.md). */
public final class DeadLetterReport {

    private DeadLetterReport() {
    }

    public static Map<String, Object> of(String planId, String file, Instant failedAt, Failure failure,
                                         List<Integer> completedScenes, List<String> problems, double costUsd) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("plan_id", planId);
        r.put("file", file);
        r.put("failed_at", failedAt.toString());
        r.put("stage", failure.stage());
        r.put("scene_number", failure.sceneNumber());
        r.put("provider", failure.provider());
        r.put("retryable", failure.retryable());
        r.put("attempts", failure.attempts());
        r.put("http_status", failure.httpStatus());
        r.put("error", failure.error());
        if (problems != null && !problems.isEmpty()) {
            r.put("problems", problems);
        }
        r.put("completed_scenes", completedScenes);
        // spent before the failure (kept in the journal: a re-drop reuses what was paid for)
        r.put("cost_usd", costUsd);
        return r;
    }

    /**
     * With what the run did before it failed: its title, when it started, and each scene's steps with their timelines
     * (every attempt and wait), which the console and the report draw.
     */
    public static Map<String, Object> of(String planId, String file, Instant failedAt, Failure failure, PlanRun run,
                                         List<String> problems) {
        Map<String, Object> r = of(planId, file, failedAt, failure, run == null ? List.of() : run.completedScenes(), problems,
                run == null ? 0 : run.costUsd());
        if (run != null) {
            r.put("title", run.plan().title());
            r.put("started_at", run.startedAt().toString());
            r.put("scenes", run.scenes());
        }
        return r;
    }
}
