package io.scenepipeline.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** ffmpeg failing is permanent: the plan goes to the dead letters with stage assembly and what ffmpeg said. */
class AssemblyFailureTest extends PipelineTestSupport {

    @Override
    protected Properties extraProperties() {
        Path fake = Path.of("target", "test-bin", "failing-ffmpeg").toAbsolutePath();
        try {
            Files.createDirectories(fake.getParent());
            Files.writeString(fake, "#!/bin/sh\necho 'ffmpeg 9.9 (a stand-in that always fails)' >&2\n"
                    + "echo 'Error opening output file: codec not found' >&2\nexit 1\n");
            Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties p = AssemblyTest.onSimulator();
        p.setProperty("assembly.ffmpeg", fake.toString());
        return p;
    }

    @AfterAll
    static void stopSimulator() {
        AssemblyTest.stopSimulator();
    }

    @Test
    void should_dead_letter_the_plan_with_ffmpegs_own_words() throws Exception {
        runPlan("broken-ffmpeg.json", plan(1));

        JsonNode report = readJson(deadLetter("broken-ffmpeg.error.json"));
        assertThat(report.path("stage").asText()).isEqualTo("assembly");
        assertThat(report.path("provider").asText()).isEqualTo("ffmpeg");
        assertThat(report.path("retryable").asBoolean()).isFalse();
        assertThat(report.path("error").asText()).startsWith("ffmpeg exited with status 1")
                .contains("Error opening output file: codec not found");
        assertThat(report.path("completed_scenes")).hasSize(1);
        assertThat(outbox("broken-ffmpeg")).doesNotExist();
        try (var left = Files.list(dir.resolve("work/assembly"))) {
            assertThat(left).as("no scratch files left").isEmpty();
        }
        assertThat(deadLetter("broken-ffmpeg.report.html")).content().contains("Failed at assembly").contains("codec not found");
    }
}
