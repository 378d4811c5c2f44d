package io.scenepipeline.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.scenepipeline.support.Json;
import org.apache.camel.builder.NotifyBuilder;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

/** The console's JSON API as an operator's script uses it: redrive, cancel, pause and resume, and what it refuses. */
class ConsoleApiTest extends PipelineTestSupport {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    protected Properties extraProperties() {
        Properties p = withManagementServer();
        return p;
    }

    @Test
    void should_redrive_a_dead_letter_paying_only_for_the_steps_that_never_finished() throws Exception {
        stubHappyProviders();
        wm.stubFor(post(urlPathEqualTo(TTS)).atPriority(1).willReturn(aResponse().withStatus(401).withHeader("Content-Type",
                "application/json").withBody("{\"detail\":{\"status\":\"invalid_api_key\",\"message\":\"Invalid API key\"}}")));
        runPlan("narrated.json", plan(1));
        assertThat(deadLetter("narrated.error.json")).exists();
        // the dead letter's report draws the same timeline: the narration's one attempt failed, with its reason
        assertThat(Files.readString(deadLetter("narrated.report.html"))).contains("<section class=\"timeline\">")
                .containsPattern("<rect class=\"failed\"[^>]*><title>attempt 1 failed after [0-9.]+ s: 401 Unauthorized - Invalid API key");

        JsonNode letters = json(send("GET", "/api/dead-letters?provider=elevenlabs", null, true));
        assertThat(letters.path("dead_letters")).hasSize(1);
        assertThat(letters.path("dead_letters").get(0).path("kind").asText()).isEqualTo("http_4xx_401");
        assertThat(json(send("GET", "/api/dead-letters?provider=replicate", null, true)).path("dead_letters")).isEmpty();
        // the dead letter's timeline: the picture and the clip paid, the narration refused
        JsonNode detail = json(send("GET", "/api/plans/narrated", null, true));
        assertThat(detail.path("status").asText()).isEqualTo("dead-lettered");
        assertThat(outcomes(detail, "text-to-speech")).containsExactly("failed");
        assertThat(outcomes(detail, "image-to-video")).containsExactly("succeeded");

        // the key is fixed: first the estimate (nothing moves), then the redrive
        wm.removeStub(wm.getStubMappings().stream().filter(m -> m.getPriority() != null && m.getPriority() == 1).findFirst().orElseThrow());
        JsonNode estimate = json(send("POST", "/api/dead-letters/narrated/redrive", "{}", true));
        assertThat(estimate.path("to_pay").asInt()).isEqualTo(1);
        assertThat(estimate.path("reused").asInt()).isEqualTo(2);
        assertThat(deadLetter("narrated.json")).exists();
        NotifyBuilder published = new NotifyBuilder(context).fromRoute("inbox").filter(e -> e.getProperty("CamelSplitIndex") == null)
                .whenDone(1).create();
        HttpResponse<String> redriven = send("POST", "/api/dead-letters/narrated/redrive", "{\"confirm\": true, \"by\": \"ops\"}", true);
        assertThat(redriven.statusCode()).isEqualTo(200);
        assertThat(published.matches(30, TimeUnit.SECONDS)).isTrue();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(outbox("narrated").resolve("manifest.json")));

        // one create each, ever; the narration asked twice (refused, then made)
        wm.verify(1, postRequestedFor(urlPathEqualTo(IMAGEN)));
        wm.verify(1, postRequestedFor(urlPathEqualTo(SEEDANCE)));
        wm.verify(2, postRequestedFor(urlPathEqualTo(TTS)));
        assertThat(deadLetter("narrated.json")).doesNotExist();
        assertThat(dir.resolve("dead-letter/redriven/narrated.json")).exists();
        assertThat(dir.resolve("dead-letter/redriven/narrated.error.json")).exists();
        JsonNode finished = json(send("GET", "/api/plans/narrated", null, true));
        assertThat(finished.path("status").asText()).isEqualTo("succeeded");
        assertThat(outcomes(finished, "text-to-image")).containsExactly("reused");
        assertThat(Files.readString(outbox("narrated").resolve("report.html"))).contains("<rect class=\"reused\"")
                .contains("<rect class=\"succeeded\"");
    }

    @Test
    void should_cancel_a_running_plan_and_its_prediction_and_pay_nothing_more() throws Exception {
        stubHappyProviders();
        String id = "videopredictionid000000001";
        // the clip never finishes on its own
        wm.stubFor(get("/v1/predictions/" + id).atPriority(1).willReturn(okJson(prediction(id, "processing", null))));
        wm.stubFor(post("/v1/predictions/" + id + "/cancel").willReturn(okJson(prediction(id, "canceled", null))));
        drop("endless.json", plan(2));
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> wm.findAll(getRequestedFor(urlPathEqualTo("/v1/predictions/" + id))).size() >= 2);
        assertThat(json(send("GET", "/api/plans?status=running", null, true)).path("plans").get(0).path("plan_id").asText())
                .isEqualTo("endless");

        HttpResponse<String> canceled = send("POST", "/api/plans/endless/cancel", "{\"by\": \"ops\"}", true);

        assertThat(canceled.statusCode()).isEqualTo(202);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(deadLetter("endless.error.json")));
        JsonNode report = readJson(deadLetter("endless.error.json"));
        assertThat(report.path("error").asText()).startsWith("canceled by the operator (ops)");
        // every clip prediction created is canceled (the stub gives both scenes' clips the same id)
        int clips = wm.findAll(postRequestedFor(urlPathEqualTo(SEEDANCE))).size();
        assertThat(clips).isPositive();
        wm.verify(clips, postRequestedFor(urlPathEqualTo("/v1/predictions/" + id + "/cancel")));
        int creates = wm.findAll(postRequestedFor(urlPathMatching("/v1/models/.*"))).size();
        assertThat(send("POST", "/api/plans/endless/cancel", "{}", true).statusCode()).isEqualTo(404);
        // nothing created after the cancel: both scenes' clips share the one endless prediction, so the creates are
        // at most the two pictures and two clips, and no scene's narration or face_rig step is asked after it
        assertThat(creates).isLessThanOrEqualTo(4);
        JsonNode detail = json(send("GET", "/api/plans/endless", null, true));
        assertThat(detail.path("scenes").findValues("outcome").stream().map(JsonNode::asText)).contains("canceled");
    }

    @Test
    void should_hold_every_call_to_a_paused_provider_until_it_is_resumed_without_spending_an_attempt() throws Exception {
        stubHappyProviders();
        JsonNode paused = json(send("POST", "/api/providers/replicate/pause", "{\"by\": \"ops\"}", true));
        assertThat(paused.path("paused_by").asText()).isEqualTo("ops");
        drop("held.json", plan(1));
        // the picture's step waits for the pause; ElevenLabs and face_rig go on
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> waits(json(send("GET", "/api/plans/held", null, true)),
                "text-to-image").contains("paused"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !wm.findAll(postRequestedFor(urlPathEqualTo("/export-video"))).isEmpty());
        JsonNode providers = json(send("GET", "/api/providers", null, true));
        assertThat(providers.path("providers").get(0).path("paused").path("by").asText()).isEqualTo("ops");
        assertThat(wm.findAll(postRequestedFor(urlPathMatching("/v1/(models|predictions).*")))).isEmpty();
        assertThat(wm.findAll(getRequestedFor(urlPathMatching("/v1/predictions.*")))).isEmpty();

        NotifyBuilder done = new NotifyBuilder(context).fromRoute("inbox").filter(e -> e.getProperty("CamelSplitIndex") == null)
                .whenDone(1).create();
        assertThat(json(send("POST", "/api/providers/replicate/resume", "{}", true)).path("resumed").asBoolean()).isTrue();

        assertThat(done.matches(30, TimeUnit.SECONDS)).isTrue();
        JsonNode manifest = readJson(outbox("held").resolve("manifest.json"));
        JsonNode image = manifest.path("scenes").get(0).path("steps").get(0);
        assertThat(image.path("step").asText()).isEqualTo("text-to-image");
        assertThat(image.path("attempts").asInt()).isEqualTo(1);
        wm.verify(1, postRequestedFor(urlPathEqualTo(IMAGEN)));
    }

    @Test
    void should_refuse_an_action_a_foreign_page_could_forge() throws Exception {
        assertThat(send("POST", "/api/providers/replicate/pause", "{}", false).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/api/providers/replicate/pause", "{}", true, "Origin", "http://evil.example").statusCode()).isEqualTo(403);
        assertThat(send("POST", "/api/providers/replicate/pause", "{}", true, "Sec-Fetch-Site", "cross-site").statusCode()).isEqualTo(403);
        // no action on a GET
        assertThat(send("GET", "/api/providers/replicate/pause", null, true).statusCode()).isEqualTo(405);
        // a page on another site whose name was rebound to 127.0.0.1 (a raw request: Java's client sets Host itself)
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", managementPort)) {
            socket.getOutputStream().write("GET /api/plans HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(status).isEqualTo("HTTP/1.1 403");
        }
        assertThat(json(send("GET", "/api/providers", null, true)).path("providers").findValues("paused")).isEmpty();
        assertThat(send("POST", "/api/providers/nosuch/pause", "{}", true).statusCode()).isEqualTo(404);
    }

    static java.util.List<String> outcomes(JsonNode plan, String step) {
        return spans(plan, step).stream().filter(s -> "attempt".equals(s.path("kind").asText())).map(s -> s.path("outcome").asText()).toList();
    }

    static java.util.List<String> waits(JsonNode plan, String step) {
        return spans(plan, step).stream().filter(s -> "wait".equals(s.path("kind").asText())).map(s -> s.path("outcome").asText()).toList();
    }

    private static java.util.List<JsonNode> spans(JsonNode plan, String step) {
        java.util.List<JsonNode> out = new java.util.ArrayList<>();
        for (JsonNode scene : plan.path("scenes")) {
            for (JsonNode s : scene.path("steps")) {
                if (step.equals(s.path("step").asText())) {
                    s.path("timeline").forEach(out::add);
                }
            }
        }
        return out;
    }

    private static JsonNode json(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        return Json.read(response.body());
    }

    private HttpResponse<String> send(String method, String path, String body, boolean console, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (console) {
            b.header("X-Requested-By", "test");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
