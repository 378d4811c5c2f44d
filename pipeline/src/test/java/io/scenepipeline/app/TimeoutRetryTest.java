package io.scenepipeline.app;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

class TimeoutRetryTest extends PipelineTestSupport {

    @Override
    protected Properties extraProperties() {
        Properties p = new Properties();
        p.setProperty("replicate.response-timeout", "300");
        return p;
    }

    @Test
    void should_poll_again_after_a_read_timeout() throws Exception {
        stubHappyProviders();
        String poll = "/v1/predictions/imagepredictionid000000001";
        wm.stubFor(get(poll).inScenario("slow").whenScenarioStateIs("Started").willSetStateTo("fast")
                .willReturn(aResponse().withFixedDelay(1000).withBody(prediction("imagepredictionid000000001", "processing", null))));
        wm.stubFor(get(poll).inScenario("slow").whenScenarioStateIs("fast")
                .willReturn(okJson(prediction("imagepredictionid000000001", "succeeded", wm.baseUrl() + "/files/out-0.png"))));

        runPlan("timeout.json", plan(1));

        wm.verify(1, postRequestedFor(urlEqualTo(IMAGEN)));
        wm.verify(2, getRequestedFor(urlEqualTo(poll)));
        assertThat(outbox("timeout").resolve("images/scene_1.png")).exists();
    }
}
