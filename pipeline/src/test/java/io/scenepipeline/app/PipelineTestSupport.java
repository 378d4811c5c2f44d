package io.scenepipeline.app;

import io.scenepipeline.support.Json;
import io.scenepipeline.support.Wav;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole application (camel-main, the real YAML routes and beans) against WireMock stubs that replay the
 * providers' documented payloads. Folders live in a fresh temporary directory; retry waits are milliseconds.
 */
abstract class PipelineTestSupport extends CamelMainTestSupport {

    static final String TOKEN = "test-replicate-token";
    static final String XI_KEY = "test-elevenlabs-key";
    static final String VOICE = "yoZ06aMxZJJ28mfd3POQ";
    static final String IMAGEN = "/v1/models/google/imagen-3/predictions";
    static final String SEEDANCE = "/v1/models/bytedance/seedance-1-pro/predictions";
    static final String TTS = "/v1/text-to-speech/" + VOICE;

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    /**
     * This test's folders, under target/ so a failed run can be looked at. Assigned in configureContext, which
     * the superclass constructor calls: no field initializer on purpose.
     */
    Path dir;

    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        super.configureContext(configuration);
        dir = Path.of("target", "test-runs", getClass().getSimpleName() + "-" + java.util.UUID.randomUUID()).toAbsolutePath();
        Properties p = new Properties();
        p.setProperty("pipeline.inbox", dir.resolve("inbox").toString());
        p.setProperty("pipeline.outbox", dir.resolve("outbox").toString());
        p.setProperty("pipeline.dead-letter", dir.resolve("dead-letter").toString());
        p.setProperty("pipeline.work", dir.resolve("work").toString());
        p.setProperty("pipeline.inbox.min-age", "50");
        p.setProperty("pipeline.inbox.poll-delay", "50");
        p.setProperty("pipeline.inbox.check-interval", "20");
        // bad plans (broken JSON among them) reach the dead letters without waiting to see if they are still written
        p.setProperty("pipeline.inbox.settle-time", "100");
        p.setProperty("pipeline.dead-letter.retry-interval", "100ms");
        // tests provoke outages on purpose; the breaker has its own test
        p.setProperty("pipeline.breaker.failures", "0");
        p.setProperty("replicate.max-creates-per-minute", "100000");
        p.setProperty("replicate.max-requests-per-minute", "1000000");
        for (String c : new String[] {"video", "facerig", "storyboard"}) {
            p.setProperty("retry." + c + ".redeliveryDelay", "20");
            p.setProperty("retry." + c + ".maximumRedeliveryDelay", "1000");
        }
        p.setProperty("replicate.base-url", wm.baseUrl());
        p.setProperty("replicate.api-token", TOKEN);
        p.setProperty("replicate.poll-interval", "10");
        p.setProperty("elevenlabs.base-url", wm.baseUrl());
        p.setProperty("elevenlabs.api-key", XI_KEY);
        p.setProperty("facerig.base-url", wm.baseUrl());
        // the management server (health, metrics) has its own test, on a free port
        p.setProperty("camel.management.enabled", "false");
        // the stubs' media are a few bytes, not video: the final assembly has its own tests on the simulator's media
        p.setProperty("assembly.enabled", "false");
        p.putAll(extraProperties());
        configuration.withUseOverridePropertiesWithPropertiesComponent(p);
    }

    /** A request no stub matched is a test (or pipeline) defect: say which. */
    @org.junit.jupiter.api.AfterEach
    void noUnmatchedRequests() {
        assertThat(wm.findAllUnmatchedRequests()).as("requests no stub matched")
                .extracting(r -> r.getMethod() + " " + r.getUrl()).isEmpty();
    }

    /** Per-class settings on top of the test defaults. */
    protected Properties extraProperties() {
        return new Properties();
    }

    /** The management server's port, when {@link #withManagementServer} turned it on; else 0. */
    int managementPort;

    /** Settings that turn the management server (health, metrics, the console) on, on a free port of loopback. */
    Properties withManagementServer() {
        managementPort = freePort();
        Properties p = new Properties();
        p.setProperty("camel.management.enabled", "true");
        p.setProperty("camel.management.port", String.valueOf(managementPort));
        return p;
    }

    /** A port nothing listens on now. */
    static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Drops a plan into the inbox (atomically) without waiting for it. */
    Path drop(String fileName, String json) throws IOException {
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        Path tmp = inbox.resolve("." + fileName + ".tmp");
        Files.writeString(tmp, json, StandardCharsets.UTF_8);
        return Files.move(tmp, inbox.resolve(fileName), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Drops a plan into the inbox (atomically) and waits until the inbox route has finished with it. */
    void runPlan(String fileName, String json) throws IOException {
        runPlan(fileName, json.getBytes(StandardCharsets.UTF_8));
    }

    /** Drops a plan file of any bytes into the inbox (atomically) and waits until it has been dealt with. */
    void runPlan(String fileName, byte[] content) throws IOException {
        // the plan's own exchange, not its scenes' split copies (which share the from-route)
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("inbox")
                .filter(e -> e.getProperty(org.apache.camel.Exchange.SPLIT_INDEX) == null
                        && fileName.equals(e.getIn().getHeader(org.apache.camel.Exchange.FILE_NAME_ONLY)))
                .whenDone(1).create();
        Path inbox = dir.resolve("inbox");
        Files.createDirectories(inbox);
        Path tmp = inbox.resolve("." + fileName + ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, inbox.resolve(fileName), StandardCopyOption.ATOMIC_MOVE);
        assertThat(done.matches(30, TimeUnit.SECONDS)).as("plan %s processed", fileName).isTrue();
        // the exchange is done once its file is committed: gone from the inbox and from work/inflight
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> !Files.exists(dir.resolve("work/inflight").resolve(fileName)) && !Files.exists(inbox.resolve(fileName)));
    }

    Path outbox(String planId) {
        return dir.resolve("outbox").resolve(planId);
    }

    Path deadLetter(String name) {
        return dir.resolve("dead-letter").resolve(name);
    }

    static JsonNode readJson(Path file) throws IOException {
        return Json.read(Files.readString(file));
    }

    static String plan(int scenes) {
        StringBuilder sb = new StringBuilder("{\"title\": \"Test plan\", \"scenes\": [");
        for (int i = 1; i <= scenes; i++) {
            if (i > 1) {
                sb.append(',');
            }
            sb.append("{\"scene_number\": ").append(i)
                    .append(", \"narration\": \"Narration of scene ").append(i).append(".\"")
                    .append(", \"visual_description\": \"Prompt of scene ").append(i).append("\"")
                    .append(", \"duration\": ").append(i == 1 ? 15 : 5).append('}');
        }
        return sb.append("]}").toString();
    }

    /** The stub answers {@code failure} the first {@code times} times, then falls back to the stub defined before. */
    static void failFirst(java.util.function.Supplier<com.github.tomakehurst.wiremock.client.MappingBuilder> request, int times,
                                  com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder failure, String scenario) {
        String state = "Started";
        for (int i = 1; i <= times; i++) {
            String next = "failed-" + i;
            wm.stubFor(request.get().inScenario(scenario).whenScenarioStateIs(state).willSetStateTo(next).willReturn(failure).atPriority(1));
            state = next;
        }
    }

    /** Every provider answers as documented: predictions go starting → processing → succeeded. */
    static void stubHappyProviders() {
        stubPrediction(IMAGEN, "imagepredictionid000000001", wm.baseUrl() + "/files/out-0.png");
        stubPrediction(SEEDANCE, "videopredictionid000000001", wm.baseUrl() + "/files/out.mp4");
        wm.stubFor(get("/files/out-0.png").willReturn(aResponse().withHeader("Content-Type", "image/png").withBody(png())));
        wm.stubFor(get("/files/out.mp4").willReturn(aResponse().withHeader("Content-Type", "video/mp4").withBody(mp4())));
        wm.stubFor(get(urlPathEqualTo("/v1/predictions")).willReturn(okJson("{\"next\":null,\"previous\":null,\"results\":[]}")));
        stubTts();
        stubFaceRig();
    }

    static void stubPrediction(String createPath, String id, String output) {
        wm.stubFor(post(createPath).willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withHeader("ratelimit-remaining", "599")
                .withBody(prediction(id, "starting", null))));
        // the create answered "starting"; the poll finds it done. (No WireMock scenario here: under concurrent
        // requests a scenario's state change can leave a request unmatched.)
        wm.stubFor(get("/v1/predictions/" + id).willReturn(okJson(prediction(id, "succeeded", output))));
    }

    static String prediction(String id, String status, String output) {
        return "{\"id\":\"" + id + "\",\"model\":\"m\",\"version\":\"hidden\",\"input\":{},\"logs\":\"\","
                + "\"output\":" + (output == null ? "null" : "\"" + output + "\"") + ",\"data_removed\":false,"
                + "\"error\":null,\"status\":\"" + status + "\",\"created_at\":\"2025-06-01T12:00:00.123Z\","
                + "\"urls\":{\"get\":\"" + wm.baseUrl() + "/v1/predictions/" + id + "\",\"cancel\":\"" + wm.baseUrl()
                + "/v1/predictions/" + id + "/cancel\"}}";
    }

    /** Each scene's narration gets its own audio (as a real voice would), the rest a default one. */
    static void stubTts() {
        wm.stubFor(post(urlPathEqualTo(TTS)).withQueryParam("output_format", equalTo("wav_16000"))
                .willReturn(aResponse().withHeader("Content-Type", "audio/wav")
                        .withHeader("request-id", "3c807fc4c3a1705f9638ecc764a91c01").withBody(wav())));
        for (int n = 1; n <= 6; n++) {
            wm.stubFor(post(urlPathEqualTo(TTS)).withQueryParam("output_format", equalTo("wav_16000"))
                    .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.text", equalTo("Narration of scene " + n + ".")))
                    .willReturn(aResponse().withHeader("Content-Type", "audio/wav")
                            .withHeader("request-id", "3c807fc4c3a1705f9638ecc764a9100" + n).withBody(wav(n))));
        }
    }

    static void stubFaceRig() {
        wm.stubFor(post("/audio/upload").willReturn(okJson("{\"filename\":\"upload_1700000000000.wav\",\"path\":\"/srv/audio/upload_1700000000000.wav\"}")));
        wm.stubFor(post("/generate-alignment").willReturn(okJson("""
                {"id":"phoneme_animation_620","keyframes":[
                  {"time_ms":620,"target_expr":"speaking_ee","target_pose":"center","transition_duration_ms":500,"phoneme":"HH→EH0"},
                  {"time_ms":1990,"target_expr":"oh_round","target_pose":"center","transition_duration_ms":500,"phoneme":"OY1"}],
                 "total_duration_ms":3300}""")));
        wm.stubFor(post("/generate-emotions").willReturn(okJson("""
                {"keyframes":[{"time_ms":1200,"target_expr":"happy_soft","reason":"positive greeting"}]}""")));
        wm.stubFor(post("/export-video").willReturn(aResponse().withHeader("Content-Type", "video/mp4")
                .withHeader("Content-Disposition", "attachment; filename=export_1700000000.mp4").withBody(mp4())));
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder okJson(String body) {
        return WireMock.okJson(body);
    }

    static byte[] png() {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(new BufferedImage(64, 36, BufferedImage.TYPE_INT_RGB), "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] mp4() {
        byte[] b = new byte[2048];
        byte[] head = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'};
        System.arraycopy(head, 0, b, 0, head.length);
        return b;
    }

    static byte[] wav() {
        return wav(0);
    }

    /** One second of 16 kHz silence, plus {@code n} samples: different bytes per scene. */
    static byte[] wav(int n) {
        return Wav.fromPcm16(new byte[16000 * 2 + n * 2], 16000);
    }
}
