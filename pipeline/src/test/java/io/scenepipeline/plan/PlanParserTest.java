package io.scenepipeline.plan;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PlanParserTest {

    private final PlanParser parser = new PlanParser(true);

    private static final String GOOD_SCENE = """
            {"scene_number": 1, "narration": "Hello there.", "visual_description": "A red canyon", "duration": 6}""";

    @Test
    void should_read_a_plan_in_the_original_format() {
        ScenePlan plan = parser.parse(bytes("""
                {"title": "Grand Canyon", "scenes": [
                  {"scene_number": 1, "scene_type": "video", "narration": "Six million years ago.",
                   "visual_description": "Aerial view of a river", "duration": 6},
                  {"scene_number": 2, "scene_type": "diagram", "narration": "Layers.",
                   "visual_description": "Rock strata diagram", "duration": 4.5, "camera": "static"}
                ], "author": "planner-v2"}"""), "grand-canyon.json");

        assertThat(plan.planId()).isEqualTo("grand-canyon");
        assertThat(plan.title()).isEqualTo("Grand Canyon");
        assertThat(plan.scenes()).extracting(Scene::sceneNumber).containsExactly(1, 2);
        assertThat(plan.scenes().get(1).sceneType()).isEqualTo("diagram");
        assertThat(plan.scenes().get(1).duration()).isEqualTo(4.5);
        assertThat(plan.scenes().get(1).extra()).containsEntry("camera", "static");
        assertThat(plan.extra()).containsEntry("author", "planner-v2");
    }

    @Test
    void should_take_the_declared_plan_id_over_the_file_name() {
        ScenePlan plan = parser.parse(bytes("{\"plan_id\": \"rainbows\", \"scenes\": [" + GOOD_SCENE + "]}"), "x.json");

        assertThat(plan.planId()).isEqualTo("rainbows");
    }

    @Test
    void should_accept_a_utf8_byte_order_mark() {
        byte[] withBom = ("\uFEFF{\"scenes\": [" + GOOD_SCENE + "]}").getBytes(StandardCharsets.UTF_8);

        assertThat(parser.parse(withBom, "bom.json").scenes()).hasSize(1);
    }

    @Test
    void should_list_every_problem_with_its_field_path() {
        PlanValidationException e = catchThrowableOfType(PlanValidationException.class, () -> parser.parse(bytes("""
                {"title": 5, "scenes": [
                  {"scene_number": 0, "visual_description": "", "duration": -1},
                  {"scene_number": 2, "narration": "n", "visual_description": 7, "duration": "6"},
                  {"scene_number": 2, "narration": "n", "visual_description": "v", "duration": 3, "scene_type": "movie"}
                ]}"""), "bad.json"));

        assertThat(e.problems()).containsExactly(
                "title: must be a string, got the number 5",
                "scenes[0].scene_number: must be a positive whole number, got 0",
                "scenes[0].visual_description: must not be empty",
                "scenes[0].duration: must be greater than 0 seconds, got -1",
                "scenes[0].narration: is required while face_rig is enabled (pipeline.face-rig.enabled=true)",
                "scenes[1].visual_description: must be a string, got the number 7",
                "scenes[1].duration: must be a number of seconds, got a string",
                "scenes[2].scene_number: 2 is used by an earlier scene; scene numbers must be unique",
                "scenes[2].scene_type: must be \"video\" or \"diagram\", got \"movie\"");
        assertThat(e.getMessage()).startsWith("Invalid plan (9 problems): title: must be a string");
    }

    @Test
    void should_require_a_non_empty_scenes_array() {
        assertProblems("{\"title\": \"t\"}", "scenes: is required");
        assertProblems("{\"scenes\": []}", "scenes: must hold at least one scene");
        assertProblems("{\"scenes\": {}}", "scenes: must be an array of scenes, got an object");
        assertProblems("{\"scenes\": [3]}", "scenes[0]: must be an object, got the number 3");
    }

    @Test
    void should_require_the_scene_fields() {
        assertProblems("{\"scenes\": [{}]}",
                "scenes[0].scene_number: is required",
                "scenes[0].visual_description: is required",
                "scenes[0].duration: is required",
                "scenes[0].narration: is required while face_rig is enabled (pipeline.face-rig.enabled=true)");
    }

    @Test
    void should_not_require_narration_when_face_rig_is_disabled() {
        ScenePlan plan = new PlanParser(false).parse(bytes("""
                {"scenes": [{"scene_number": 1, "visual_description": "v", "duration": 2}]}"""), "p.json");

        assertThat(plan.scenes().get(0).hasNarration()).isFalse();
    }

    @Test
    void should_reject_whole_numbers_that_are_not_integers_and_bad_durations() {
        assertProblems("{\"scenes\": [{\"scene_number\": 1.5, \"narration\": \"n\", \"visual_description\": \"v\", \"duration\": 0}]}",
                "scenes[0].scene_number: must be a positive whole number, got the number 1.5",
                "scenes[0].duration: must be greater than 0 seconds, got 0");
    }

    @Test
    void should_reject_unknown_models_and_bad_voice_ids() {
        assertProblems("{\"image_model\": \"acme/painter\", \"scenes\": [{\"scene_number\": 1, \"narration\": \"n\","
                        + " \"visual_description\": \"v\", \"duration\": 1, \"video_model\": \"google/imagen-3\", \"voice_id\": \"../x\"}]}",
                "image_model: unknown image model \"acme/painter\"; known: google/imagen-3, stability-ai/sdxl",
                "scenes[0].video_model: unknown video model \"google/imagen-3\"; known: bytedance/seedance-1-pro, bytedance/seedance-1-lite, stability-ai/stable-video-diffusion",
                "scenes[0].voice_id: must be an ElevenLabs voice id (letters and digits), got \"../x\"");
    }

    @Test
    void should_explain_files_that_are_not_a_json_object() {
        assertProblems("", "(file): is empty");
        assertProblems("[1, 2]", "(root): must be a JSON object with a \"scenes\" array, got an array");
        assertProblems("\"plan\"", "(root): must be a JSON object with a \"scenes\" array, got a string");
        assertThatThrownBy(() -> parser.parse(bytes("{\"scenes\": [ {\"scene_number\": 1,"), "t.json"))
                .isInstanceOf(PlanValidationException.class)
                .hasMessageContaining("(file): is not valid JSON at line 1");
        assertThatThrownBy(() -> parser.parse(bytes("{\"scenes\": [], \"scenes\": []}"), "d.json"))
                .hasMessageContaining("Duplicate field 'scenes'");
        assertThatThrownBy(() -> parser.parse("{\"scenes\": []}".getBytes(StandardCharsets.UTF_16), "u.json"))
                .hasMessageContaining("(file): is UTF-16 encoded; save the plan as UTF-8");
        // the reader's own advice to programmers is not for the person who wrote the plan
        assertProblems("{\"scenes\": NaN}", "(file): is not valid JSON at line 1, column 15: Non-standard token 'NaN'");
        assertProblems("{\"scenes\": []} {}", "(file): is not valid JSON at line 1, column 16: Trailing token (of type START_OBJECT) found after value");
    }

    @Test
    void should_refuse_unsafe_plan_ids_and_make_file_names_safe() {
        assertProblems("{\"plan_id\": \"../../etc/passwd\", \"scenes\": [" + GOOD_SCENE + "]}",
                "plan_id: must be 1-64 letters, digits, '-' or '_' and not a device name, got \"../../etc/passwd\"");
        ScenePlan plan = parser.parse(bytes("{\"scenes\": [" + GOOD_SCENE + "]}"), "my plan (final).json");

        assertThat(plan.planId()).matches("[A-Za-z0-9_-]{1,64}").startsWith("my-plan-final-");
    }

    @Test
    void should_enforce_the_scene_and_text_limits() {
        PlanParser small = new PlanParser(true, 2, 10);

        PlanValidationException e = catchThrowableOfType(PlanValidationException.class, () -> small.parse(bytes(
                "{\"scenes\": [" + GOOD_SCENE + "," + GOOD_SCENE + "," + GOOD_SCENE + "]}"), "p.json"));
        PlanValidationException text = catchThrowableOfType(PlanValidationException.class, () -> small.parse(bytes(
                "{\"scenes\": [" + GOOD_SCENE + "]}"), "p.json"));

        assertThat(e.problems()).containsExactly("scenes: holds 3 scenes; at most 2 are allowed (pipeline.max-scenes)");
        assertThat(text.problems()).containsExactly(
                "scenes[0].visual_description: is 12 characters long; at most 10 are allowed (pipeline.max-text-chars)",
                "scenes[0].narration: is 12 characters long; at most 10 are allowed (pipeline.max-text-chars)");
    }

    @Test
    void should_answer_any_mangled_plan_with_a_validation_error_never_a_crash() {
        String good = """
                {"title": "T", "plan_id": "p-1", "image_model": "google/imagen-3", "voice_id": "abc", "scenes": [
                 {"scene_number": 1, "scene_type": "video", "narration": "N", "visual_description": "V", "duration": 6},
                 {"scene_number": 2, "narration": "M", "visual_description": "W", "duration": 2.5, "video_model": "bytedance/seedance-1-lite"}]}""";
        String[] values = {"null", "true", "0", "-1", "1.5", "1e400", "\"\"", "\" \"", "\"x\"", "[]", "{}", "[1]", "{\"a\":1}"};
        java.util.Random random = new java.util.Random(42);
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < 3000; i++) {
            // replace one value (after a ':' or in an array) with something of another shape
            StringBuilder mangled = new StringBuilder(good);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?<=: )(\"[^\"]*\"|[0-9.]+|\\[|\\{)").matcher(good);
            java.util.List<int[]> spots = new java.util.ArrayList<>();
            while (m.find()) {
                spots.add(new int[] {m.start(), m.end()});
            }
            int[] spot = spots.get(random.nextInt(spots.size()));
            if (good.charAt(spot[0]) != '[' && good.charAt(spot[0]) != '{') {
                mangled.replace(spot[0], spot[1], values[random.nextInt(values.length)]);
            } else {
                mangled.insert(spot[0] + 1, values[random.nextInt(values.length)] + (random.nextBoolean() ? "," : ""));
            }
            try {
                parser.parse(bytes(mangled.toString()), "fuzz.json");
                accepted++;
            } catch (PlanValidationException e) {
                assertThat(e.problems()).as(mangled.toString()).isNotEmpty().allMatch(p -> p.contains(": "));
                refused++;
            }
        }
        assertThat(refused).isGreaterThan(1000);
        assertThat(accepted).isGreaterThan(10);
    }

    private void assertProblems(String json, String... expected) {
        PlanValidationException e = catchThrowableOfType(PlanValidationException.class, () -> parser.parse(bytes(json), "p.json"));
        assertThat(e).as("expected a validation failure for %s", json).isNotNull();
        assertThat(e.problems()).containsExactly(expected);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
