package io.scenepipeline.app;

import io.scenepipeline.support.ShownPath;
import org.apache.camel.health.HealthCheck;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A dead-letter folder that will not take a dead letter (replaced by a plain file): nothing is lost, nothing leaks,
 * readiness says so, and the letter is written once the folder is mended.
 */
class DeadLetterFolderTest extends PipelineTestSupport {

    private final StringWriter log = new StringWriter();
    private WriterAppender capture;

    /** Every line the process logs, in the shipped layout (the one that redacts and escapes). */
    @BeforeEach
    void captureLog() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        capture = WriterAppender.newBuilder().setName("dead-letter-capture").setTarget(log)
                .setLayout(PatternLayout.newBuilder().withConfiguration(config)
                        .withPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %safeMsg%n").withAlwaysWriteExceptions(false).build())
                .build();
        capture.start();
        config.getRootLogger().addAppender(capture, null, null);
        config.getLoggers().values().forEach(l -> l.addAppender(capture, null, null));
        ctx.updateLoggers();
    }

    @AfterEach
    void stopCapture() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().removeAppender("dead-letter-capture");
        ctx.getConfiguration().getLoggers().values().forEach(l -> l.removeAppender("dead-letter-capture"));
        ctx.updateLoggers();
    }

    @Test
    void should_keep_the_letter_and_write_it_once_the_folder_is_mended_without_leaking_a_key() throws Exception {
        stubHappyProviders();
        // a provider that echoes the credentials it was sent, in a retryable 500
        wm.stubFor(post(IMAGEN).willReturn(aResponse().withStatus(500)
                .withBody("{\"detail\":\"Authorization: Bearer " + TOKEN + " rejected; xi-api-key: " + XI_KEY + "\"}")));
        Path deadLetters = dir.resolve("dead-letter");
        Files.delete(deadLetters);
        Files.writeString(deadLetters, "not a folder");

        runPlan("echo.json", plan(1));

        assertThat(log.toString()).contains("ERROR plan=echo cannot write the dead-letter folder " + ShownPath.of(deadLetters) + ": not a directory");
        HealthCheck.Result readiness = deadLettersCheck();
        assertThat(readiness.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(readiness.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("not a directory"));
        assertThat(waitingLetters()).hasSize(1);

        Files.delete(deadLetters);
        Files.createDirectories(deadLetters);
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(deadLetter("echo.error.json")));

        assertThat(deadLetter("echo.json")).hasContent(plan(1));
        assertThat(readJson(deadLetter("echo.error.json")).path("attempts").asInt()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(5)).until(() -> deadLettersCheck().getState() == HealthCheck.State.UP);
        assertThat(waitingLetters()).isEmpty();
        assertThat(log.toString()).contains("Dead letter written after all").doesNotContain(TOKEN).doesNotContain(XI_KEY);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1)).as("%s", f)
                        .doesNotContain(TOKEN).doesNotContain(XI_KEY);
            }
        }
    }

    private HealthCheck.Result deadLettersCheck() {
        return org.apache.camel.health.HealthCheckRegistry.get(context).getCheck("dead-letters").orElseThrow().call();
    }

    private List<Path> waitingLetters() throws IOException {
        Path waiting = dir.resolve("work/dead-letters");
        if (!Files.isDirectory(waiting)) {
            return List.of();
        }
        try (Stream<Path> letters = Files.list(waiting)) {
            return letters.toList();
        }
    }
}
