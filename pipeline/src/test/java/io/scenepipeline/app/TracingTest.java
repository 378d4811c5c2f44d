package io.scenepipeline.app;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** With pipeline.tracing.otlp-endpoint set, a plan's trace goes out over OTLP/HTTP, its steps and attempts as spans. */
class TracingTest extends PipelineTestSupport {

    @Override
    protected Properties extraProperties() {
        Properties p = new Properties();
        p.setProperty("pipeline.tracing.otlp-endpoint", wm.baseUrl() + "/v1/traces");
        return p;
    }

    @Test
    void should_send_each_plan_as_one_trace_with_its_steps_and_attempts() throws Exception {
        stubHappyProviders();
        wm.stubFor(post("/v1/traces").willReturn(aResponse().withStatus(200)));
        failFirst(() -> post(IMAGEN), 1, aResponse().withStatus(503).withBody("{\"detail\":\"busy\"}"), "image-create");

        runPlan("traced.json", plan(1));

        // the batch goes out within a second or two; every span's text is in the protobuf body as UTF-8
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> body().contains("plan traced"));
        String sent = body();
        assertThat(sent).contains("scene 1", "text-to-image", "image-to-video", "text-to-speech", "attempt 1", "attempt 2",
                "scene_pipeline.provider", "replicate", "scene_pipeline.cost_usd", "scene_pipeline.retry", "scene_pipeline.reason",
                "503", "scene-pipeline");
        // Camel's own spans (camel-opentelemetry2) are in the same export
        assertThat(sent).contains("inbox");
        // nothing secret in a span
        assertThat(sent).doesNotContain(TOKEN).doesNotContain(XI_KEY);
    }

    private static String body() {
        StringBuilder all = new StringBuilder();
        for (LoggedRequest r : wm.findAll(postRequestedFor(urlPathEqualTo("/v1/traces")))) {
            all.append(new String(r.getBody(), StandardCharsets.ISO_8859_1));
        }
        return all.toString();
    }
}
