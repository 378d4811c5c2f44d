package io.scenepipeline.run;

import io.scenepipeline.plan.Scene;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one scene produced so far: files (relative to the plan folder), steps, notes. */
@JsonPropertyOrder({"scene_number", "scene_type", "files", "duration", "steps", "unknown_fields"})
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public final class SceneResult {

    private final Scene scene;
    private final Map<String, String> files = Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<StepRecord> steps = Collections.synchronizedList(new ArrayList<>());
    private volatile ClipDuration duration;
    private volatile boolean complete;
    private volatile Throwable failure;

    public SceneResult(Scene scene) {
        this.scene = scene;
        duration = new ClipDuration(scene.duration(), null, null, null);
    }

    @JsonProperty("scene_number")
    public int sceneNumber() {
        return scene.sceneNumber();
    }

    @JsonProperty("scene_type")
    public String sceneType() {
        return scene.sceneType();
    }

    /** kind (image, clip, audio, face_rig) → path relative to the plan folder. */
    @JsonProperty("files")
    public Map<String, String> files() {
        synchronized (files) {
            return new LinkedHashMap<>(files);
        }
    }

    public void file(String kind, String relativePath) {
        files.put(kind, relativePath);
    }

    /** The order steps are listed in: the visual chain, then the narration chain (they run side by side). */
    static final List<String> ORDER = List.of("text-to-image", "image-to-video", "text-to-speech", "alignment",
            "emotions", "upload-audio", "export");

    @JsonProperty("steps")
    public List<StepRecord> steps() {
        List<StepRecord> copy;
        synchronized (steps) {
            copy = new ArrayList<>(steps);
        }
        copy.sort(Comparator.comparingInt(s -> ORDER.indexOf(s.step())));
        return copy;
    }

    public void add(StepRecord step) {
        steps.add(step);
    }

    /** Requested seconds, the seconds the video model makes, and whether it was clamped to the model's range. */
    @JsonPropertyOrder({"requested", "clip", "clamped", "note"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClipDuration(@JsonProperty("requested") double requested, @JsonProperty("clip") Double clip,
                               @JsonProperty("clamped") Boolean clamped, @JsonProperty("note") String note) {
    }

    @JsonProperty("duration")
    public ClipDuration duration() {
        return duration;
    }

    /** The seconds of clip the video model makes for this scene (0 until image-to-video began). */
    public double clipSeconds() {
        Double clip = duration.clip();
        return clip == null ? 0 : clip;
    }

    public void clipDuration(double used, boolean clamped, String model) {
        duration = new ClipDuration(duration.requested(), used, clamped ? Boolean.TRUE : null,
                clamped ? "clamped to the range of " + model : null);
    }

    @JsonProperty("unknown_fields")
    public Map<String, Object> unknownFields() {
        return scene.extra();
    }

    public Scene scene() {
        return scene;
    }

    public boolean complete() {
        return complete;
    }

    public void markComplete() {
        complete = true;
    }

    /** Why the scene failed for good, or null. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public Throwable failure() {
        return failure;
    }

    public void failed(Throwable error) {
        failure = error;
    }
}
