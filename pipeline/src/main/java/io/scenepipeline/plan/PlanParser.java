package io.scenepipeline.plan;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a plan file's bytes into a {@link ScenePlan}, checking every rule of docs/plan-format.md and reporting
 * every problem at once, each as {@code field.path: reason}.
 */
public final class PlanParser {

    private static final Set<String> PLAN_FIELDS = Set.of("title", "plan_id", "scenes", "image_model", "video_model", "voice_id");
    private static final Set<String> SCENE_FIELDS = Set.of("scene_number", "scene_type", "narration", "visual_description",
            "duration", "image_model", "video_model", "voice_id");

    private final ObjectMapper mapper = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // 1e400 stays 1E+400 (and is refused as too long) instead of becoming Infinity
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final boolean narrationRequired;
    private final int maxScenes;
    private final int maxTextChars;

    /** @param narrationRequired true when face_rig is enabled: every scene then needs narration */
    public PlanParser(boolean narrationRequired) {
        this(narrationRequired, 200, 5000);
    }

    /**
     * @param maxScenes    {@code pipeline.max-scenes}
     * @param maxTextChars {@code pipeline.max-text-chars}: longest prompt or narration
     */
    public PlanParser(boolean narrationRequired, int maxScenes, int maxTextChars) {
        this.narrationRequired = narrationRequired;
        this.maxScenes = maxScenes;
        this.maxTextChars = maxTextChars;
    }

    public ScenePlan parse(byte[] bytes, String fileName) {
        JsonNode root = readTree(bytes);
        JsonNode sceneArray = root.path("scenes");
        if (sceneArray.isArray() && sceneArray.size() > maxScenes) {
            throw new PlanValidationException(List.of("scenes: holds " + sceneArray.size() + " scenes; at most " + maxScenes
                    + " are allowed (pipeline.max-scenes)"));
        }
        // the published schema (types, required fields, ranges, known models: schema/scene-plan.schema.json), then
        // what a schema cannot say: device names, configured limits, unique numbers, narration for face_rig
        List<String> problems = new ArrayList<>(PlanSchema.get().problems(root));
        if (!root.isObject()) {
            throw new PlanValidationException(problems);
        }
        String declaredId = root.path("plan_id").isTextual() ? root.get("plan_id").asText() : null;
        if (declaredId != null && !declaredId.isEmpty() && declaredId.matches("[A-Za-z0-9_-]{1,64}") && !PlanIds.isSafe(declaredId)) {
            problems.add("plan_id: must be 1-" + PlanIds.MAX_LENGTH + " letters, digits, '-' or '_' and not a device name, got \""
                    + PlanSchema.printable(declaredId) + "\"");
        }
        crossChecks(sceneArray, problems);
        if (!problems.isEmpty()) {
            throw new PlanValidationException(problems.stream().sorted(PlanParser::byPosition).toList());
        }
        List<Scene> scenes = new ArrayList<>();
        for (JsonNode s : sceneArray) {
            String type = text(s, "scene_type");
            scenes.add(new Scene(s.get("scene_number").intValue(), type == null ? "video" : type, text(s, "narration"),
                    text(s, "visual_description"), s.get("duration").doubleValue(), text(s, "image_model"),
                    text(s, "video_model"), text(s, "voice_id"), extra(s, SCENE_FIELDS)));
        }
        String planId = PlanIds.choose(declaredId, fileName);
        return new ScenePlan(planId, declaredId, text(root, "title"), scenes, text(root, "image_model"), text(root, "video_model"),
                text(root, "voice_id"), extra(root, PLAN_FIELDS));
    }

    private static final List<String> FIELD_ORDER = List.of("(root)", "title", "plan_id", "image_model", "video_model", "voice_id",
            "scenes", "scene_number", "visual_description", "duration", "narration", "scene_type");

    /** Plan-level fields first, then scene by scene, each field in the order the plan format lists them. */
    private static int byPosition(String a, String b) {
        return Long.compare(position(a), position(b));
    }

    private static long position(String problem) {
        String path = problem.substring(0, Math.max(0, problem.indexOf(": ")));
        long scene = -1;
        String field = path;
        if (path.startsWith("scenes[")) {
            int close = path.indexOf(']');
            scene = Long.parseLong(path.substring(7, close));
            field = close + 2 <= path.length() ? path.substring(Math.min(path.length(), close + 2)) : "";
        }
        int rank = FIELD_ORDER.indexOf(field);
        return (scene + 1) * 100 + (rank < 0 ? 99 : rank);
    }

    private JsonNode readTree(byte[] bytes) {
        if (bytes.length == 0) {
            throw new PlanValidationException(List.of("(file): is empty"));
        }
        if (bytes.length >= 2 && ((bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF) || (bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE))) {
            throw new PlanValidationException(List.of("(file): is UTF-16 encoded; save the plan as UTF-8"));
        }
        int offset = bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF ? 3 : 0;
        try {
            JsonNode node = mapper.readTree(new String(bytes, offset, bytes.length - offset, StandardCharsets.UTF_8));
            if (node == null || node.isMissingNode()) {
                throw new PlanValidationException(List.of("(file): holds no JSON value"));
            }
            return node;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new PlanValidationException(List.of("(file): is not valid JSON" + where + ": " + plain(e.getOriginalMessage())));
        }
    }

    /** Jackson's message without its advice to programmers ("enable `JsonReadFeature...`", "bound as `...JsonNode`"). */
    static String plain(String message) {
        if (message == null) {
            return "unreadable";
        }
        String m = message.replaceAll(": enable `[^`]*` to allow.*$", "").replaceAll(" \\(bound as `[^`]*`\\)", "")
                .replaceAll(": not allowed as per `[^`]*`", "");
        return m.strip();
    }

    /** The rules beyond the schema, on whatever part of the plan has the right shape. */
    private void crossChecks(JsonNode scenes, List<String> problems) {
        if (!scenes.isArray()) {
            return;
        }
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < scenes.size(); i++) {
            String at = "scenes[" + i + "]";
            JsonNode s = scenes.get(i);
            if (!s.isObject()) {
                continue;
            }
            JsonNode number = s.path("scene_number");
            if (number.isIntegralNumber() && number.canConvertToInt() && number.intValue() >= 1 && !seen.add(number.intValue())) {
                problems.add(at + ".scene_number: " + number.intValue() + " is used by an earlier scene; scene numbers must be unique");
            }
            checkLength(s.path("visual_description"), at + ".visual_description", problems);
            JsonNode narration = s.path("narration");
            checkLength(narration, at + ".narration", problems);
            if (narrationRequired && (narration.isMissingNode() || narration.isNull())) {
                problems.add(at + ".narration: is required while face_rig is enabled (pipeline.face-rig.enabled=true)");
            } else if (narrationRequired && narration.isTextual() && narration.asText().isBlank()) {
                problems.add(at + ".narration: must not be empty while face_rig is enabled");
            }
        }
    }

    private void checkLength(JsonNode text, String at, List<String> problems) {
        if (text.isTextual() && text.asText().length() > maxTextChars) {
            problems.add(at + ": is " + text.asText().length() + " characters long; at most " + maxTextChars
                    + " are allowed (pipeline.max-text-chars)");
        }
    }

    /** A field the schema has already checked to be a string when present (null when absent or null). */
    private static String text(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private Map<String, Object> extra(JsonNode node, Set<String> known) {
        Map<String, Object> extra = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = ((ObjectNode) node).fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (!known.contains(f.getKey())) {
                extra.put(f.getKey(), mapper.convertValue(f.getValue(), Object.class));
            }
        }
        return extra;
    }
}
