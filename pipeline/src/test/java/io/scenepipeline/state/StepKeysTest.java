package io.scenepipeline.state;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StepKeysTest {

    @Test
    void should_not_depend_on_key_order() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("prompt", "a red canyon");
        a.put("aspect_ratio", "16:9");
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("aspect_ratio", "16:9");
        b.put("prompt", "a red canyon");

        assertThat(StepKeys.of("text-to-image", Map.of("input", a))).isEqualTo(StepKeys.of("text-to-image", Map.of("input", b)));
    }

    @Test
    void should_change_with_any_input_the_step_name_or_an_upstream_file() {
        String base = StepKeys.of("text-to-image", Map.of("model", "google/imagen-3", "input", Map.of("prompt", "canyon")));

        assertThat(StepKeys.of("text-to-image", Map.of("model", "google/imagen-3", "input", Map.of("prompt", "canyon!")))).isNotEqualTo(base);
        assertThat(StepKeys.of("text-to-image", Map.of("model", "stability-ai/sdxl", "input", Map.of("prompt", "canyon")))).isNotEqualTo(base);
        assertThat(StepKeys.of("image-to-video", Map.of("model", "google/imagen-3", "input", Map.of("prompt", "canyon")))).isNotEqualTo(base);
        assertThat(StepKeys.of("x", Map.of("image", StepKeys.fileRef(StepKeys.sha256(new byte[] {1})))))
                .isNotEqualTo(StepKeys.of("x", Map.of("image", StepKeys.fileRef(StepKeys.sha256(new byte[] {2})))));
    }

    @Test
    void should_keep_array_order_significant_and_be_a_sha256() {
        String ab = StepKeys.of("emotions", Map.of("timeline", List.of("a", "b")));

        assertThat(ab).matches("[0-9a-f]{64}");
        assertThat(StepKeys.of("emotions", Map.of("timeline", List.of("b", "a")))).isNotEqualTo(ab);
    }
}
