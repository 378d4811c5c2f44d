package io.scenepipeline.provider.facerig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges face_rig's phoneme timeline with its emotion keyframes exactly as the original client does
 * ({@code face_rig_integrator._combine_timelines}):
 * <ul>
 *   <li>emotions are keyed by {@code time_ms} (a later emotion at the same time replaces an earlier one, in its place);</li>
 *   <li>each phoneme keyframe takes the expression of the first emotion less than 50 ms from it (transition 300),
 *       else keeps its own (transition 100); it keeps its {@code time_ms} and {@code phoneme} and nothing else;</li>
 *   <li>an emotion 50 ms or more from every phoneme keyframe becomes a keyframe of its own (transition 500);</li>
 *   <li>the result is sorted by time (stable).</li>
 * </ul>
 */
public final class TimelineMerger {

    static final double MATCH_WINDOW_MS = 50;
    static final int EMOTION_ON_PHONEME_MS = 300;
    static final int PHONEME_MS = 100;
    static final int STANDALONE_EMOTION_MS = 500;

    private TimelineMerger() {
    }

    public static ArrayNode merge(JsonNode phonemes, JsonNode emotions) {
        Map<Double, JsonNode> byTime = new LinkedHashMap<>();
        for (JsonNode e : iterable(emotions)) {
            byTime.put(e.path("time_ms").asDouble(), e);
        }
        List<ObjectNode> merged = new ArrayList<>();
        for (JsonNode p : iterable(phonemes)) {
            double t = p.path("time_ms").asDouble();
            JsonNode emotion = null;
            for (Map.Entry<Double, JsonNode> e : byTime.entrySet()) {
                if (Math.abs(e.getKey() - t) < MATCH_WINDOW_MS) {
                    emotion = e.getValue();
                    break;
                }
            }
            ObjectNode frame = JsonNodeFactory.instance.objectNode();
            frame.set("time_ms", p.path("time_ms"));
            frame.put("target_expr", emotion != null ? emotion.path("target_expr").asText() : p.path("target_expr").asText("neutral"));
            frame.put("phoneme", p.path("phoneme").asText(""));
            frame.put("transition_duration_ms", emotion != null ? EMOTION_ON_PHONEME_MS : PHONEME_MS);
            merged.add(frame);
        }
        for (Map.Entry<Double, JsonNode> e : byTime.entrySet()) {
            boolean alone = true;
            for (JsonNode p : iterable(phonemes)) {
                if (Math.abs(e.getKey() - p.path("time_ms").asDouble()) < MATCH_WINDOW_MS) {
                    alone = false;
                    break;
                }
            }
            if (alone) {
                ObjectNode frame = JsonNodeFactory.instance.objectNode();
                frame.set("time_ms", e.getValue().path("time_ms"));
                frame.put("target_expr", e.getValue().path("target_expr").asText());
                frame.put("transition_duration_ms", STANDALONE_EMOTION_MS);
                merged.add(frame);
            }
        }
        merged.sort(Comparator.comparingDouble(f -> f.path("time_ms").asDouble()));
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        merged.forEach(out::add);
        return out;
    }

    private static Iterable<JsonNode> iterable(JsonNode array) {
        return array == null || !array.isArray() ? List.of() : array;
    }
}
