package io.scenepipeline.provider.replicate;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Replicate models the pipeline knows, with how each is created and what inputs it takes
 * (docs/providers.md, Replicate). Official models run by name ({@code POST /v1/models/{owner}/{name}/predictions});
 * community models need a pinned version ({@code POST /v1/predictions}).
 */
public enum ReplicateModel {

    IMAGEN_3("google/imagen-3", Kind.IMAGE, null),
    SDXL("stability-ai/sdxl", Kind.IMAGE, "7762fd07cf82c948538e41f63f77d685e02b063e37e496e96eefd46c929f9bdc"),
    SEEDANCE_1_PRO("bytedance/seedance-1-pro", Kind.VIDEO, null),
    SEEDANCE_1_LITE("bytedance/seedance-1-lite", Kind.VIDEO, null),
    STABLE_VIDEO_DIFFUSION("stability-ai/stable-video-diffusion", Kind.VIDEO,
            "3f0457e4619daac51203dedb472816fd4af51f3149fa7a9e0b5ffcf1b8172438");

    public enum Kind { IMAGE, VIDEO }

    /** Seedance accepts whole seconds in this range. */
    public static final int SEEDANCE_MIN_SECONDS = 2;
    public static final int SEEDANCE_MAX_SECONDS = 12;
    /** SVD-XT makes 25 frames; its frames_per_second range sets the clip length. */
    static final int SVD_FRAMES = 25;
    static final int SVD_MIN_FPS = 5;
    static final int SVD_MAX_FPS = 30;

    private final String modelName;
    private final Kind kind;
    private final String version;

    ReplicateModel(String modelName, Kind kind, String version) {
        this.modelName = modelName;
        this.kind = kind;
        this.version = version;
    }

    public static Optional<ReplicateModel> byName(String name) {
        return Arrays.stream(values()).filter(m -> m.modelName.equals(name)).findFirst();
    }

    public static List<String> names(Kind kind) {
        return Arrays.stream(values()).filter(m -> m.kind == kind).map(ReplicateModel::modelName).toList();
    }

    public String modelName() {
        return modelName;
    }

    public Kind kind() {
        return kind;
    }

    public boolean official() {
        return version == null;
    }

    /** The pinned version hash of a community model, or null for an official model. */
    public String version() {
        return version;
    }

    /** API path of the create call, relative to the base URL. */
    public String createPath() {
        return official() ? "/v1/models/" + modelName + "/predictions" : "/v1/predictions";
    }

    /** The create request body: {@code {"input": …}} for official models, plus {@code "version"} otherwise. */
    public Map<String, Object> createBody(Map<String, Object> input) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (!official()) {
            body.put("version", version);
        }
        body.put("input", input);
        return body;
    }

    /** Text-to-image input with the original pipeline's settings (16:9, PNG). */
    public Map<String, Object> imageInput(String prompt) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("prompt", prompt);
        switch (this) {
            case IMAGEN_3 -> {
                input.put("aspect_ratio", "16:9");
                input.put("output_format", "png");
                input.put("safety_filter_level", "block_only_high");
            }
            case SDXL -> {
                input.put("width", 1344);
                input.put("height", 768);
                input.put("num_outputs", 1);
            }
            default -> throw new IllegalStateException(modelName + " is not an image model");
        }
        return input;
    }

    /**
     * Image-to-video input. The image goes in the field the model reads ({@code image} for Seedance,
     * {@code input_image} for SVD); the duration is brought into the model's range.
     */
    public VideoRequest videoInput(String prompt, String imageRef, double seconds, String resolution) {
        Map<String, Object> input = new LinkedHashMap<>();
        double used;
        switch (this) {
            case SEEDANCE_1_PRO, SEEDANCE_1_LITE -> {
                int whole = (int) Math.max(SEEDANCE_MIN_SECONDS, Math.min(SEEDANCE_MAX_SECONDS, Math.round(seconds)));
                input.put("prompt", prompt);
                input.put("image", imageRef);
                input.put("duration", whole);
                input.put("resolution", resolution);
                input.put("aspect_ratio", "16:9");
                input.put("fps", 24);
                input.put("camera_fixed", false);
                used = whole;
            }
            case STABLE_VIDEO_DIFFUSION -> {
                int fps = (int) Math.max(SVD_MIN_FPS, Math.min(SVD_MAX_FPS, Math.round(SVD_FRAMES / seconds)));
                input.put("input_image", imageRef);
                input.put("video_length", "25_frames_with_svd_xt");
                input.put("sizing_strategy", "crop_to_16_9");
                input.put("frames_per_second", fps);
                used = Math.round(SVD_FRAMES * 100.0 / fps) / 100.0;
            }
            default -> throw new IllegalStateException(modelName + " is not a video model");
        }
        return new VideoRequest(input, seconds, used);
    }

    /**
     * @param input     the prediction input
     * @param requested seconds asked for by the scene
     * @param used      seconds the model will make
     */
    public record VideoRequest(Map<String, Object> input, double requested, double used) {
        public boolean clamped() {
            return Math.abs(requested - used) > 1e-9;
        }
    }
}
