package io.scenepipeline.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** Provider answers are data from the network: hostile outputs are refused, and no secret ever leaks. */
class HostileProviderTest extends PipelineTestSupport {

    @Test
    void should_refuse_outputs_outside_the_download_allow_list_without_retrying() throws Exception {
        stubHappyProviders();
        String poll = "/v1/predictions/imagepredictionid000000001";
        wm.stubFor(get(poll).willReturn(okJson(prediction("imagepredictionid000000001", "succeeded", "file:///etc/passwd"))));

        runPlan("local-file.json", plan(1));
        wm.stubFor(get(poll).willReturn(okJson(prediction("imagepredictionid000000001", "succeeded", "https://169.254.169.254/latest/meta-data/x.png"))));
        runPlan("metadata.json", plan(1));

        assertThat(readJson(deadLetter("local-file.error.json")).path("error").asText())
                .isEqualTo("Refusing to download the output from a file: URL; only https is allowed");
        JsonNode metadata = readJson(deadLetter("metadata.error.json"));
        assertThat(metadata.path("error").asText()).startsWith("Refusing to download the output from 169.254.169.254");
        assertThat(metadata.path("retryable").asBoolean()).isFalse();
        assertThat(metadata.path("attempts").asInt()).isEqualTo(1);
        // the second plan has the same inputs: it resumes the journaled prediction instead of paying for another
        wm.verify(1, postRequestedFor(urlEqualTo(IMAGEN)));
    }

    @Test
    void should_keep_every_secret_out_of_logs_reports_and_outputs_whatever_fails() throws Exception {
        StringWriter log = new StringWriter();
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        WriterAppender capture = WriterAppender.newBuilder().setName("secrets-capture").setTarget(log)
                .setLayout(PatternLayout.newBuilder().withPattern("%-5level %logger %msg %ex%n").build()).build();
        capture.start();
        config.getRootLogger().addAppender(capture, null, null);
        config.getLoggers().values().forEach(l -> l.addAppender(capture, null, null));
        ctx.updateLoggers();
        try {
            stubHappyProviders();
            // providers that echo what they were sent, in every failure shape
            wm.stubFor(post(IMAGEN).withRequestBody(matchingJsonPath("$.input.prompt", equalTo("Prompt of scene 1")))
                    .willReturn(aResponse().withStatus(401).withBody("{\"detail\":\"Bearer " + TOKEN + " is not valid\"}")));
            wm.stubFor(post(urlPathEqualTo(TTS)).withRequestBody(matchingJsonPath("$.text", equalTo("Narration of scene 2.")))
                    .willReturn(aResponse().withStatus(500).withBody("{\"detail\":{\"message\":\"key " + XI_KEY + " broke us\"}}")));
            wm.stubFor(post("/generate-alignment").willReturn(aResponse().withStatus(422).withBody("{\"detail\":\"" + TOKEN + "\"}")));

            runPlan("one.json", plan(1));
            runPlan("two.json", plan(2).replace("Prompt of scene 1", "Another prompt"));
            runPlan("three.json", "{\"plan_id\": \"" + TOKEN + "\", \"scenes\": []}");
        } finally {
            config.getRootLogger().removeAppender("secrets-capture");
            config.getLoggers().values().forEach(l -> l.removeAppender("secrets-capture"));
            ctx.updateLoggers();
        }

        assertThat(log.toString()).contains("Non-retryable error").doesNotContain(TOKEN).doesNotContain(XI_KEY);
        List<Path> written;
        try (Stream<Path> files = Files.walk(dir)) {
            written = files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals("three.json")).toList();
        }
        assertThat(written).isNotEmpty();
        for (Path f : written) {
            String content = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(content).as(f.toString()).doesNotContain(TOKEN).doesNotContain(XI_KEY);
        }
        // the scene's two chains fail side by side (401 on the image, 422 on the alignment): either is reported, redacted
        assertThat(readJson(deadLetter("one.error.json")).path("error").asText())
                .isIn("401 Unauthorized - Bearer *** is not valid", "422 Unprocessable Entity - ***");
    }
}
