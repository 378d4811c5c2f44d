package io.scenepipeline.provider;

import io.scenepipeline.plan.Scene;
import io.scenepipeline.plan.ScenePlan;
import io.scenepipeline.provider.elevenlabs.ElevenLabsSettings;
import io.scenepipeline.provider.replicate.ReplicateModel;
import io.scenepipeline.provider.replicate.ReplicateSettings;
import io.scenepipeline.state.StepKeys;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What each paid step of a scene asks its provider, and the journal key it is known by: computed here once, for the
 * steps that make the calls and for the estimate that makes none ({@code --estimate}).
 */
public final class StepRequests {

    private StepRequests() {
    }

    /** A step's model, the input it sends (as keyed) and its journal key. */
    public record Request(String step, ReplicateModel model, Map<String, Object> input, String key) {
    }

    public static ReplicateModel imageModel(Scene scene, ScenePlan plan, ReplicateSettings settings) {
        return pick(scene.imageModel(), plan.imageModel(), settings.imageModel());
    }

    public static ReplicateModel videoModel(Scene scene, ScenePlan plan, ReplicateSettings settings) {
        return pick(scene.videoModel(), plan.videoModel(), settings.videoModel());
    }

    public static Request image(Scene scene, ScenePlan plan, ReplicateSettings settings) {
        ReplicateModel model = imageModel(scene, plan, settings);
        Map<String, Object> input = model.imageInput(scene.visualDescription());
        return new Request("text-to-image", model, input, StepKeys.of("text-to-image", keyInputs(model, input, settings.origin())));
    }

    /** @param imageSha256 the content hash of the scene's image, which the clip is made from */
    public static ReplicateModel.VideoRequest video(Scene scene, ScenePlan plan, ReplicateSettings settings, String imageSha256) {
        return videoModel(scene, plan, settings).videoInput(scene.visualDescription(), StepKeys.fileRef(imageSha256),
                scene.duration(), settings.videoResolution());
    }

    public static String videoKey(ReplicateModel model, ReplicateModel.VideoRequest keyed, ReplicateSettings settings) {
        return StepKeys.of("image-to-video", keyInputs(model, keyed.input(), settings.origin()));
    }

    /** The text-to-speech request body (without voice and format, which go in the path and query). */
    public static Map<String, Object> speechBody(Scene scene, ElevenLabsSettings settings) {
        Map<String, Object> voiceSettings = new LinkedHashMap<>();
        voiceSettings.put("stability", 0.5);
        voiceSettings.put("similarity_boost", 0.75);
        voiceSettings.put("style", 0.0);
        voiceSettings.put("use_speaker_boost", true);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", scene.narration());
        body.put("model_id", settings.model());
        body.put("voice_settings", voiceSettings);
        return body;
    }

    public static String voice(Scene scene, ScenePlan plan, ElevenLabsSettings settings) {
        return scene.voiceId() != null ? scene.voiceId() : plan.voiceId() != null ? plan.voiceId() : settings.voiceId();
    }

    public static String speechKey(Scene scene, ScenePlan plan, ElevenLabsSettings settings) {
        Map<String, Object> keyed = new LinkedHashMap<>(speechBody(scene, settings));
        keyed.put("voice_id", voice(scene, plan, settings));
        keyed.put("output_format", settings.outputFormat());
        return StepKeys.of("text-to-speech", Origin.keyed(keyed, settings.origin()));
    }

    private static Map<String, Object> keyInputs(ReplicateModel model, Map<String, Object> input, String origin) {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("model", model.modelName());
        k.put("version", model.version());
        k.put("input", input);
        return Origin.keyed(k, origin);
    }

    private static ReplicateModel pick(String sceneLevel, String planLevel, ReplicateModel configured) {
        String name = sceneLevel != null ? sceneLevel : planLevel;
        return name == null ? configured : ReplicateModel.byName(name).orElse(configured);
    }
}
