package io.scenepipeline.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** Retries as docs/retries.md promises them, counted in requests the providers received. */
class RetryTest extends PipelineTestSupport {

    @Test
    void should_retry_a_503_with_exponential_backoff_and_succeed() throws Exception {
        stubHappyProviders();
        failFirst(() -> post(IMAGEN), 2, aResponse().withStatus(503).withBody("{\"detail\":\"busy\",\"status\":503}"), "image-create");

        runPlan("busy.json", plan(1));

        List<LoggedRequest> creates = wm.findAll(postRequestedFor(urlEqualTo(IMAGEN)));
        assertThat(creates).hasSize(3);
        long first = creates.get(1).getLoggedDate().getTime() - creates.get(0).getLoggedDate().getTime();
        long second = creates.get(2).getLoggedDate().getTime() - creates.get(1).getLoggedDate().getTime();
        assertThat(first).isGreaterThanOrEqualTo(20);
        assertThat(second).isGreaterThanOrEqualTo(40);
        JsonNode step = readJson(outbox("busy").resolve("manifest.json")).path("scenes").get(0).path("steps").get(0);
        assertThat(step.path("attempts").asInt()).isEqualTo(3);
    }

    @Test
    void should_make_exactly_maximum_redeliveries_plus_one_requests_then_dead_letter() throws Exception {
        stubHappyProviders();
        wm.stubFor(post(IMAGEN).willReturn(aResponse().withStatus(503).withHeader("Retry-After", "0")
                .withBody("{\"detail\":\"Service Unavailable\",\"status\":503}")));

        runPlan("down.json", plan(1));

        wm.verify(3, postRequestedFor(urlEqualTo(IMAGEN)));
        JsonNode report = readJson(deadLetter("down.error.json"));
        assertThat(report.path("stage").asText()).isEqualTo("text-to-image");
        assertThat(report.path("retryable").asBoolean()).isTrue();
        assertThat(report.path("attempts").asInt()).isEqualTo(3);
        assertThat(report.path("http_status").asInt()).isEqualTo(503);
        assertThat(report.path("error").asText()).isEqualTo("503 Service Unavailable - Service Unavailable");
    }

    @Test
    void should_wait_as_long_as_a_429_asks() throws Exception {
        stubHappyProviders();
        failFirst(() -> post(IMAGEN), 1, aResponse().withStatus(429).withHeader("Retry-After", "1")
                .withBody("{\"detail\":\"Request was throttled. Your rate limit resets in ~1s.\",\"status\":429,\"retry_after\":1}"), "throttle");

        runPlan("throttled.json", plan(1));

        List<LoggedRequest> creates = wm.findAll(postRequestedFor(urlEqualTo(IMAGEN)));
        assertThat(creates).hasSize(2);
        assertThat(creates.get(1).getLoggedDate().getTime() - creates.get(0).getLoggedDate().getTime()).isGreaterThanOrEqualTo(950);
    }

    @Test
    void should_retry_a_failed_poll_without_creating_a_second_prediction() throws Exception {
        stubHappyProviders();
        String poll = "/v1/predictions/imagepredictionid000000001";
        wm.stubFor(get(poll).inScenario("poll").whenScenarioStateIs("Started").willSetStateTo("broken-once")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        wm.stubFor(get(poll).inScenario("poll").whenScenarioStateIs("broken-once")
                .willReturn(okJson(prediction("imagepredictionid000000001", "succeeded", wm.baseUrl() + "/files/out-0.png"))));

        runPlan("poll.json", plan(1));

        wm.verify(1, postRequestedFor(urlEqualTo(IMAGEN)));
        wm.verify(2, getRequestedFor(urlEqualTo(poll)));
        assertThat(outbox("poll").resolve("images/scene_1.png")).exists();
    }

    @Test
    void should_repeat_only_the_failed_download_not_the_prediction() throws Exception {
        stubHappyProviders();
        failFirst(() -> get("/files/out.mp4"), 1, aResponse().withFault(Fault.EMPTY_RESPONSE), "download");

        runPlan("download.json", plan(1));

        wm.verify(1, postRequestedFor(urlEqualTo(SEEDANCE)));
        wm.verify(2, getRequestedFor(urlEqualTo("/files/out.mp4")));
        assertThat(outbox("download").resolve("clips/scene_1.mp4")).hasBinaryContent(mp4());
    }

    @Test
    void should_create_a_new_prediction_when_replicate_interrupted_the_last_one() throws Exception {
        stubHappyProviders();
        wm.stubFor(post(IMAGEN).inScenario("pa").whenScenarioStateIs("Started").willSetStateTo("second")
                .willReturn(aResponse().withStatus(201).withBody(prediction("interruptedprediction00001", "starting", null))));
        wm.stubFor(get("/v1/predictions/interruptedprediction00001").willReturn(okJson(
                prediction("interruptedprediction00001", "failed", null).replace("\"error\":null",
                        "\"error\":\"Prediction interrupted; please retry (code: PA)\""))));
        wm.stubFor(post(IMAGEN).inScenario("pa").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(201).withBody(prediction("imagepredictionid000000001", "starting", null))));

        runPlan("interrupted.json", plan(1));

        wm.verify(2, postRequestedFor(urlEqualTo(IMAGEN)));
        JsonNode step = readJson(outbox("interrupted").resolve("manifest.json")).path("scenes").get(0).path("steps").get(0);
        assertThat(step.path("prediction_id").asText()).isEqualTo("imagepredictionid000000001");
        assertThat(step.path("attempts").asInt()).isEqualTo(2);
    }

    @Test
    void should_not_retry_a_prediction_flagged_as_sensitive() throws Exception {
        stubHappyProviders();
        wm.stubFor(get("/v1/predictions/imagepredictionid000000001").willReturn(okJson(
                prediction("imagepredictionid000000001", "failed", null).replace("\"error\":null",
                        "\"error\":\"The input or output was flagged as sensitive. Please try again with different inputs. (E005)\""))));

        runPlan("flagged.json", plan(1));

        wm.verify(1, postRequestedFor(urlEqualTo(IMAGEN)));
        JsonNode report = readJson(deadLetter("flagged.error.json"));
        assertThat(report.path("retryable").asBoolean()).isFalse();
        assertThat(report.path("error").asText()).isEqualTo("Prediction imagepredictionid000000001 failed: "
                + "The input or output was flagged as sensitive. Please try again with different inputs. (E005)");
    }

    @Test
    void should_repeat_only_the_failed_face_rig_call() throws Exception {
        stubHappyProviders();
        failFirst(() -> post("/export-video"), 2, aResponse().withStatus(500).withBody("{\"detail\":\"FFmpeg failed: boom\"}"), "export");
        failFirst(() -> post(urlPathEqualTo(TTS)), 1, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), "tts");

        runPlan("facerig.json", plan(1));

        wm.verify(2, postRequestedFor(urlPathEqualTo(TTS)));
        wm.verify(1, postRequestedFor(urlEqualTo("/audio/upload")));
        wm.verify(1, postRequestedFor(urlEqualTo("/generate-alignment")));
        wm.verify(1, postRequestedFor(urlEqualTo("/generate-emotions")));
        wm.verify(3, postRequestedFor(urlEqualTo("/export-video")));
        assertThat(outbox("facerig").resolve("face_rig/scene_1.mp4")).exists();
    }

    @Test
    void should_not_retry_a_face_rig_validation_error() throws Exception {
        stubHappyProviders();
        wm.stubFor(post("/generate-alignment").willReturn(aResponse().withStatus(422).withBody(
                "{\"detail\":[{\"loc\":[\"body\",\"transcript\"],\"msg\":\"field required\",\"type\":\"value_error.missing\"}]}")));

        runPlan("align.json", plan(1));

        wm.verify(1, postRequestedFor(urlEqualTo("/generate-alignment")));
        JsonNode report = readJson(deadLetter("align.error.json"));
        assertThat(report.path("stage").asText()).isEqualTo("alignment");
        assertThat(report.path("provider").asText()).isEqualTo("face_rig");
        assertThat(report.path("http_status").asInt()).isEqualTo(422);
        assertThat(report.path("error").asText()).isEqualTo("422 Unprocessable Entity - body.transcript: field required");
    }

    @Test
    void should_retry_a_create_that_got_no_response() throws Exception {
        stubHappyProviders();
        failFirst(() -> post(IMAGEN), 1, aResponse().withFault(Fault.EMPTY_RESPONSE), "empty");

        runPlan("empty.json", plan(1));

        wm.verify(2, postRequestedFor(urlEqualTo(IMAGEN)));
        assertThat(outbox("empty").resolve("images/scene_1.png")).exists();
    }

    @Test
    void should_not_retry_404_or_422() throws Exception {
        stubHappyProviders();
        wm.stubFor(post(IMAGEN).willReturn(aResponse().withStatus(404)
                .withBody("{\"detail\":\"The requested resource could not be found.\",\"status\":404}")));
        wm.stubFor(post(SEEDANCE).willReturn(aResponse().withStatus(422).withBody("{\"detail\":\"- input.duration: Must be less than or equal to 12\\n\","
                + "\"status\":422,\"title\":\"Input validation failed\"}")));

        runPlan("missing.json", plan(1));
        wm.stubFor(post(IMAGEN).willReturn(aResponse().withStatus(201).withBody(prediction("imagepredictionid000000001", "starting", null))));
        runPlan("invalid.json", plan(1));

        wm.verify(2, postRequestedFor(urlEqualTo(IMAGEN)));
        wm.verify(1, postRequestedFor(urlEqualTo(SEEDANCE)));
        assertThat(readJson(deadLetter("missing.error.json")).path("error").asText())
                .isEqualTo("404 Not Found - The requested resource could not be found.");
        JsonNode invalid = readJson(deadLetter("invalid.error.json"));
        assertThat(invalid.path("stage").asText()).isEqualTo("image-to-video");
        assertThat(invalid.path("error").asText()).isEqualTo("422 Unprocessable Entity - input.duration: Must be less than or equal to 12");
    }

    @Test
    void should_cap_a_huge_retry_after_at_the_maximum_redelivery_delay() throws Exception {
        stubHappyProviders();
        failFirst(() -> post(IMAGEN), 1, aResponse().withStatus(429).withHeader("Retry-After", "3600")
                .withBody("{\"detail\":\"Request was throttled.\",\"status\":429}"), "huge");

        runPlan("huge.json", plan(1));

        List<LoggedRequest> creates = wm.findAll(postRequestedFor(urlEqualTo(IMAGEN)));
        assertThat(creates).hasSize(2);
        assertThat(creates.get(1).getLoggedDate().getTime() - creates.get(0).getLoggedDate().getTime()).isBetween(950L, 3000L);
    }

    @Test
    void should_download_again_when_the_body_is_cut_mid_way() throws Exception {
        stubHappyProviders();
        failFirst(() -> get("/files/out.mp4"), 1, aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK), "cut");

        runPlan("cut.json", plan(1));

        wm.verify(1, postRequestedFor(urlEqualTo(SEEDANCE)));
        wm.verify(2, getRequestedFor(urlEqualTo("/files/out.mp4")));
        assertThat(outbox("cut").resolve("clips/scene_1.mp4")).hasBinaryContent(mp4());
    }

    @Test
    void should_retry_elevenlabs_system_busy() throws Exception {
        stubHappyProviders();
        failFirst(() -> post(urlPathEqualTo(TTS)), 1, aResponse().withStatus(429).withBody(
                "{\"detail\":{\"status\":\"system_busy\",\"message\":\"We are busy\"}}"), "busy");

        runPlan("tts.json", plan(1));

        wm.verify(2, postRequestedFor(urlPathEqualTo(TTS)));
        JsonNode tts = readJson(outbox("tts").resolve("manifest.json")).path("scenes").get(0).path("steps").get(2);
        assertThat(tts.path("step").asText()).isEqualTo("text-to-speech");
        assertThat(tts.path("attempts").asInt()).isEqualTo(2);
    }

    @Test
    void should_retry_alignment_without_repeating_the_narration() throws Exception {
        stubHappyProviders();
        failFirst(() -> post("/generate-alignment"), 1, aResponse().withStatus(500)
                .withBody("{\"detail\":\"Failed to generate alignment: MFA crashed\"}"), "mfa");

        runPlan("mfa.json", plan(1));

        wm.verify(1, postRequestedFor(urlPathEqualTo(TTS)));
        wm.verify(1, postRequestedFor(urlEqualTo("/audio/upload")));
        wm.verify(2, postRequestedFor(urlEqualTo("/generate-alignment")));
    }
}
