package io.scenepipeline.simulator;

import io.scenepipeline.support.Json;
import io.scenepipeline.support.Wav;
import com.fasterxml.jackson.databind.JsonNode;
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

/** The simulator answers as docs/providers.md says the real services do. */
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
    void should_answer_face_rig_errors_as_the_real_server_does() throws Exception {
        HttpResponse<String> unknownAudio = send(post("/export-video",
                "{\"combined_timeline\":[{\"time_ms\":0,\"target_expr\":\"neutral\"}],\"audio_url\":\"/audio/nope.wav\",\"format\":\"mp4\"}").build());
        HttpResponse<String> empty = send(post("/export-video", "{\"combined_timeline\":[],\"format\":\"mp4\"}").build());
        HttpResponse<String> noFormat = send(post("/export-video",
                "{\"combined_timeline\":[{\"time_ms\":0,\"target_expr\":\"neutral\"}],\"audio_url\":\"/audio/x.wav\"}").build());
        HttpResponse<String> missing = send(post("/generate-emotions", "{\"transcript\":\"x\"}").build());

        // its own 404 and 400 are raised inside try/except: they arrive as 500s
        assertThat(unknownAudio.statusCode()).isEqualTo(500);
        assertThat(unknownAudio.body()).isEqualTo("{\"detail\":\"Failed to export video: (404, 'Audio file not found: nope.wav')\"}");
        assertThat(empty.statusCode()).isEqualTo(500);
        assertThat(empty.body()).isEqualTo("{\"detail\":\"Failed to export video: (400, 'Empty timeline')\"}");
        assertThat(noFormat.statusCode()).isEqualTo(422);
        assertThat(noFormat.body()).contains("\"loc\":[\"body\",\"format\"]").contains("value_error.missing");
        assertThat(missing.statusCode()).isEqualTo(422);
    }

    @Test
    void should_decode_form_fields_with_the_charset_the_request_declares() throws Exception {
        byte[] utf8 = "Señor".getBytes(StandardCharsets.UTF_8);
        String before = "--b\r\nContent-Disposition: form-data; name=\"audio\"; filename=\"a.wav\"\r\nContent-Type: audio/wav\r\n\r\n";
        byte[] wav = Wav.fromPcm16(new byte[3200], 16000);
        String middle = "\r\n--b\r\nContent-Disposition: form-data; name=\"transcript\"\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n";
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.write(before.getBytes(StandardCharsets.ISO_8859_1));
        body.write(wav);
        body.write(middle.getBytes(StandardCharsets.ISO_8859_1));
        body.write(utf8);
        body.write("\r\n--b--\r\n".getBytes(StandardCharsets.ISO_8859_1));
        int before1 = sim.alignedTranscripts().size();

        for (String declared : new String[] {"; charset=ISO-8859-1", "; charset=UTF-8"}) {
            send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/generate-alignment"))
                    .header("Content-Type", "multipart/form-data" + declared + "; boundary=b")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
        }

        assertThat(sim.alignedTranscripts().subList(before1, before1 + 2)).containsExactly("SeÃ±or", "Señor");
    }

    @Test
    void should_do_one_face_rig_call_at_a_time_health_included() throws Exception {
        ProviderSimulator slow = ProviderSimulator.start(new SimulatorSettings(0, 0, 0, 60_000, 1_000,
                java.util.Map.of("emotions", 600L), true, 0));
        try {
            String body = "{\"transcript\":\"x\",\"phoneme_timeline\":[],\"total_duration_ms\":1000}";
            long start = System.nanoTime();
            var first = http.sendAsync(HttpRequest.newBuilder(URI.create(slow.baseUrl() + "/generate-emotions"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(5)).until(() -> slow.requestCounts().getOrDefault("facerig.emotions", 0) == 1);
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(slow.baseUrl() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            long healthAfter = (System.nanoTime() - start) / 1_000_000;

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(first.get().statusCode()).isEqualTo(200);
            assertThat(healthAfter).as("health answered only once the running call ended").isGreaterThanOrEqualTo(550);
        } finally {
            slow.close();
        }
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
