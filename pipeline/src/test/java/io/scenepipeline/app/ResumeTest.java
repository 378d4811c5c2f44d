package io.scenepipeline.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.Fault;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** Never pay twice: the step journal across runs of a plan (docs/recovery.md). */
class ResumeTest extends PipelineTestSupport {

    @Test
    void should_rerun_only_the_fixed_scene_when_a_dead_lettered_plan_is_dropped_again() throws Exception {
        stubHappyProviders();
        wm.stubFor(post(IMAGEN).withRequestBody(matchingJsonPath("$.input.prompt", equalTo("Prompt of scene 3")))
                .willReturn(aResponse().withStatus(201).withBody(prediction("flaggedprediction000000001", "starting", null))));
        wm.stubFor(get("/v1/predictions/flaggedprediction000000001").willReturn(okJson(prediction("flaggedprediction000000001", "failed", null)
                .replace("\"error\":null", "\"error\":\"The input or output was flagged as sensitive. Please try again with different inputs. (E005)\""))));
        String flagged = plan(3);

        runPlan("canyon.json", flagged);
        assertThat(readJson(deadLetter("canyon.error.json")).path("scene_number").asInt()).isEqualTo(3);
        wm.resetRequests();
        runPlan("canyon.json", flagged.replace("Prompt of scene 3", "Prompt of scene 3, calmer"));

        wm.verify(1, postRequestedFor(urlEqualTo(IMAGEN)));
        wm.verify(1, postRequestedFor(urlEqualTo(IMAGEN)).withRequestBody(matchingJsonPath("$.input.prompt", equalTo("Prompt of scene 3, calmer"))));
        wm.verify(1, postRequestedFor(urlEqualTo(SEEDANCE)));
        wm.verify(0, postRequestedFor(urlPathEqualTo(TTS)));
        wm.verify(0, postRequestedFor(urlEqualTo("/generate-alignment")));
        wm.verify(0, postRequestedFor(urlEqualTo("/generate-emotions")));
        wm.verify(0, postRequestedFor(urlEqualTo("/export-video")));
        JsonNode manifest = readJson(outbox("canyon").resolve("manifest.json"));
        assertThat(manifest.path("status").asText()).isEqualTo("succeeded");
        for (JsonNode scene : manifest.path("scenes")) {
            for (JsonNode step : scene.path("steps")) {
                boolean paidNow = scene.path("scene_number").asInt() == 3 && step.path("provider").asText().equals("replicate");
                assertThat(step.path("reused").asBoolean()).as("scene %s %s", scene.path("scene_number"), step.path("step"))
                        .isEqualTo(!paidNow);
            }
        }
        // seven steps a scene, each counted as in the first run (the upload is reused with its export): 2 x 7 + scene 3's
        // narration chain 5
        assertThat(manifest.path("totals").path("reused_steps").asInt()).isEqualTo(2 * 7 + 5);
    }

    @Test
    void should_complete_a_finished_plan_dropped_again_from_the_journal_without_calling_anyone() throws Exception {
        stubHappyProviders();
        runPlan("first.json", plan(2));
        wm.resetRequests();

        runPlan("first.json", plan(2));

        wm.verify(0, anyRequestedFor(anyUrl()));
        JsonNode manifest = readJson(outbox("first").resolve("manifest.json"));
        assertThat(manifest.path("scenes").findValues("reused")).hasSize(14).allMatch(JsonNode::asBoolean);
        assertThat(manifest.path("scenes").get(0).path("steps").get(0).path("prediction_id").asText()).isEqualTo("imagepredictionid000000001");
        assertThat(outbox("first").resolve("clips/scene_2.mp4")).hasBinaryContent(mp4());
    }

    @Test
    void should_adopt_the_prediction_an_unanswered_create_made_instead_of_paying_again() throws Exception {
        stubHappyProviders();
        wm.stubFor(post(IMAGEN).willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
        String made = prediction("adoptedprediction000000001", "processing", null)
                .replace("\"input\":{}", "\"input\":{\"aspect_ratio\":\"16:9\",\"safety_filter_level\":\"block_only_high\","
                        + "\"prompt\":\"Prompt of scene 1\",\"output_format\":\"png\"}")
                .replace("\"model\":\"m\"", "\"model\":\"google/imagen-3\"")
                .replace("2025-06-01T12:00:00.123Z", Instant.now().toString());
        String other = made.replace("adoptedprediction000000001", "otherprediction0000000001").replace("Prompt of scene 1", "Someone else's prompt");
        wm.stubFor(get(urlPathEqualTo("/v1/predictions")).willReturn(okJson("{\"next\":null,\"previous\":null,\"results\":[" + other + "," + made + "]}")));
        wm.stubFor(get("/v1/predictions/adoptedprediction000000001").willReturn(okJson(
                prediction("adoptedprediction000000001", "succeeded", wm.baseUrl() + "/files/out-0.png"))));

        runPlan("adopt.json", plan(1));

        wm.verify(1, postRequestedFor(urlEqualTo(IMAGEN)));
        wm.verify(1, getRequestedFor(urlPathEqualTo("/v1/predictions")));
        JsonNode step = readJson(outbox("adopt").resolve("manifest.json")).path("scenes").get(0).path("steps").get(0);
        assertThat(step.path("prediction_id").asText()).isEqualTo("adoptedprediction000000001");
    }
}
