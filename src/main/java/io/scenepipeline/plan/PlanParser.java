package io.scenepipeline.plan;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scenepipeline.provider.replicate.ReplicateModel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a plan file's bytes into a {@link ScenePlan}, checking every rule of interface.md §3 and reporting
 * every problem at once, each as {@code field.path: reason}.
 */
public final class PlanParser {

    private static final Set<String> PLAN_FIELDS = Set.of("title", "plan_id", "scenes", "image_model", "video_model", "voice_id");
    private static final Set<String> SCENE_FIELDS = Set.of("scene_number", "scene_type", "narration", "visual_description",
            "duration", "image_model", "video_model", "voice_id");
    private static final Set<String> SCENE_TYPES = Set.of("video", "diagram");

    private final ObjectMapper mapper = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** Longest scene accepted, in seconds (no provider makes more than a few seconds a call). */
    public static final double MAX_SCENE_SECONDS = 3600;

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
        List<String> problems = new ArrayList<>();
        if (!root.isObject()) {
            throw new PlanValidationException(List.of("(root): must be a JSON object with a \"scenes\" array, got " + describe(root)));
        }
        String title = optionalText(root, "title", "title", problems);
        String declaredId = optionalText(root, "plan_id", "plan_id", problems);
        if (declaredId != null && declaredId.isEmpty()) {
            problems.add("plan_id: must not be empty");
        } else if (declaredId != null && !PlanIds.isSafe(declaredId)) {
            problems.add("plan_id: must be 1-" + PlanIds.MAX_LENGTH + " letters, digits, '-' or '_' and not a device name, got \""
                    + printable(declaredId) + "\"");
        }
        String imageModel = optionalModel(root, "image_model", "image_model", ReplicateModel.Kind.IMAGE, problems);
        String videoModel = optionalModel(root, "video_model", "video_model", ReplicateModel.Kind.VIDEO, problems);
        String voiceId = optionalVoice(root, "voice_id", "voice_id", problems);
        List<Scene> scenes = scenes(root.get("scenes"), problems);
        if (!problems.isEmpty()) {
            throw new PlanValidationException(problems);
        }
        String planId = PlanIds.choose(declaredId, fileName);
        return new ScenePlan(planId, declaredId, title, scenes, imageModel, videoModel, voiceId, extra(root, PLAN_FIELDS));
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
            throw new PlanValidationException(List.of("(file): is not valid JSON" + where + ": " + e.getOriginalMessage()));
        }
    }

    private List<Scene> scenes(JsonNode node, List<String> problems) {
        if (node == null || node.isNull()) {
            problems.add("scenes: is required");
            return List.of();
        }
        if (!node.isArray()) {
            problems.add("scenes: must be an array of scenes, got " + describe(node));
            return List.of();
        }
        if (node.isEmpty()) {
            problems.add("scenes: must hold at least one scene");
            return List.of();
        }
        if (node.size() > maxScenes) {
            problems.add("scenes: holds " + node.size() + " scenes; at most " + maxScenes + " are allowed (pipeline.max-scenes)");
            return List.of();
        }
        List<Scene> scenes = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String at = "scenes[" + i + "]";
            JsonNode s = node.get(i);
            if (!s.isObject()) {
                problems.add(at + ": must be an object, got " + describe(s));
                continue;
            }
            int before = problems.size();
            Integer number = sceneNumber(s.get("scene_number"), at + ".scene_number", problems);
            if (number != null && !seen.add(number)) {
                problems.add(at + ".scene_number: " + number + " is used by an earlier scene; scene numbers must be unique");
            }
            String visual = requiredText(s, "visual_description", at + ".visual_description", problems);
            checkLength(visual, at + ".visual_description", problems);
            Double duration = duration(s.get("duration"), at + ".duration", problems);
            String narration = optionalText(s, "narration", at + ".narration", problems);
            checkLength(narration, at + ".narration", problems);
            if (narrationRequired && s.get("narration") == null) {
                problems.add(at + ".narration: is required while face_rig is enabled (pipeline.face-rig.enabled=true)");
            } else if (narrationRequired && narration != null && narration.isBlank()) {
                problems.add(at + ".narration: must not be empty while face_rig is enabled");
            }
            String type = optionalText(s, "scene_type", at + ".scene_type", problems);
            if (type != null && !SCENE_TYPES.contains(type)) {
                problems.add(at + ".scene_type: must be \"video\" or \"diagram\", got \"" + type + "\"");
            }
            String imageModel = optionalModel(s, "image_model", at + ".image_model", ReplicateModel.Kind.IMAGE, problems);
            String videoModel = optionalModel(s, "video_model", at + ".video_model", ReplicateModel.Kind.VIDEO, problems);
            String voiceId = optionalVoice(s, "voice_id", at + ".voice_id", problems);
            if (problems.size() == before) {
                scenes.add(new Scene(number, type == null ? "video" : type, narration, visual, duration,
                        imageModel, videoModel, voiceId, extra(s, SCENE_FIELDS)));
            }
        }
        return scenes;
    }

    private static Integer sceneNumber(JsonNode n, String at, List<String> problems) {
        if (n == null || n.isNull()) {
            problems.add(at + ": is required");
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            problems.add(at + ": must be a positive whole number, got " + describe(n));
            return null;
        }
        if (n.intValue() < 1) {
            problems.add(at + ": must be a positive whole number, got " + n.intValue());
            return null;
        }
        return n.intValue();
    }

    private static Double duration(JsonNode n, String at, List<String> problems) {
        if (n == null || n.isNull()) {
            problems.add(at + ": is required");
            return null;
        }
        if (!n.isNumber()) {
            problems.add(at + ": must be a number of seconds, got " + describe(n));
            return null;
        }
        double d = n.doubleValue();
        if (!Double.isFinite(d) || d <= 0) {
            problems.add(at + ": must be greater than 0 seconds, got " + n.asText());
            return null;
        }
        if (d > MAX_SCENE_SECONDS) {
            problems.add(at + ": must be at most " + (int) MAX_SCENE_SECONDS + " seconds, got " + n.asText());
            return null;
        }
        return d;
    }

    private void checkLength(String text, String at, List<String> problems) {
        if (text != null && text.length() > maxTextChars) {
            problems.add(at + ": is " + text.length() + " characters long; at most " + maxTextChars
                    + " are allowed (pipeline.max-text-chars)");
        }
    }

    private static String printable(String s) {
        String shown = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        StringBuilder sb = new StringBuilder();
        shown.codePoints().forEach(c -> sb.append(Character.isISOControl(c) ? String.format("\\u%04x", c) : Character.toString(c)));
        return sb.toString().replace("\"", "\\\"");
    }

    private static String requiredText(JsonNode parent, String field, String at, List<String> problems) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            problems.add(at + ": is required");
            return null;
        }
        if (!n.isTextual()) {
            problems.add(at + ": must be a string, got " + describe(n));
            return null;
        }
        if (n.asText().isBlank()) {
            problems.add(at + ": must not be empty");
            return null;
        }
        return n.asText();
    }

    private static String optionalText(JsonNode parent, String field, String at, List<String> problems) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            problems.add(at + ": must be a string, got " + describe(n));
            return null;
        }
        return n.asText();
    }

    private static String optionalModel(JsonNode parent, String field, String at, ReplicateModel.Kind kind, List<String> problems) {
        String name = optionalText(parent, field, at, problems);
        if (name == null) {
            return null;
        }
        boolean known = ReplicateModel.byName(name).filter(m -> m.kind() == kind).isPresent();
        if (!known) {
            problems.add(at + ": unknown " + kind.name().toLowerCase() + " model \"" + name + "\"; known: "
                    + String.join(", ", ReplicateModel.names(kind)));
            return null;
        }
        return name;
    }

    private static String optionalVoice(JsonNode parent, String field, String at, List<String> problems) {
        String voice = optionalText(parent, field, at, problems);
        if (voice != null && !voice.matches("[A-Za-z0-9]{1,64}")) {
            problems.add(at + ": must be an ElevenLabs voice id (letters and digits), got \"" + voice + "\"");
            return null;
        }
        return voice;
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

    private static String describe(JsonNode n) {
        if (n.isTextual()) {
            return "a string";
        }
        if (n.isNumber()) {
            return "the number " + n.asText();
        }
        if (n.isBoolean()) {
            return "a boolean";
        }
        if (n.isArray()) {
            return "an array";
        }
        if (n.isObject()) {
            return "an object";
        }
        return n.getNodeType().name().toLowerCase();
    }
}
