package io.scenepipeline.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.scenepipeline.support.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The simulator against what the official clients expect of the real APIs (replicate 1.4.0, elevenlabs-js 2.73.0):
 * quick answers however busy the machine, {@code Prefer: wait} ending with the prediction, the files API,
 * {@code Cancel-After}, {@code source}, ElevenLabs' default format and its account errors.
 */
class SimulatorContractTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ProviderSimulator sim;

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
    }

    private ProviderSimulator start(long predictionMs, boolean fastMedia) throws Exception {
        sim = ProviderSimulator.start(new SimulatorSettings(predictionMs, 0, 0, 60_000, 1_000, Map.of(), fastMedia, 0));
        return sim;
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.header("Authorization", "Bearer sim").build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder post(String path, String json) {
        return HttpRequest.newBuilder(URI.create(sim.baseUrl() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    private static String tinyPngDataUri() {
        return "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(Media.tinyPng());
    }

    @Test
    void should_answer_a_prefer_wait_create_as_soon_as_the_prediction_ends() throws Exception {
        start(300, true);

        long t0 = System.nanoTime();
        HttpResponse<String> r = send(post("/v1/models/google/imagen-3/predictions", "{\"input\":{\"prompt\":\"a fox\"}}")
                .header("Prefer", "wait=30"));
        long tookMs = (System.nanoTime() - t0) / 1_000_000;

        JsonNode p = Json.read(r.body());
        assertThat(p.path("status").asText()).isEqualTo("succeeded");
        assertThat(tookMs).as("answered when the 0.3 s prediction ended, not after the 30 s wait").isLessThan(5_000);
        assertThat(p.path("metrics").path("predict_time").asDouble()).isLessThan(5.0);
        assertThat(p.path("source").asText()).isEqualTo("api");
    }

    @Test
    void should_answer_polls_quickly_while_both_cores_are_busy_rendering_elsewhere() throws Exception {
        start(1500, false);
        AtomicBoolean busy = new AtomicBoolean(true);
        List<Thread> burners = new ArrayList<>();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            Thread t = new Thread(() -> {
                long x = 0;
                while (busy.get()) {
                    x += System.nanoTime() % 7;
                }
                if (x == 42) {
                    System.out.println(x);
                }
            });
            t.setDaemon(true);
            t.start();
            burners.add(t);
        }
        try {
            String body = "{\"input\":{\"prompt\":\"a canyon\",\"image\":\"" + tinyPngDataUri() + "\",\"duration\":5,"
                    + "\"resolution\":\"480p\",\"aspect_ratio\":\"16:9\",\"fps\":24,\"camera_fixed\":false}}";
            JsonNode created = Json.read(send(post("/v1/models/bytedance/seedance-1-lite/predictions", body)).body());
            String get = created.path("urls").path("get").asText();
            java.util.concurrent.atomic.AtomicLong slowest = new java.util.concurrent.atomic.AtomicLong();
            String status = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).until(() -> {
                long t0 = System.nanoTime();
                String s = Json.read(send(HttpRequest.newBuilder(URI.create(get))).body()).path("status").asText();
                slowest.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
                return s;
            }, s -> s.equals("succeeded") || s.equals("failed"));

            System.out.println("slowest poll answer while the cores were busy: " + slowest.get() + " ms");
            assertThat(status).isEqualTo("succeeded");
            assertThat(slowest.get()).as("no clip is rendered while a poll waits").isLessThan(1_500);
        } finally {
            busy.set(false);
        }
    }

    @Test
    void should_take_file_inputs_through_the_files_api() throws Exception {
        start(200, true);
        String boundary = "b0undary";
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        form.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"content\"; filename=\"key.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        form.write(Media.tinyPng());
        form.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));

        HttpResponse<String> upload = send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/files"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.toByteArray())));
        JsonNode file = Json.read(upload.body());
        String body = "{\"input\":{\"prompt\":\"from a file\",\"image\":\"" + file.path("urls").path("get").asText() + "\","
                + "\"duration\":5,\"resolution\":\"480p\",\"aspect_ratio\":\"16:9\",\"fps\":24,\"camera_fixed\":false}}";
        JsonNode p = Json.read(send(post("/v1/models/bytedance/seedance-1-lite/predictions", body).header("Prefer", "wait=20")).body());

        assertThat(upload.statusCode()).isEqualTo(201);
        assertThat(file.path("size").asInt()).isEqualTo(Media.tinyPng().length);
        assertThat(file.path("expires_at").asText()).isNotBlank();
        assertThat(p.path("status").asText()).isEqualTo("succeeded");
    }

    @Test
    void should_end_a_prediction_past_its_cancel_after_deadline_aborted() throws Exception {
        start(60_000, true);

        JsonNode created = Json.read(send(post("/v1/models/google/imagen-3/predictions", "{\"input\":{\"prompt\":\"slow\"}}")
                .header("Cancel-After", "1s")).body());
        String get = created.path("urls").path("get").asText();

        assertThat(created.path("deadline").asText()).isNotBlank();
        JsonNode ended = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> Json.read(send(HttpRequest.newBuilder(URI.create(get))).body()), n -> !n.path("status").asText().matches("starting|processing"));
        assertThat(ended.path("status").asText()).as("past its deadline before it started").isEqualTo("aborted");
    }

    @Test
    void should_speak_mp3_by_default_and_give_elevenlabs_account_errors() throws Exception {
        start(0, true);
        String tts = "/v1/text-to-speech/voice1";

        HttpResponse<byte[]> mp3 = http.send(post(tts, "{\"text\":\"hello there\"}").header("xi-api-key", "k").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<String> quota = send(post(tts + "?output_format=wav_16000", "{\"text\":\"x [sim:tts-quota]\"}").header("xi-api-key", "k"));
        HttpResponse<String> concurrent = send(post(tts + "?output_format=wav_16000", "{\"text\":\"x [sim:tts-concurrent]\"}")
                .header("xi-api-key", "k"));

        assertThat(mp3.statusCode()).isEqualTo(200);
        assertThat(mp3.headers().firstValue("Content-Type")).hasValue("audio/mpeg");
        assertThat(mp3.body()[0] & 0xff).isEqualTo(0xff);
        assertThat(mp3.body()[1] & 0xe0).as("MPEG frame sync").isEqualTo(0xe0);
        assertThat(quota.statusCode()).isEqualTo(401);
        assertThat(Json.read(quota.body()).path("detail").path("status").asText()).isEqualTo("quota_exceeded");
        assertThat(concurrent.statusCode()).isEqualTo(429);
        assertThat(Json.read(concurrent.body()).path("detail").path("status").asText()).isEqualTo("too_many_concurrent_requests");
    }
}
