package io.scenepipeline.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The input schemas of the simulated models (docs/providers.md, Replicate), checked like Replicate does (422). */
final class ModelInputs {

    private ModelInputs() {
    }

    static boolean isVideo(String model) {
        return model.startsWith("bytedance/seedance") || model.endsWith("stable-video-diffusion");
    }

    static List<String> check(String model, ObjectNode input) {
        List<String> problems = new ArrayList<>();
        switch (model) {
            case "google/imagen-3" -> {
                requireText(input, "prompt", problems);
                oneOf(input, "aspect_ratio", Set.of("1:1", "9:16", "16:9", "3:4", "4:3"), problems);
                oneOf(input, "output_format", Set.of("jpg", "png"), problems);
                oneOf(input, "safety_filter_level", Set.of("block_low_and_above", "block_medium_and_above", "block_only_high"), problems);
            }
            case "stability-ai/sdxl" -> {
                range(input, "num_outputs", 1, 4, problems);
                range(input, "width", 128, 2048, problems);
                range(input, "height", 128, 2048, problems);
            }
            case "bytedance/seedance-1-pro", "bytedance/seedance-1-lite" -> {
                requireText(input, "prompt", problems);
                uri(input, "image", problems);
                range(input, "duration", 2, 12, problems);
                oneOf(input, "resolution", Set.of("480p", "720p", "1080p"), problems);
                oneOf(input, "aspect_ratio", Set.of("16:9", "4:3", "1:1", "3:4", "9:16", "21:9", "9:21"), problems);
                range(input, "fps", 24, 24, problems);
            }
            case "stability-ai/stable-video-diffusion" -> {
                if (!input.has("input_image")) {
                    problems.add("input: input_image is required");
                }
                uri(input, "input_image", problems);
                range(input, "frames_per_second", 5, 30, problems);
                oneOf(input, "video_length", Set.of("14_frames_with_svd", "25_frames_with_svd_xt"), problems);
                oneOf(input, "sizing_strategy", Set.of("maintain_aspect_ratio", "crop_to_16_9", "use_image_dimensions"), problems);
            }
            default -> problems.add("input: unknown model " + model);
        }
        return problems;
    }

    private static void requireText(ObjectNode input, String field, List<String> problems) {
        JsonNode v = input.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            problems.add("input: " + field + " is required");
        }
    }

    private static void oneOf(ObjectNode input, String field, Set<String> allowed, List<String> problems) {
        JsonNode v = input.get(field);
        if (v != null && (!v.isTextual() || !allowed.contains(v.asText()))) {
            problems.add("input." + field + ": " + field + " must be one of the following: " + String.join(", ", allowed));
        }
    }

    private static void range(ObjectNode input, String field, int min, int max, List<String> problems) {
        JsonNode v = input.get(field);
        if (v != null && (!v.isIntegralNumber() || v.asInt() < min || v.asInt() > max)) {
            problems.add("input." + field + ": Must be an integer between " + min + " and " + max);
        }
    }

    private static void uri(ObjectNode input, String field, List<String> problems) {
        JsonNode v = input.get(field);
        if (v != null && (!v.isTextual() || !(v.asText().startsWith("data:") || v.asText().startsWith("http")))) {
            problems.add("input." + field + ": Does not match format 'uri'");
        }
    }
}
