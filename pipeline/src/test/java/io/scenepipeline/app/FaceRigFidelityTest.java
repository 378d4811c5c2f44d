package io.scenepipeline.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** face_rig's answers as the real server gives them (its 404s and 400s wrapped in 500s), and its form decoding. */
class FaceRigFidelityTest extends PipelineTestSupport {

    @Test
    void should_upload_the_audio_again_when_the_server_says_it_lost_it_then_export() throws Exception {
        stubHappyProviders();
        failFirst(() -> post("/export-video"), 1, aResponse().withStatus(500)
                .withBody("{\"detail\":\"Failed to export video: (404, 'Audio file not found: upload_1700000000000.wav')\"}"), "lost");

        runPlan("lost.json", plan(1));

        wm.verify(2, postRequestedFor(urlEqualTo("/audio/upload")));
        wm.verify(2, postRequestedFor(urlEqualTo("/export-video")));
        assertThat(outbox("lost").resolve("face_rig/scene_1.mp4")).isNotEmptyFile();
        JsonNode export = readJson(outbox("lost").resolve("manifest.json")).path("scenes").get(0).path("steps").findParents("step")
                .stream().filter(s -> s.path("step").asText().equals("export")).findFirst().orElseThrow();
        assertThat(export.path("attempts").asInt()).as("the lost audio is no failed attempt").isEqualTo(1);
    }

    @Test
    void should_fail_at_once_on_an_empty_timeline_saying_what_to_fix() throws Exception {
        stubHappyProviders();
        wm.stubFor(post("/export-video").willReturn(aResponse().withStatus(500)
                .withBody("{\"detail\":\"Failed to export video: (400, 'Empty timeline')\"}")));

        runPlan("empty.json", plan(1));

        wm.verify(1, postRequestedFor(urlEqualTo("/export-video")));
        JsonNode report = readJson(deadLetter("empty.error.json"));
        assertThat(report.path("retryable").asBoolean()).isFalse();
        assertThat(report.path("error").asText()).isEqualTo("face_rig refused the export: the timeline is empty (the narration's "
                + "alignment gave no keyframes); check the scene's narration and its audio");
    }

    @Test
    void should_fail_at_once_when_the_server_has_no_aligner() throws Exception {
        stubHappyProviders();
        wm.stubFor(post("/generate-alignment").willReturn(aResponse().withStatus(500).withBody(
                "{\"detail\":\"Failed to generate alignment: MFA not available in conda env 'aligner': bash: mfa: command not found\"}")));

        runPlan("nomfa.json", plan(1));

        wm.verify(1, postRequestedFor(urlEqualTo("/generate-alignment")));
        JsonNode report = readJson(deadLetter("nomfa.error.json"));
        assertThat(report.path("retryable").asBoolean()).isFalse();
        assertThat(report.path("stage").asText()).isEqualTo("alignment");
        assertThat(report.path("error").asText()).startsWith("face_rig server " + wm.baseUrl()
                + " cannot align: the Montreal Forced Aligner is not installed in its 'aligner' conda env; install it there");
    }

    @Test
    void should_declare_utf8_on_every_multipart_request() throws Exception {
        stubHappyProviders();

        runPlan("utf8.json", plan(1).replace("Narration of scene 1.", "Señor Núñez’s café"));

        wm.verify(1, postRequestedFor(urlEqualTo("/generate-alignment")).withHeader("Content-Type", containing("charset=UTF-8"))
                .withRequestBodyPart(aMultipart().withName("transcript").withBody(equalTo("Señor Núñez’s café")).build()));
        wm.verify(1, postRequestedFor(urlEqualTo("/audio/upload")).withHeader("Content-Type", containing("charset=UTF-8")));
    }
}
