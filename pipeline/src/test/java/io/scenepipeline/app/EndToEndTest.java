package io.scenepipeline.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Base64;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

class EndToEndTest extends PipelineTestSupport {

    @Test
    void should_turn_a_three_scene_plan_into_an_outbox_folder_with_every_file_and_a_manifest() throws Exception {
        stubHappyProviders();
        String plan = plan(3);

        runPlan("canyon.json", plan);

        var out = outbox("canyon");
        assertThat(Files.readString(out.resolve("plan.json"))).isEqualTo(plan);
        for (int n = 1; n <= 3; n++) {
            assertThat(out.resolve("images/scene_" + n + ".png")).hasBinaryContent(png());
            assertThat(out.resolve("clips/scene_" + n + ".mp4")).hasBinaryContent(mp4());
            assertThat(out.resolve("audio/scene_" + n + ".wav")).hasBinaryContent(wav(n));
            assertThat(out.resolve("face_rig/scene_" + n + ".mp4")).hasBinaryContent(mp4());
        }
        JsonNode manifest = readJson(out.resolve("manifest.json"));
        assertThat(manifest.path("plan_id").asText()).isEqualTo("canyon");
        assertThat(manifest.path("title").asText()).isEqualTo("Test plan");
        assertThat(manifest.path("status").asText()).isEqualTo("succeeded");
        assertThat(manifest.path("started_at").asText()).isNotBlank();
        assertThat(manifest.path("finished_at").asText()).isNotBlank();
        JsonNode scene1 = manifest.path("scenes").get(0);
        assertThat(scene1.path("scene_number").asInt()).isEqualTo(1);
        assertThat(scene1.path("files").path("clip").asText()).isEqualTo("clips/scene_1.mp4");
        assertThat(scene1.path("duration").path("clip").asDouble()).isEqualTo(12.0);
        assertThat(scene1.path("duration").path("clamped").asBoolean()).isTrue();
        List<String> steps = scene1.path("steps").findValuesAsText("step");
        assertThat(steps).containsExactly("text-to-image", "image-to-video", "text-to-speech", "alignment", "emotions",
                "upload-audio", "export");
        JsonNode image = scene1.path("steps").get(0);
        assertThat(image.path("provider").asText()).isEqualTo("replicate");
        assertThat(image.path("model").asText()).isEqualTo("google/imagen-3");
        assertThat(image.path("prediction_id").asText()).isEqualTo("imagepredictionid000000001");
        assertThat(image.path("attempts").asInt()).isEqualTo(1);
        assertThat(image.path("reused").asBoolean()).isFalse();
        assertThat(image.has("duration_ms")).isTrue();
        assertThat(Files.list(dir.resolve("inbox")).filter(p -> !p.getFileName().toString().startsWith("."))).isEmpty();
    }

    @Test
    void should_speak_each_providers_wire_contract() throws Exception {
        stubHappyProviders();

        runPlan("contract.json", plan(3));

        wm.verify(3, postRequestedFor(urlEqualTo(IMAGEN))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"input\":{\"prompt\":\"${json-unit.any-string}\",\"aspect_ratio\":\"16:9\","
                        + "\"output_format\":\"png\",\"safety_filter_level\":\"block_only_high\"}}")));
        wm.verify(1, postRequestedFor(urlEqualTo(IMAGEN)).withRequestBody(matchingJsonPath("$.input.prompt", equalTo("Prompt of scene 2"))));
        wm.verify(3, postRequestedFor(urlEqualTo(SEEDANCE))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withRequestBody(matchingJsonPath("$.input.image", equalTo("data:image/png;base64," + Base64.getEncoder().encodeToString(png()))))
                .withRequestBody(matchingJsonPath("$.input.fps", equalTo("24")))
                .withRequestBody(matchingJsonPath("$.input.aspect_ratio", equalTo("16:9")))
                .withRequestBody(matchingJsonPath("$.version", absent())));
        wm.verify(1, postRequestedFor(urlEqualTo(SEEDANCE)).withRequestBody(matchingJsonPath("$.input.duration", equalTo("12"))));
        wm.verify(getRequestedFor(urlEqualTo("/v1/predictions/imagepredictionid000000001"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN)));
        wm.verify(3, postRequestedFor(urlPathEqualTo(TTS))
                .withQueryParam("output_format", equalTo("wav_16000"))
                .withHeader("xi-api-key", equalTo(XI_KEY))
                .withHeader("Authorization", absent())
                .withRequestBody(matchingJsonPath("$.model_id", equalTo("eleven_multilingual_v2")))
                .withRequestBody(matchingJsonPath("$.voice_settings.stability", equalTo("0.5"))));
        wm.verify(1, postRequestedFor(urlPathEqualTo(TTS)).withRequestBody(matchingJsonPath("$.text", equalTo("Narration of scene 3."))));
        wm.verify(3, postRequestedFor(urlEqualTo("/audio/upload"))
                .withRequestBodyPart(aMultipart().withName("file").withHeader("Content-Type", equalTo("audio/wav")).build()));
        wm.verify(1, postRequestedFor(urlEqualTo("/generate-alignment"))
                .withRequestBodyPart(aMultipart().withName("audio").build())
                .withRequestBodyPart(aMultipart().withName("transcript").withBody(equalTo("Narration of scene 1.")).build()));
        wm.verify(3, postRequestedFor(urlEqualTo("/generate-emotions"))
                // the narration's own length, as the original client sends it (the stub WAVs last one second)
                .withRequestBody(matchingJsonPath("$.total_duration_ms", equalTo("1000")))
                .withRequestBody(matchingJsonPath("$.phoneme_timeline[1].phoneme", equalTo("OY1"))));
        wm.verify(3, postRequestedFor(urlEqualTo("/export-video"))
                .withRequestBody(matchingJsonPath("$.audio_url", equalTo("/audio/upload_1700000000000.wav")))
                .withRequestBody(matchingJsonPath("$.format", equalTo("mp4")))
                .withRequestBody(matchingJsonPath("$.fps", equalTo("24")))
                .withRequestBody(matchingJsonPath("$.combined_timeline[1].target_expr", equalTo("happy_soft")))
                .withRequestBody(matchingJsonPath("$.combined_timeline[2].transition_duration_ms", equalTo("100"))));
        List<LoggedRequest> downloads = wm.findAll(getRequestedFor(urlPathMatching("/files/.*")));
        assertThat(downloads).hasSize(6);
        List<LoggedRequest> all = wm.findAll(postRequestedFor(urlPathMatching(".*")));
        assertThat(all).allSatisfy(r -> assertThat(r.getHeaders().keys()).noneMatch(h -> h.startsWith("Camel") || h.equals("ratelimit-remaining")));
    }
}
