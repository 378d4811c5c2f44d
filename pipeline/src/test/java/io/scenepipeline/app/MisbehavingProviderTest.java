package io.scenepipeline.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Properties;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Providers that misbehave on purpose: bodies trickled a byte at a time, enormous texts and answers, a prediction
 * that never ends, a redirect. Every call stays inside its deadline and its size, and the report says what happened.
 */
class MisbehavingProviderTest extends PipelineTestSupport {

    private static final String IMAGE_ID = "imagepredictionid000000001";
    private static final String POLL = "/v1/predictions/" + IMAGE_ID;

    @Override
    protected Properties extraProperties() {
        Properties p = new Properties();
        p.setProperty("replicate.response-timeout", "400");
        p.setProperty("replicate.download-timeout", "600");
        p.setProperty("replicate.prediction-timeout", "300");
        return p;
    }

    @Test
    void should_cut_off_a_trickled_download_at_its_deadline_and_retry_it() throws Exception {
        stubHappyProviders();
        // 170 bytes over 20 s: never quiet long enough for a read timeout
        wm.stubFor(get("/files/out-0.png").willReturn(aResponse().withBody("x".repeat(170)).withChunkedDribbleDelay(170, 20_000)));

        long started = System.nanoTime();
        runPlan("trickle.json", plan(1));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        JsonNode report = readJson(deadLetter("trickle.error.json"));
        assertThat(report.path("attempts").asInt()).isEqualTo(3);
        assertThat(report.path("retryable").asBoolean()).isTrue();
        assertThat(report.path("error").asText())
                .matches("No whole answer within 0\\.6 s \\(replicate\\.download-timeout\\): ([1-9]\\d*) bytes of the body had arrived");
        wm.verify(3, getRequestedFor(urlEqualTo("/files/out-0.png")));
        assertThat(took).as("three attempts of 0.6 s and two short waits").isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void should_cut_off_a_trickled_poll_at_the_response_timeout() throws Exception {
        stubHappyProviders();
        wm.stubFor(get(POLL).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody(prediction(IMAGE_ID, "succeeded", wm.baseUrl() + "/files/out-0.png")).withChunkedDribbleDelay(60, 30_000)));

        runPlan("slow-poll.json", plan(1));

        JsonNode report = readJson(deadLetter("slow-poll.error.json"));
        // cut off at the deadline, whether the trickle had begun (the body) or not yet (the headers)
        assertThat(report.path("error").asText()).matches("No (answer|whole answer) within 0\\.4 s \\(replicate\\.response-timeout\\)(: \\d+ (of \\d+ )?bytes of the body had arrived)?");
        assertThat(report.path("attempts").asInt()).isEqualTo(3);
        wm.verify(1, postRequestedFor(urlEqualTo(IMAGEN)));
    }

    @Test
    void should_cancel_a_prediction_it_gives_up_on_and_send_cancel_after() throws Exception {
        stubHappyProviders();
        wm.stubFor(get(POLL).willReturn(okJson(prediction(IMAGE_ID, "processing", null))));
        wm.stubFor(post(POLL + "/cancel").willReturn(okJson(prediction(IMAGE_ID, "canceled", null))));

        runPlan("endless.json", plan(1));

        wm.verify(1, postRequestedFor(urlEqualTo(POLL + "/cancel")));
        wm.verify(1, postRequestedFor(urlEqualTo(IMAGEN)).withHeader("Cancel-After", equalTo("1s")));
        JsonNode report = readJson(deadLetter("endless.error.json"));
        assertThat(report.path("error").asText()).isEqualTo("Prediction " + IMAGE_ID
                + " did not finish within 0 s (replicate.prediction-timeout); it was canceled, so it is no longer billed");
        assertThat(report.path("retryable").asBoolean()).isFalse();
    }

    @Test
    void should_retry_a_failed_cancel_like_a_poll() throws Exception {
        stubHappyProviders();
        wm.stubFor(get(POLL).willReturn(okJson(prediction(IMAGE_ID, "processing", null))));
        wm.stubFor(post(POLL + "/cancel").willReturn(okJson(prediction(IMAGE_ID, "canceled", null))));
        failFirst(() -> post(POLL + "/cancel"), 1, aResponse().withStatus(503), "cancel");

        runPlan("cancel-503.json", plan(1));

        wm.verify(2, postRequestedFor(urlEqualTo(POLL + "/cancel")));
        wm.verify(1, postRequestedFor(urlEqualTo(IMAGEN)));
        assertThat(readJson(deadLetter("cancel-503.error.json")).path("error").asText()).contains("it was canceled");
    }

    @Test
    void should_say_which_redirect_it_refused() throws Exception {
        stubHappyProviders();
        wm.stubFor(get("/files/out-0.png").willReturn(aResponse().withStatus(302).withHeader("Location", "https://files.evil.example/x.png")));

        runPlan("redirect.json", plan(1));

        JsonNode report = readJson(deadLetter("redirect.error.json"));
        assertThat(report.path("error").asText()).isEqualTo("302 redirect to files.evil.example refused: redirects are not "
                + "followed, and only the hosts in replicate.download-hosts (and replicate.base-url's) are downloaded from");
        assertThat(report.path("attempts").asInt()).isEqualTo(1);
        wm.verify(1, getRequestedFor(urlEqualTo("/files/out-0.png")).withHeader("Authorization", matching("Bearer .*")));
    }
}
