package io.scenepipeline.app;

import io.scenepipeline.simulator.ProviderSimulator;
import io.scenepipeline.simulator.SimulatorSettings;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The final video, made by the real ffmpeg from the simulator's real media. CI installs ffmpeg and sets
 * REQUIRE_FFMPEG=1, so there a missing ffmpeg fails these tests instead of skipping them.
 */
class AssemblyTest extends PipelineTestSupport {

    static ProviderSimulator simulator;

    static synchronized String simulatorUrl() {
        try {
            if (simulator == null) {
                simulator = ProviderSimulator.start(new SimulatorSettings(0, 0, 0, 3_600_000, 70_000, Map.of(), true, 0));
            }
            return simulator.baseUrl();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stopSimulator() {
        if (simulator != null) {
            simulator.close();
            simulator = null;
        }
    }

    /** The providers are the in-process simulator (real PNG, MP4 and WAV), with the final assembly on. */
    static Properties onSimulator() {
        Properties p = new Properties();
        String url = simulatorUrl();
        p.setProperty("replicate.base-url", url);
        p.setProperty("elevenlabs.base-url", url);
        p.setProperty("facerig.base-url", url);
        p.setProperty("replicate.poll-interval", "20");
        p.setProperty("assembly.enabled", "true");
        return p;
    }

    @Override
    protected Properties extraProperties() {
        Properties p = onSimulator();
        p.setProperty("assembly.width", "640");
        p.setProperty("assembly.height", "360");
        p.setProperty("assembly.preset", "ultrafast");
        return p;
    }

    static void requireFfmpeg() {
        boolean present = io.scenepipeline.assembly.Assembly.locate("ffmpeg").isPresent();
        if ("1".equals(System.getenv("REQUIRE_FFMPEG"))) {
            assertThat(present).as("ffmpeg on PATH (REQUIRE_FFMPEG=1)").isTrue();
        }
        assumeThat(present).as("ffmpeg on PATH").isTrue();
    }

    @Test
    void should_make_one_video_as_long_as_the_narration_and_not_encode_it_twice() throws Exception {
        requireFfmpeg();
        String plan = plan(3);

        runPlan("assembled.json", plan);

        Path folder = outbox("assembled");
        Path video = folder.resolve("final.mp4");
        assertThat(video).isRegularFile();
        double narration = 0;
        for (int n = 1; n <= 3; n++) {
            narration += Double.parseDouble(ffprobe("format=duration", folder.resolve("audio/scene_" + n + ".wav")).get(0));
        }
        assertThat(Double.parseDouble(ffprobe("format=duration", video).get(0))).isCloseTo(narration, org.assertj.core.data.Offset.offset(0.2));
        assertThat(ffprobe("stream=codec_type,codec_name", video)).containsExactly("h264,video", "aac,audio");
        JsonNode manifest = readJson(folder.resolve("manifest.json"));
        assertThat(manifest.path("final_video").asText()).isEqualTo("final.mp4");
        assertThat(manifest.path("assembly").path("reused").asBoolean()).isFalse();
        assertThat(manifest.path("assembly").path("picture_in_picture").asBoolean()).isTrue();
        assertThat(manifest.path("assembly").path("duration_s").asDouble()).isCloseTo(narration, org.assertj.core.data.Offset.offset(0.01));
        org.jsoup.nodes.Document report = org.jsoup.Jsoup.parse(folder.resolve("report.html").toFile(), "UTF-8");
        assertThat(report.selectFirst("main > section").select("video[src=final.mp4]")).as("the final video comes first").hasSize(1);
        byte[] first = Files.readAllBytes(video);

        runPlan("assembled.json", plan);

        JsonNode again = readJson(folder.resolve("manifest.json"));
        assertThat(again.path("assembly").path("reused").asBoolean()).as("the same scenes are not encoded again").isTrue();
        assertThat(Files.readAllBytes(folder.resolve("final.mp4"))).isEqualTo(first);

        runPlan("assembled.json", plan.replace("Narration of scene 2.", "A new narration for the second scene, a little longer."));

        JsonNode changed = readJson(folder.resolve("manifest.json"));
        assertThat(changed.path("assembly").path("reused").asBoolean()).as("one scene changed: assembled again").isFalse();
        assertThat(Files.readAllBytes(folder.resolve("final.mp4"))).isNotEqualTo(first);
    }

    private static List<String> ffprobe(String entries, Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries", entries, "-of", "csv=p=0", file.toString())
                .redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>(new String(p.getInputStream().readAllBytes()).lines().filter(l -> !l.isBlank()).toList());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return lines;
    }
}
