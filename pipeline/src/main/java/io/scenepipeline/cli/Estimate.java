package io.scenepipeline.cli;

import io.scenepipeline.config.PipelineSettings;
import io.scenepipeline.output.CostEstimate;
import io.scenepipeline.plan.PlanParser;
import io.scenepipeline.plan.ScenePlan;
import io.scenepipeline.provider.Prices;
import io.scenepipeline.state.FileStepJournal;
import io.scenepipeline.state.StepJournal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code --estimate plan.json …}: what each plan would cost, by step kind and in all, without calling any provider: the
 * same price table and the same step keys as a run, so what the journal already holds counts as reused and free.
 * Exit 0 when every plan fits {@code pipeline.max-cost-per-plan}, 2 when one does not.
 */
final class Estimate {

    private Estimate() {
    }

    static int run(List<Path> plans, PipelineSettings settings, Prices prices, Double budget, PrintStream out) throws IOException {
        StepJournal journal = new FileStepJournal(settings.folders().work().resolve("journal"));
        PlanParser parser = new PlanParser(settings.steps().faceRigEnabled(), settings.limits().maxScenes(), settings.limits().maxTextChars());
        CostEstimate costs = new CostEstimate(settings.replicate(), settings.elevenlabs(), prices, journal);
        boolean allFit = true;
        for (Path file : plans) {
            ScenePlan plan = parser.parse(Files.readAllBytes(file), file.getFileName().toString());
            CostEstimate.Result estimate = costs.of(plan);
            double total = estimate.totalUsd();
            boolean fits = budget == null || total <= budget + 1e-9;
            allFit &= fits;
            out.printf(Locale.ROOT, "Estimate for %s (%d scenes), by the price table (no provider called):%n", plan.planId(),
                    plan.scenes().size());
            estimate.lines().forEach(l -> out.printf(Locale.ROOT, "  %-15s %-38s %3d to pay, %3d reused   $%.4f%s%n", l.step(), l.model(),
                    l.calls(), l.reused(), l.usd(), l.seconds() > 0 ? String.format(Locale.ROOT, "   (%.0f s of %s video)", l.seconds(),
                            settings.replicate().videoResolution()) : ""));
            out.printf(Locale.ROOT, "  total $%.4f; face_rig and ffmpeg are free; budget (pipeline.max-cost-per-plan): %s%n",
                    total, budget == null ? "none" : String.format(Locale.ROOT, "$%.4f -> %s", budget, fits ? "fits" : "DOES NOT FIT"));
        }
        return allFit ? ScenePipelineApp.EXIT_OK : ScenePipelineApp.EXIT_DEAD_LETTERED;
    }
}
