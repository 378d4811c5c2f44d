package io.scenepipeline.provider;

import io.scenepipeline.provider.facerig.TimelineMerger;
import io.scenepipeline.support.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The original client's {@code _combine_timelines}, keyframe for keyframe. */
class TimelineMergerTest {

    @Test
    void should_merge_exactly_as_the_original_client_does() {
        JsonNode phonemes = Json.read("""
                [{"time_ms":620,"target_expr":"speaking_ee","target_pose":"center","transition_duration_ms":500,"phoneme":"HH→EH0"},
                 {"time_ms":1000,"target_expr":"speaking_ah","phoneme":"AA1"},
                 {"time_ms":1990,"target_expr":"oh_round","target_pose":"center","transition_duration_ms":500,"phoneme":"OY1"},
                 {"time_ms":2010,"phoneme":"N"}]""");
        JsonNode emotions = Json.read("""
                [{"time_ms":1200,"target_expr":"happy_soft","reason":"greeting"},
                 {"time_ms":949,"target_expr":"concerned"},{"time_ms":1050,"target_expr":"surprised_ah"},
                 {"time_ms":2030,"target_expr":"surprised_ah","reason":"wow"},{"time_ms":1200,"target_expr":"neutral"}]""");

        JsonNode merged = TimelineMerger.merge(phonemes, emotions);

        // what face_rig_integrator._combine_timelines (miriamsimone/video-generation-pipeline at 3180e3a) printed for
        // these inputs under python3: 51 and 50 ms away stand alone, one emotion reaches two phonemes, the later of two
        // emotions at one time wins, target_pose is dropped
        assertThat(merged.toString()).isEqualTo("[{\"time_ms\":620,\"target_expr\":\"speaking_ee\",\"phoneme\":\"HH→EH0\",\"transition_duration_ms\":100},"
                + "{\"time_ms\":949,\"target_expr\":\"concerned\",\"transition_duration_ms\":500},"
                + "{\"time_ms\":1000,\"target_expr\":\"speaking_ah\",\"phoneme\":\"AA1\",\"transition_duration_ms\":100},"
                + "{\"time_ms\":1050,\"target_expr\":\"surprised_ah\",\"transition_duration_ms\":500},"
                + "{\"time_ms\":1200,\"target_expr\":\"neutral\",\"transition_duration_ms\":500},"
                + "{\"time_ms\":1990,\"target_expr\":\"surprised_ah\",\"phoneme\":\"OY1\",\"transition_duration_ms\":300},"
                + "{\"time_ms\":2010,\"target_expr\":\"surprised_ah\",\"phoneme\":\"N\",\"transition_duration_ms\":300}]");
    }

    @Test
    void should_take_an_emotion_49_ms_away_and_leave_one_50_or_51_ms_away() {
        JsonNode phoneme = Json.read("[{\"time_ms\":1000,\"target_expr\":\"speaking_ah\"}]");

        JsonNode at49 = TimelineMerger.merge(phoneme, Json.read("[{\"time_ms\":1049,\"target_expr\":\"concerned\"}]"));
        JsonNode at50 = TimelineMerger.merge(phoneme, Json.read("[{\"time_ms\":1050,\"target_expr\":\"concerned\"}]"));
        JsonNode at51 = TimelineMerger.merge(phoneme, Json.read("[{\"time_ms\":949,\"target_expr\":\"concerned\"}]"));

        assertThat(at49).hasSize(1);
        assertThat(at49.get(0).path("target_expr").asText()).isEqualTo("concerned");
        assertThat(at49.get(0).path("transition_duration_ms").asInt()).isEqualTo(300);
        assertThat(at50).hasSize(2);
        assertThat(at50.get(0).path("target_expr").asText()).isEqualTo("speaking_ah");
        assertThat(at50.get(1).path("transition_duration_ms").asInt()).isEqualTo(500);
        assertThat(at51).hasSize(2);
        assertThat(at51.get(0).path("target_expr").asText()).isEqualTo("concerned");
        assertThat(at51.get(1).path("target_expr").asText()).isEqualTo("speaking_ah");
    }
}
