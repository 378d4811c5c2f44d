package io.scenepipeline.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** Without ffmpeg the plan still succeeds: everything but the final video, and the manifest says why. */
class AssemblySkippedTest extends PipelineTestSupport {

    @Override
    protected Properties extraProperties() {
        Properties p = AssemblyTest.onSimulator();
        p.setProperty("assembly.ffmpeg", "/nonexistent/bin/ffmpeg");
        return p;
    }

    @AfterAll
    static void stopSimulator() {
        AssemblyTest.stopSimulator();
    }

    @Test
    void should_publish_the_plan_without_final_video_and_say_so() throws Exception {
        runPlan("no-ffmpeg.json", plan(2));

        JsonNode manifest = readJson(outbox("no-ffmpeg").resolve("manifest.json"));
        assertThat(manifest.path("status").asText()).isEqualTo("succeeded");
        assertThat(manifest.path("assembly").asText()).isEqualTo("skipped: ffmpeg not found");
        assertThat(manifest.has("final_video")).isFalse();
        assertThat(outbox("no-ffmpeg").resolve("final.mp4")).doesNotExist();
        assertThat(outbox("no-ffmpeg").resolve("clips/scene_2.mp4")).isRegularFile();
        assertThat(outbox("no-ffmpeg").resolve("report.html")).content().contains("No final video: ffmpeg not found");
    }
}
