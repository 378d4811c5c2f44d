package io.scenepipeline.plan;

import io.scenepipeline.provider.replicate.ReplicateModel;
import io.scenepipeline.support.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The published schema is the one the validator uses, and it agrees with the code's lists of models. */
class PlanSchemaTest {

    @Test
    void should_bundle_the_very_schema_published_in_the_repository() throws Exception {
        JsonNode published = Json.MAPPER.readTree(Files.readString(Path.of("schema/scene-plan.schema.json")));
        assertThat(PlanSchema.get().document()).isEqualTo(published);
        assertThat(published.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
    }

    @Test
    void should_list_exactly_the_models_the_pipeline_knows() {
        JsonNode defs = PlanSchema.get().document().path("$defs");
        assertThat(names(defs.path("imageModel").path("enum"))).containsExactlyInAnyOrderElementsOf(ReplicateModel.names(ReplicateModel.Kind.IMAGE));
        assertThat(names(defs.path("videoModel").path("enum"))).containsExactlyInAnyOrderElementsOf(ReplicateModel.names(ReplicateModel.Kind.VIDEO));
        assertThat(defs.path("imageModel").path("x-error").path("enum").asText())
                .endsWith("known: " + String.join(", ", ReplicateModel.names(ReplicateModel.Kind.IMAGE)));
        assertThat(defs.path("videoModel").path("x-error").path("enum").asText())
                .endsWith("known: " + String.join(", ", ReplicateModel.names(ReplicateModel.Kind.VIDEO)));
    }

    @Test
    void should_accept_the_example_plans() throws Exception {
        try (var plans = Files.list(Path.of("examples/plans"))) {
            for (Path plan : plans.toList()) {
                assertThat(PlanSchema.get().problems(Json.MAPPER.readTree(plan.toFile()))).as(plan.toString()).isEmpty();
            }
        }
    }

    @Test
    void should_give_one_message_per_field_from_the_schema() throws Exception {
        JsonNode plan = Json.MAPPER.readTree("""
                {"plan_id": "", "scenes": [{"scene_number": 0, "visual_description": " ", "duration": "5", "scene_type": "x"},
                                           {"visual_description": "v", "duration": 1, "voice_id": "../v"}]}""");
        assertThat(PlanSchema.get().problems(plan)).containsExactlyInAnyOrder(
                "plan_id: must not be empty",
                "scenes[0].scene_number: must be a positive whole number, got 0",
                "scenes[0].visual_description: must not be empty",
                "scenes[0].duration: must be a number of seconds, got a string",
                "scenes[0].scene_type: must be \"video\" or \"diagram\", got \"x\"",
                "scenes[1].scene_number: is required",
                "scenes[1].voice_id: must be an ElevenLabs voice id (letters and digits), got \"../v\"");
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> {
            if (!n.isNull()) {
                out.add(n.asText());
            }
        });
        return out;
    }
}
