package io.scenepipeline.run;

import io.scenepipeline.plan.Scene;
import org.apache.camel.Exchange;

/** Exchange properties that say which plan, scene and step an exchange is working on. */
public final class Steps {

    /** The scene of a scene exchange ({@link Scene}), set by the plan's split. */
    public static final String SCENE = "scene";
    /** The step in progress ({@link StepRecord}). */
    public static final String STEP = "stepRecord";

    private Steps() {
    }

    public static PlanRun run(Exchange exchange) {
        return exchange.getProperty(PlanRun.PROPERTY, PlanRun.class);
    }

    public static Scene scene(Exchange exchange) {
        return exchange.getProperty(SCENE, Scene.class);
    }

    public static SceneResult sceneResult(Exchange exchange) {
        return run(exchange).scene(scene(exchange).sceneNumber());
    }

    /** Starts a step of the current scene: it is listed in the manifest from now on. */
    public static StepRecord begin(Exchange exchange, String step, String provider, String model) {
        StepRecord record = new StepRecord(step, provider, model);
        sceneResult(exchange).add(record);
        exchange.setProperty(STEP, record);
        return record;
    }

    public static StepRecord current(Exchange exchange) {
        return exchange.getProperty(STEP, StepRecord.class);
    }

    public static void finish(Exchange exchange) {
        StepRecord record = current(exchange);
        if (record != null) {
            record.finish();
        }
    }

    /** {@code plan=P scene=N step=S}, the prefix of every log line about a step. */
    public static String context(Exchange exchange) {
        StringBuilder sb = new StringBuilder();
        PlanRun run = run(exchange);
        sb.append("plan=").append(run == null ? "?" : run.planId());
        Scene scene = scene(exchange);
        if (scene != null) {
            sb.append(" scene=").append(scene.sceneNumber());
        }
        StepRecord step = current(exchange);
        if (step != null) {
            sb.append(" step=").append(step.step());
        }
        return sb.toString();
    }
}
