package io.scenepipeline.cli;

import io.scenepipeline.config.PipelineSettings;
import io.scenepipeline.plan.PlanParser;
import io.scenepipeline.plan.Scene;
import io.scenepipeline.plan.ScenePlan;
import io.scenepipeline.provider.Prices;
import io.scenepipeline.provider.StepRequests;
import io.scenepipeline.provider.replicate.ReplicateModel;
import io.scenepipeline.state.StepEntry;
import io.scenepipeline.state.FileStepJournal;
import io.scenepipeline.state.StepJournal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --estimate plan.json …}: what each plan would cost, by step kind and in all, without calling any provider: the
 * same price table and the same step keys as a run, so what the journal already holds counts as reused and free.
 * Exit 0 when every plan fits {@code pipeline.max-cost-per-plan}, 2 when one does not.
 */
final class Estimate {

    private Estimate() {
    }

    private static final class Line {
        String step;
        String model;
        int calls;
        int reused;
        double seconds;
        double usd;
    }

    static int run(List<Path> plans, PipelineSettings settings, Prices prices, Double budget, PrintStream out) throws IOException {
        StepJournal journal = new FileStepJournal(settings.folders().work().resolve("journal"));
        PlanParser parser = new PlanParser(settings.steps().faceRigEnabled(), settings.limits().maxScenes(), settings.limits().maxTextChars());
        boolean allFit = true;
        for (Path file : plans) {
            ScenePlan plan = parser.parse(Files.readAllBytes(file), file.getFileName().toString());
            Map<String, Line> lines = new LinkedHashMap<>();
            for (Scene scene : plan.scenes()) {
                StepRequests.Request image = StepRequests.image(scene, plan, settings.replicate());
                Optional<StepEntry> madeImage = journal.find(image.key());
                add(lines, "text-to-image", image.model().modelName(), madeImage.isPresent(), 0,
                        prices.estimateReplicate(image.model().modelName(), 0, settings.replicate().videoResolution()));
                ReplicateModel videoModel = StepRequests.videoModel(scene, plan, settings.replicate());
                // the clip is keyed by its image's content: known only when the image is in the journal already
                boolean madeClip = false;
                double seconds = scene.duration();
                if (madeImage.isPresent()) {
                    ReplicateModel.VideoRequest keyed = StepRequests.video(scene, plan, settings.replicate(), madeImage.get().sha256());
                    madeClip = journal.find(StepRequests.videoKey(videoModel, keyed, settings.replicate())).isPresent();
                    seconds = keyed.used();
                } else {
                    seconds = videoModel.videoInput(scene.visualDescription(), "", scene.duration(), settings.replicate().videoResolution()).used();
                }
                add(lines, "image-to-video", videoModel.modelName(), madeClip, seconds,
                        prices.estimateReplicate(videoModel.modelName(), seconds, settings.replicate().videoResolution()));
                if (scene.hasNarration()) {
                    boolean madeSpeech = journal.find(StepRequests.speechKey(scene, plan, settings.elevenlabs())).isPresent();
                    add(lines, "text-to-speech", settings.elevenlabs().model(), madeSpeech, 0,
                            prices.elevenlabs(settings.elevenlabs().model(), scene.narration().length()));
                }
            }
            double total = lines.values().stream().mapToDouble(l -> l.usd).sum();
            boolean fits = budget == null || total <= budget + 1e-9;
            allFit &= fits;
            out.printf(Locale.ROOT, "Estimate for %s (%d scenes), by the price table (no provider called):%n", plan.planId(),
                    plan.scenes().size());
            lines.values().forEach(l -> out.printf(Locale.ROOT, "  %-15s %-38s %3d to pay, %3d reused   $%.4f%s%n", l.step, l.model,
                    l.calls, l.reused, l.usd, l.seconds > 0 ? String.format(Locale.ROOT, "   (%.0f s of %s video)", l.seconds,
                            settings.replicate().videoResolution()) : ""));
            out.printf(Locale.ROOT, "  total $%.4f; face_rig and ffmpeg are free; budget (pipeline.max-cost-per-plan): %s%n",
                    total, budget == null ? "none" : String.format(Locale.ROOT, "$%.4f -> %s", budget, fits ? "fits" : "DOES NOT FIT"));
        }
        return allFit ? ScenePipelineApp.EXIT_OK : ScenePipelineApp.EXIT_DEAD_LETTERED;
    }

    private static void add(Map<String, Line> lines, String step, String model, boolean reused, double seconds, double usd) {
        Line l = lines.computeIfAbsent(step + "|" + model, k -> new Line());
        l.step = step;
        l.model = model;
        if (reused) {
            l.reused++;
        } else {
            l.calls++;
            l.seconds += seconds;
            l.usd += usd;
        }
    }
}
