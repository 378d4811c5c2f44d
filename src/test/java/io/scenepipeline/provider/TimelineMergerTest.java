package io.scenepipeline.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.scenepipeline.provider.facerig.TimelineMerger;
import io.scenepipeline.support.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TimelineMergerTest {

    @Test
    void should_merge_emotions_into_the_phoneme_timeline_like_the_original_client() {
        JsonNode phonemes = Json.read("""
                [{"time_ms":620,"target_expr":"speaking_ee","target_pose":"center","transition_duration_ms":500,"phoneme":"HH→EH0"},
                 {"time_ms":1990,"target_expr":"oh_round","target_pose":"center","transition_duration_ms":500,"phoneme":"OY1"}]""");
        JsonNode emotions = Json.read("""
                [{"time_ms":1200,"target_expr":"happy_soft","reason":"greeting"},
                 {"time_ms":2030,"target_expr":"surprised_ah","reason":"wow"}]""");

        JsonNode merged = TimelineMerger.merge(phonemes, emotions);

        assertThat(merged.toString()).isEqualTo(
                "[{\"time_ms\":620,\"target_expr\":\"speaking_ee\",\"target_pose\":\"center\",\"transition_duration_ms\":100,\"phoneme\":\"HH→EH0\"},"
                        + "{\"time_ms\":1200,\"target_expr\":\"happy_soft\",\"transition_duration_ms\":500},"
                        + "{\"time_ms\":1990,\"target_expr\":\"surprised_ah\",\"target_pose\":\"center\",\"transition_duration_ms\":300,\"phoneme\":\"OY1\"}]");
    }

    @Test
    void should_keep_an_emotion_51_ms_away_on_its_own() {
        JsonNode merged = TimelineMerger.merge(Json.read("[{\"time_ms\":1000,\"target_expr\":\"speaking_ah\"}]"),
                Json.read("[{\"time_ms\":1051,\"target_expr\":\"concerned\"}]"));

        assertThat(merged).hasSize(2);
        assertThat(merged.get(0).path("target_expr").asText()).isEqualTo("speaking_ah");
        assertThat(merged.get(1).path("transition_duration_ms").asInt()).isEqualTo(500);
    }
}
