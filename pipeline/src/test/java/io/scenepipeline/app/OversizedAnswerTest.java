package io.scenepipeline.app;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.assertj.core.api.Assertions.assertThat;

/** Answers too large to copy or to read: capped where copied, cut off where read, and said so. */
class OversizedAnswerTest extends PipelineTestSupport {

    private static final String IMAGE_ID = "imagepredictionid000000001";
    private static final String POLL = "/v1/predictions/" + IMAGE_ID;

    @Test
    void should_cap_an_enormous_provider_error_wherever_it_is_copied() throws Exception {
        stubHappyProviders();
        String error = "E".repeat(10_000_000);
        wm.stubFor(get(POLL).willReturn(okJson("{\"id\":\"" + IMAGE_ID + "\",\"status\":\"failed\",\"error\":\"" + error + "\"}")));

        runPlan("enormous.json", plan(1));

        assertThat(Files.size(deadLetter("enormous.error.json"))).isLessThan(20_000);
        assertThat(Files.size(deadLetter("enormous.report.html"))).isLessThan(60_000);
        assertThat(readJson(deadLetter("enormous.error.json")).path("error").asText()).contains("… (9998000 more characters)");
    }

    @Test
    void should_say_an_answer_is_too_large_rather_than_not_json() throws Exception {
        stubHappyProviders();
        String logs = "L".repeat(48_000_000);
        wm.stubFor(get(POLL).willReturn(okJson("{\"id\":\"" + IMAGE_ID + "\",\"status\":\"processing\",\"logs\":\"" + logs + "\"}")));

        runPlan("large.json", plan(1));

        assertThat(readJson(deadLetter("large.error.json")).path("error").asText())
                .startsWith("The answer is larger than the 16777216 bytes read for this call");
        assertThat(readJson(deadLetter("large.error.json")).path("retryable").asBoolean()).isFalse();
    }

    @Test
    void should_refuse_an_output_announced_larger_than_the_limit_before_reading_it() throws Exception {
        stubHappyProviders();
        // 5 GB announced, a few bytes sent: refused on its headers, nothing of the body read or written
        wm.stubFor(get("/files/out-0.png").willReturn(aResponse().withHeader("Content-Type", "image/png")
                .withHeader("Content-Length", "5000000000").withBody("PNG")));
        long started = System.nanoTime();

        runPlan("announced.json", plan(1));

        assertThat(readJson(deadLetter("announced.error.json")).path("error").asText())
                .contains("5000000000");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(20));
    }
}
