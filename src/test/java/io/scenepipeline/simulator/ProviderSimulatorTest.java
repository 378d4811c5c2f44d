package io.scenepipeline.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.scenepipeline.provider.elevenlabs.Wav;
import io.scenepipeline.support.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The simulator answers as providers.md says the real services do. */
class ProviderSimulatorTest {

    private static ProviderSimulator sim;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        sim = ProviderSimulator.start(new SimulatorSettings(300, 0, 0.0, 60_000, 1_000));
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void should_require_replicate_auth_and_answer_with_problem_json() throws Exception {
        HttpResponse<String> r = send(post("/v1/models/google/imagen-3/predictions", "{\"input\":{\"prompt\":\"x\"}}").build());

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(Json.read(r.body()).path("detail").asText()).isEqualTo("You did not pass a valid authentication token");
    }

    @Test
    void should_refuse_community_models_by_name_and_creates_without_version() throws Exception {
        HttpResponse<String> byName = send(auth(post("/v1/models/stability-ai/sdxl/predictions", "{\"input\":{\"prompt\":\"x\"}}")));
        HttpResponse<String> noVersion = send(auth(post("/v1/predictions", "{\"input\":{\"prompt\":\"x\"},\"model\":\"m\"}")));

        assertThat(byName.statusCode()).isEqualTo(404);
        assertThat(noVersion.statusCode()).isEqualTo(422);
        assertThat(noVersion.body()).contains("version is required").contains("Additional property model is not allowed");
    }

    @Test
    void should_run_a_prediction_from_starting_to_succeeded_and_serve_its_png() throws Exception {
        HttpResponse<String> created = send(auth(post("/v1/predictions",
                "{\"version\":\"stability-ai/sdxl:7762fd07cf82c948538e41f63f77d685e02b063e37e496e96eefd46c929f9bdc\",\"input\":{\"prompt\":\"a fox\"}}")));
        JsonNode prediction = Json.read(created.body());

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(prediction.path("status").asText()).isEqualTo("starting");
        assertThat(prediction.path("id").asText()).matches("[a-z0-9]{26}");
        String get = prediction.path("urls").path("get").asText();
        JsonNode done = await().atMost(Duration.ofSeconds(10)).until(
                () -> Json.read(send(auth(HttpRequest.newBuilder(URI.create(get)))).body()),
                p -> p.path("status").asText().equals("succeeded"));
        assertThat(done.path("output").isArray()).isTrue();
        HttpResponse<byte[]> png = http.send(HttpRequest.newBuilder(URI.create(done.path("output").get(0).asText())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(new String(png.body(), 1, 3, StandardCharsets.ISO_8859_1)).isEqualTo("PNG");
    }

    @Test
    void should_hold_a_prefer_wait_request_until_the_prediction_ends() throws Exception {
        HttpResponse<String> r = send(auth(post("/v1/models/google/imagen-3/predictions",
                "{\"input\":{\"prompt\":\"a fox\",\"aspect_ratio\":\"16:9\"}}").header("Prefer", "wait=5")));

        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().firstValue("Preference-Applied")).hasValue("wait=5");
        assertThat(Json.read(r.body()).path("status").asText()).isEqualTo("succeeded");
    }

    @Test
    void should_fail_a_prediction_on_bad_input_with_422() throws Exception {
        HttpResponse<String> r = send(auth(post("/v1/models/bytedance/seedance-1-lite/predictions",
                "{\"input\":{\"prompt\":\"x\",\"image\":\"data:image/png;base64,AA==\",\"duration\":30}}")));

        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(Json.read(r.body()).path("title").asText()).isEqualTo("Input validation failed");
    }

    @Test
    void should_speak_wav_whose_length_follows_the_text_and_require_the_key() throws Exception {
        String body = "{\"text\":\"one two three four five six seven eight nine ten\",\"model_id\":\"eleven_multilingual_v2\"}";
        HttpResponse<String> noKey = send(post("/v1/text-to-speech/voice1?output_format=wav_16000", body).build());
        HttpResponse<byte[]> ok = http.send(post("/v1/text-to-speech/voice1?output_format=wav_16000", body)
                .header("xi-api-key", "k").build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(Json.read(noKey.body()).path("detail").path("type").asText()).isEqualTo("authentication_error");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("request-id")).isPresent();
        assertThat(Wav.isWav(ok.body())).isTrue();
        assertThat(Wav.durationMillis(ok.body())).isBetween(3800L, 4300L);
    }

    @Test
    void should_inject_a_fault_the_first_n_times_a_trigger_asks() throws Exception {
        String body = "{\"text\":\"hello [sim:tts-503x2]\"}";
        int first = send(post("/v1/text-to-speech/v?output_format=pcm_16000", body).header("xi-api-key", "k").build()).statusCode();
        int second = send(post("/v1/text-to-speech/v?output_format=pcm_16000", body).header("xi-api-key", "k").build()).statusCode();
        int third = send(post("/v1/text-to-speech/v?output_format=pcm_16000", body).header("xi-api-key", "k").build()).statusCode();

        assertThat(new int[] {first, second, third}).containsExactly(503, 503, 200);
    }

    @Test
    void should_answer_face_rig_errors_like_fastapi() throws Exception {
        HttpResponse<String> empty = send(post("/export-video", "{\"combined_timeline\":[],\"audio_url\":\"/audio/x.wav\"}").build());
        HttpResponse<String> unknownAudio = send(post("/export-video",
                "{\"combined_timeline\":[{\"time_ms\":0,\"target_expr\":\"neutral\"}],\"audio_url\":\"/audio/nope.wav\"}").build());
        HttpResponse<String> missing = send(post("/generate-emotions", "{\"transcript\":\"x\"}").build());

        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).isEqualTo("{\"detail\":\"Empty timeline\"}");
        assertThat(unknownAudio.statusCode()).isEqualTo(404);
        assertThat(unknownAudio.body()).contains("Audio file not found: nope.wav");
        assertThat(missing.statusCode()).isEqualTo(422);
        assertThat(missing.body()).contains("value_error.missing");
    }

    private static HttpRequest.Builder post(String path, String json) {
        return HttpRequest.newBuilder(URI.create(sim.baseUrl() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    private static HttpRequest auth(HttpRequest.Builder b) {
        return b.header("Authorization", "Bearer sim").build();
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
