package io.scenepipeline.output;

import io.scenepipeline.plan.Scene;
import io.scenepipeline.plan.ScenePlan;
import io.scenepipeline.provider.Prices;
import io.scenepipeline.provider.StepRequests;
import io.scenepipeline.provider.elevenlabs.ElevenLabsSettings;
import io.scenepipeline.provider.replicate.ReplicateModel;
import io.scenepipeline.provider.replicate.ReplicateSettings;
import io.scenepipeline.state.StepCache;
import io.scenepipeline.state.StepEntry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a plan would cost, by step kind and in all, without calling any provider: the price table and the step keys of
 * a run, so a step the journal already holds counts as reused and free ({@code --estimate}, and the console's redrive).
 */
public final class CostEstimate {

    /** One step kind of one model: how many calls are to pay, how many are reused, for how much. */
    public record Line(String step, String model, int calls, int reused, double seconds, double usd) {
        Line plus(boolean wasReused, double addSeconds, double addUsd) {
            return wasReused ? new Line(step, model, calls, reused + 1, seconds, usd)
                    : new Line(step, model, calls + 1, reused, seconds + addSeconds, usd + addUsd);
        }
    }

    /** A plan's estimate. */
    public record Result(String planId, int scenes, List<Line> lines) {
        public double totalUsd() {
            return lines.stream().mapToDouble(Line::usd).sum();
        }

        public int toPay() {
            return lines.stream().mapToInt(Line::calls).sum();
        }

        public int reused() {
            return lines.stream().mapToInt(Line::reused).sum();
        }
    }

    private final ReplicateSettings replicate;
    private final ElevenLabsSettings elevenlabs;
    private final Prices prices;
    private final StepCache journal;

    public CostEstimate(ReplicateSettings replicate, ElevenLabsSettings elevenlabs, Prices prices, StepCache journal) {
        this.replicate = replicate;
        this.elevenlabs = elevenlabs;
        this.prices = prices;
        this.journal = journal;
    }

    public Result of(ScenePlan plan) {
        Map<String, Line> lines = new LinkedHashMap<>();
        for (Scene scene : plan.scenes()) {
            StepRequests.Request image = StepRequests.image(scene, plan, replicate);
            Optional<StepEntry> madeImage = journal.find(image.key());
            add(lines, "text-to-image", image.model().modelName(), madeImage.isPresent(), 0,
                    prices.estimateReplicate(image.model().modelName(), 0, replicate.videoResolution()));
            ReplicateModel videoModel = StepRequests.videoModel(scene, plan, replicate);
            // the clip is keyed by its image's content: known only when the image is in the journal already
            boolean madeClip = false;
            double seconds;
            if (madeImage.isPresent()) {
                ReplicateModel.VideoRequest keyed = StepRequests.video(scene, plan, replicate, madeImage.get().sha256());
                madeClip = journal.find(StepRequests.videoKey(videoModel, keyed, replicate)).isPresent();
                seconds = keyed.used();
            } else {
                seconds = videoModel.videoInput(scene.visualDescription(), "", scene.duration(), replicate.videoResolution()).used();
            }
            add(lines, "image-to-video", videoModel.modelName(), madeClip, seconds,
                    prices.estimateReplicate(videoModel.modelName(), seconds, replicate.videoResolution()));
            if (scene.hasNarration()) {
                boolean madeSpeech = journal.find(StepRequests.speechKey(scene, plan, elevenlabs)).isPresent();
                add(lines, "text-to-speech", elevenlabs.model(), madeSpeech, 0,
                        prices.elevenlabs(elevenlabs.model(), scene.narration().length()));
            }
        }
        return new Result(plan.planId(), plan.scenes().size(), new ArrayList<>(lines.values()));
    }

    private static void add(Map<String, Line> lines, String step, String model, boolean reused, double seconds, double usd) {
        lines.compute(step + "|" + model, (k, l) -> (l == null ? new Line(step, model, 0, 0, 0, 0) : l).plus(reused, seconds, usd));
    }
}
