package io.scenepipeline.output;

import io.scenepipeline.run.PlanRun;
import io.scenepipeline.run.SceneResult;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code manifest.json} of a finished plan (docs/outputs.md). */
public final class Manifest {

    private Manifest() {
    }

    public static Map<String, Object> of(PlanRun run, Instant finishedAt) {
        return of(run, finishedAt, List.of());
    }

    /** With the plan's earlier runs ({@link RunHistory}): each one's outcome and spend, and what all runs spent together. */
    public static Map<String, Object> of(PlanRun run, Instant finishedAt, List<Map<String, Object>> history) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("plan_id", run.planId());
        if (run.plan().declaredId() != null && !run.plan().declaredId().equals(run.planId())) {
            m.put("declared_plan_id", run.plan().declaredId());
        }
        m.put("title", run.plan().title());
        m.put("status", "succeeded");
        if (run.finalVideo() != null) {
            m.put("final_video", run.finalVideo());
        }
        m.put("file", run.fileName());
        m.put("started_at", run.startedAt().toString());
        m.put("finished_at", finishedAt.toString());
        // what this run spent: its paid steps (reused ones cost 0), by the price table
        m.put("cost_usd", run.costUsd());
        List<SceneResult> scenes = run.scenes();
        int steps = 0;
        int retries = 0;
        int reused = 0;
        for (SceneResult s : scenes) {
            steps += s.steps().size();
            retries += s.steps().stream().filter(st -> !st.reused()).mapToInt(st -> st.attempts() - 1).sum();
            reused += (int) s.steps().stream().filter(st -> st.reused()).count();
        }
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("scenes", scenes.size());
        totals.put("steps", steps);
        totals.put("retries", retries);
        totals.put("reused_steps", reused);
        totals.put("wall_time_ms", finishedAt.toEpochMilli() - run.startedAt().toEpochMilli());
        m.put("totals", totals);
        if (run.assembly() != null) {
            m.put("assembly", run.assembly());
        }
        if (!history.isEmpty()) {
            m.put("history", history);
            double all = run.costUsd() + history.stream().mapToDouble(h -> ((Number) h.get("cost_usd")).doubleValue()).sum();
            m.put("cost_usd_all_runs", java.math.BigDecimal.valueOf(all).setScale(6, java.math.RoundingMode.HALF_UP).doubleValue());
        }
        m.put("scenes", scenes);
        if (!run.plan().extra().isEmpty()) {
            m.put("unknown_fields", run.plan().extra());
        }
        return m;
    }
}
