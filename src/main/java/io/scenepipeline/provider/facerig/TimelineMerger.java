package io.scenepipeline.provider.facerig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Merges face_rig's phoneme timeline with its emotion keyframes, as the original client does
 * ({@code face_rig_integrator.py}): an emotion within 50 ms of a phoneme keyframe replaces that keyframe's
 * expression (transition 300 ms); other phoneme keyframes get transition 100 ms; emotions that stand alone
 * become keyframes of their own (transition 500 ms); the result is sorted by time.
 */
public final class TimelineMerger {

    static final int MATCH_WINDOW_MS = 50;
    static final int EMOTION_ON_PHONEME_MS = 300;
    static final int PHONEME_MS = 100;
    static final int STANDALONE_EMOTION_MS = 500;

    private TimelineMerger() {
    }

    public static ArrayNode merge(JsonNode phonemes, JsonNode emotions) {
        List<ObjectNode> merged = new ArrayList<>();
        List<ObjectNode> phonemeFrames = new ArrayList<>();
        for (JsonNode p : iterable(phonemes)) {
            ObjectNode frame = ((ObjectNode) p).deepCopy();
            frame.put("transition_duration_ms", PHONEME_MS);
            phonemeFrames.add(frame);
            merged.add(frame);
        }
        for (JsonNode e : iterable(emotions)) {
            long t = e.path("time_ms").asLong();
            ObjectNode nearest = null;
            long best = Long.MAX_VALUE;
            for (ObjectNode p : phonemeFrames) {
                long d = Math.abs(p.path("time_ms").asLong() - t);
                if (d <= MATCH_WINDOW_MS && d < best) {
                    best = d;
                    nearest = p;
                }
            }
            if (nearest != null) {
                nearest.put("target_expr", e.path("target_expr").asText());
                nearest.put("transition_duration_ms", EMOTION_ON_PHONEME_MS);
            } else {
                ObjectNode frame = JsonNodeFactory.instance.objectNode();
                frame.put("time_ms", t);
                frame.put("target_expr", e.path("target_expr").asText());
                frame.put("transition_duration_ms", STANDALONE_EMOTION_MS);
                merged.add(frame);
            }
        }
        merged.sort(Comparator.comparingLong(f -> f.path("time_ms").asLong()));
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        merged.forEach(out::add);
        return out;
    }

    private static Iterable<JsonNode> iterable(JsonNode array) {
        return array == null || !array.isArray() ? List.of() : array;
    }
}
