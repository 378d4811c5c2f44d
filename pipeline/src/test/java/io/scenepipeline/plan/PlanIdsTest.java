package io.scenepipeline.plan;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class PlanIdsTest {

    @Test
    void should_keep_safe_ids_as_they_are() {
        assertThat(PlanIds.safe("grand-canyon_2")).isEqualTo("grand-canyon_2");
        assertThat(PlanIds.choose(null, "rainbows.json")).isEqualTo("rainbows");
        assertThat(PlanIds.choose(null, "Rainbows.JSON")).isEqualTo("Rainbows");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../x", "/etc/passwd", "a/b", "CON", "nul", "", "a b", "ａｂｃ", "plan\u0000id", ".hidden"})
    void should_reduce_unsafe_ids_to_letters_digits_dash_underscore(String id) {
        String safe = PlanIds.safe(id);

        assertThat(safe).matches("[A-Za-z0-9_-]{1,64}");
        assertThat(PlanIds.isSafe(safe)).isTrue();
    }

    @Test
    void should_keep_different_unsafe_ids_apart_and_cap_the_length() {
        assertThat(PlanIds.safe("a/b")).isNotEqualTo(PlanIds.safe("a\\b"));
        assertThat(PlanIds.safe("x".repeat(300))).hasSize(64);
        assertThat(PlanIds.safe("CON")).startsWith("CON-");
    }
}
