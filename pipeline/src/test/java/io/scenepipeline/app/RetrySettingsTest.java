package io.scenepipeline.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** What a user sets in application.properties is what happens. */
class RetrySettingsTest extends PipelineTestSupport {

    @Override
    protected Properties extraProperties() {
        Properties p = new Properties();
        p.setProperty("retry.video.maximumRedeliveries", "4");
        p.setProperty("retry.facerig.maximumRedeliveries", "0");
        p.setProperty("elevenlabs.response-timeout", "300");
        return p;
    }

    @Test
    void should_make_as_many_requests_as_retry_video_maximum_redeliveries_says() throws Exception {
        stubHappyProviders();
        wm.stubFor(post(IMAGEN).willReturn(aResponse().withStatus(500).withBody("{\"detail\":\"boom\",\"status\":500}")));

        runPlan("five.json", plan(1));

        wm.verify(5, postRequestedFor(urlEqualTo(IMAGEN)));
        assertThat(readJson(deadLetter("five.error.json")).path("attempts").asInt()).isEqualTo(5);
    }

    @Test
    void should_give_up_after_one_read_timeout_when_facerig_retries_are_off() throws Exception {
        stubHappyProviders();
        wm.stubFor(post(urlPathEqualTo(TTS)).willReturn(aResponse().withFixedDelay(1500).withBody(wav())));

        runPlan("slow.json", plan(1));

        wm.verify(1, postRequestedFor(urlPathEqualTo(TTS)));
        JsonNode report = readJson(deadLetter("slow.error.json"));
        assertThat(report.path("stage").asText()).isEqualTo("text-to-speech");
        assertThat(report.path("provider").asText()).isEqualTo("elevenlabs");
        assertThat(report.path("retryable").asBoolean()).isTrue();
        assertThat(report.path("attempts").asInt()).isEqualTo(1);
        assertThat(report.path("error").asText()).isEqualTo("No answer within 0.3 s (elevenlabs.response-timeout)");
    }
}
