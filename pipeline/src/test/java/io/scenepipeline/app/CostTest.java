package io.scenepipeline.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** What a plan cost, priced by the table in application.properties, in the manifest, the report and the summary. */
class CostTest extends PipelineTestSupport {

    @Test
    void should_price_every_paid_step_by_the_table_and_charge_nothing_for_a_re_drop() throws Exception {
        stubHappyProviders();
        String plan = plan(2);

        runPlan("priced.json", plan);
        JsonNode first = readJson(outbox("priced").resolve("manifest.json"));
        runPlan("priced.json", plan);
        JsonNode again = readJson(outbox("priced").resolve("manifest.json"));

        // by hand from the table: imagen-3 0.05 per image; seedance-1-pro at 1080p 0.15 per second of video, scene 1
        // asks 15 s (clamped to 12) and scene 2 5 s; ElevenLabs 0.0001 per character of "Narration of scene N." (21)
        double images = 2 * 0.05;
        double clips = (12 + 5) * 0.15;
        double speech = 2 * 21 * 0.0001;
        assertThat(first.path("cost_usd").asDouble()).isCloseTo(images + clips + speech, within(1e-9));
        JsonNode steps = first.path("scenes").get(0).path("steps");
        assertThat(step(steps, "text-to-image").path("cost_usd").asDouble()).isCloseTo(0.05, within(1e-9));
        assertThat(step(steps, "image-to-video").path("cost_usd").asDouble()).isCloseTo(1.8, within(1e-9));
        assertThat(step(steps, "text-to-speech").path("cost_usd").asDouble()).isCloseTo(0.0021, within(1e-9));
        assertThat(step(steps, "alignment").has("cost_usd")).as("face_rig runs locally: no price").isFalse();
        assertThat(again.path("cost_usd").asDouble()).as("everything reused").isZero();
        again.path("scenes").forEach(scene -> scene.path("steps").forEach(st -> {
            if (st.path("provider").asText().matches("replicate|elevenlabs")) {
                assertThat(st.path("cost_usd").asDouble()).isZero();
            }
        }));
        assertThat(Files.readString(outbox("priced").resolve("report.html"))).contains("<b>$0.0000</b> <span>spent</span>");
    }

    @Test
    void should_say_in_the_dead_letter_report_what_was_spent_before_the_failure() throws Exception {
        stubHappyProviders();
        wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(SEEDANCE).willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(422).withBody("{\"detail\":\"bad input\"}")));

        runPlan("half.json", plan(1));

        // the image and the narration were paid for before the clip failed
        assertThat(readJson(deadLetter("half.error.json")).path("cost_usd").asDouble()).isCloseTo(0.05 + 21 * 0.0001, within(1e-9));
    }

    private static JsonNode step(JsonNode steps, String name) {
        for (JsonNode s : steps) {
            if (s.path("step").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no step " + name + " in " + steps);
    }
}
