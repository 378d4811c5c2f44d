package io.scenepipeline.app;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** /observe/metrics and /observe/health on Camel's management server, as an operator scrapes them. */
class ObserveTest extends PipelineTestSupport {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    @Override
    protected Properties extraProperties() {
        return withManagementServer();
    }

    @Test
    void should_count_provider_calls_retries_and_plans_by_outcome_in_the_scrape() throws Exception {
        stubHappyProviders();
        failFirst(() -> post(IMAGEN), 1, aResponse().withStatus(503).withBody("{\"detail\":\"busy\",\"status\":503}"), "image-create");
        runPlan("retried.json", plan(1));
        wm.stubFor(post(urlPathEqualTo(TTS)).atPriority(1).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody("{\"detail\":{\"status\":\"invalid_api_key\",\"message\":\"Invalid API key\"}}")));
        // same picture (taken from the journal), new narration (refused by ElevenLabs)
        runPlan("refused.json", plan(1).replace("Narration of scene 1.", "Another narration."));
        runPlan("broken.json", "{\"scenes\": []}");

        HttpResponse<String> scrape = get("/observe/metrics");

        assertThat(scrape.statusCode()).isEqualTo(200);
        Map<String, Double> m = samples(scrape.body());
        // what was paid, by the price table: one image, one 15 s clip clamped to 12 s at 1080p, 21 characters
        assertThat(m.get("scene_pipeline_cost_usd_total{model=google/imagen-3,provider=replicate}")).isCloseTo(0.05, within(1e-9));
        assertThat(m.get("scene_pipeline_cost_usd_total{model=bytedance/seedance-1-pro,provider=replicate}")).isCloseTo(1.8, within(1e-9));
        assertThat(m.get("scene_pipeline_cost_usd_total{model=eleven_multilingual_v2,provider=elevenlabs}")).isCloseTo(0.0021, within(1e-9));
        assertThat(m).containsEntry("scene_pipeline_provider_calls_total{outcome=retried,provider=replicate,step=text-to-image}", 1.0)
                .containsEntry("scene_pipeline_provider_calls_total{outcome=success,provider=replicate,step=text-to-image}", 1.0)
                .containsEntry("scene_pipeline_provider_calls_total{outcome=success,provider=replicate,step=image-to-video}", 1.0)
                // the second plan has the same scene: its image and clip come from the journal, not paid again
                .containsEntry("scene_pipeline_steps_reused_total{provider=replicate,step=text-to-image}", 1.0)
                .containsEntry("scene_pipeline_steps_reused_total{provider=replicate,step=image-to-video}", 1.0)
                .doesNotContainKey("scene_pipeline_steps_reused_total{provider=elevenlabs,step=text-to-speech}")
                .containsEntry("scene_pipeline_provider_calls_total{outcome=success,provider=elevenlabs,step=text-to-speech}", 1.0)
                .containsEntry("scene_pipeline_provider_calls_total{outcome=failed_permanent,provider=elevenlabs,step=text-to-speech}", 1.0)
                .containsEntry("scene_pipeline_provider_calls_total{outcome=success,provider=face_rig,step=export}", 1.0)
                .containsEntry("scene_pipeline_retries_total{provider=replicate,reason=http_503,step=text-to-image}", 1.0)
                .containsEntry("scene_pipeline_plans_total{status=succeeded}", 1.0)
                .containsEntry("scene_pipeline_plans_total{status=failed}", 1.0)
                .containsEntry("scene_pipeline_plans_total{status=invalid}", 1.0)
                .containsEntry("scene_pipeline_plan_duration_seconds_count", 3.0)
                .containsEntry("scene_pipeline_step_duration_seconds_count{provider=replicate,step=text-to-image}", 1.0)
                .containsEntry("scene_pipeline_plans_in_flight", 0.0)
                .containsEntry("scene_pipeline_scenes_in_flight", 0.0)
                .containsEntry("scene_pipeline_breaker_open", 0.0);
        assertThat(m.keySet()).noneMatch(k -> k.contains("outcome=failed_exhausted"));
        assertThat(m.keySet()).anyMatch(k -> k.startsWith("scene_pipeline_plan_duration_seconds_bucket"));
        assertThat(scrape.body()).doesNotContain(TOKEN).doesNotContain(XI_KEY);
    }

    @Test
    void should_report_not_ready_while_the_dead_letter_folder_cannot_be_written() throws Exception {
        assertThat(get("/observe/health/ready").statusCode()).isEqualTo(200);
        Path folder = dir.resolve("dead-letter");
        Path aside = dir.resolve("dead-letter.aside");

        boolean readOnly = makeUnwritable(folder, aside);
        try {
            HttpResponse<String> ready = get("/observe/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("DOWN").contains("folders").contains("pipeline.dead-letter");
            assertThat(get("/observe/health/live").statusCode()).as("alive all the same").isEqualTo(200);
        } finally {
            restore(folder, aside, readOnly);
        }

        HttpResponse<String> again = get("/observe/health/ready");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("UP");
    }

    /**
     * Read-only where permissions hold; as root (who writes anywhere, as on CI machines) a plain file takes the
     * folder's place instead. Returns true for the read-only way.
     */
    private static boolean makeUnwritable(Path folder, Path aside) throws IOException {
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
        if (!Files.isWritable(folder)) {
            return true;
        }
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(folder, aside);
        Files.writeString(folder, "not a folder");
        return false;
    }

    private static void restore(Path folder, Path aside, boolean readOnly) throws IOException {
        if (readOnly) {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        } else {
            Files.delete(folder);
            Files.move(aside, folder);
        }
    }

    @Test
    void should_count_each_step_as_it_ends_and_show_each_plan_in_flight_with_its_progress() throws Exception {
        stubHappyProviders();
        String clip = "videopredictionid000000001";
        // the pictures are made; the clips keep processing until the test lets them finish
        wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get("/v1/predictions/" + clip).atPriority(1)
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(prediction(clip, "processing", null))));
        org.apache.camel.builder.NotifyBuilder done = new org.apache.camel.builder.NotifyBuilder(context).fromRoute("inbox")
                .filter(e -> e.getProperty(org.apache.camel.Exchange.SPLIT_INDEX) == null).whenDone(1).create();
        drop("midway.json", plan(2));

        // mid-plan: the finished steps are counted already, and the plan shows with its progress and spend
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> samples(get("/observe/metrics").body())
                .getOrDefault("scene_pipeline_provider_calls_total{outcome=success,provider=replicate,step=text-to-image}", 0.0) == 2.0);
        Map<String, Double> midway = samples(get("/observe/metrics").body());
        assertThat(midway).containsEntry("scene_pipeline_plan_scenes{plan=midway}", 2.0)
                .containsEntry("scene_pipeline_plan_scenes_done{plan=midway}", 0.0)
                .containsEntry("scene_pipeline_plans_in_flight", 1.0)
                .containsEntry("scene_pipeline_step_duration_seconds_count{provider=replicate,step=text-to-image}", 2.0);
        assertThat(midway.get("scene_pipeline_cost_usd_total{model=google/imagen-3,provider=replicate}")).isCloseTo(0.10, within(1e-9));
        assertThat(midway.get("scene_pipeline_plan_cost_usd{plan=midway}")).isPositive();

        wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get("/v1/predictions/" + clip).atPriority(1)
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(prediction(clip, "succeeded", wm.baseUrl() + "/files/out.mp4"))));
        assertThat(done.matches(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        Map<String, Double> after = samples(get("/observe/metrics").body());
        // once it ended, its progress is gone; each step counted once
        assertThat(after.keySet()).noneMatch(k -> k.startsWith("scene_pipeline_plan_scenes{"));
        assertThat(after).containsEntry("scene_pipeline_provider_calls_total{outcome=success,provider=replicate,step=text-to-image}", 2.0)
                .containsEntry("scene_pipeline_provider_calls_total{outcome=success,provider=replicate,step=image-to-video}", 2.0);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Prometheus text format to {@code name{label=value,...}} (labels in the order given) and value. */
    static Map<String, Double> samples(String text) {
        Map<String, Double> out = new LinkedHashMap<>();
        Pattern line = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)$");
        for (String l : text.split("\n")) {
            Matcher m = line.matcher(l.trim());
            if (l.startsWith("#") || !m.matches()) {
                continue;
            }
            String labels = m.group(2) == null ? "" : m.group(2).replace("\"", "");
            labels = labels.endsWith(",}") ? labels.substring(0, labels.length() - 2) + "}" : labels;
            out.put(m.group(1) + labels, Double.parseDouble(m.group(3)));
        }
        return out;
    }
}
