package io.scenepipeline.cli;

import com.sun.net.httpserver.HttpServer;
import io.scenepipeline.config.PipelineSettings;
import io.scenepipeline.config.SettingsCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the start checks before anything is paid: every setting at once, and the face_rig servers a real run needs. */
class StartupChecksTest {

    @TempDir
    Path dir;
    private HttpServer faceRig;

    @AfterEach
    void stop() {
        if (faceRig != null) {
            faceRig.stop(0);
        }
    }

    @Test
    void should_list_every_bad_or_missing_setting_in_one_message() throws IOException {
        Properties system = new Properties();
        system.setProperty("pipeline.plan-concurrency", "zero");
        system.setProperty("retry.video.redeliveryDelay", "soon");
        system.setProperty("camel.management.port", "http");
        AppProperties props = AppProperties.load(dir, Map.of(), system);

        List<String> problems = SettingsCheck.problems(props::get);

        assertThat(problems).containsExactlyInAnyOrder(
                "pipeline.plan-concurrency: must be a whole number, got 'zero'",
                "retry.video.redeliveryDelay: must be a duration such as 7d, 12h, 30m, 45s or 500ms, got 'soon'",
                "replicate.api-token: is not set (set the REPLICATE_API_TOKEN environment variable, or use --simulate)",
                "elevenlabs.api-key: is not set (set the ELEVENLABS_API_KEY environment variable, or use --simulate)",
                "camel.management.port: must be a whole number, got 'http'");
    }

    @Test
    void should_find_nothing_wrong_with_the_defaults_and_the_keys() throws IOException {
        AppProperties props = AppProperties.load(dir, Map.of("REPLICATE_API_TOKEN", "r8_x", "ELEVENLABS_API_KEY", "xi"), new Properties());
        assertThat(SettingsCheck.problems(props::get)).isEmpty();
    }

    @Test
    void should_start_when_one_face_rig_server_of_the_pool_answers() throws IOException {
        String up = startFaceRig();
        PipelineSettings settings = settings(up + "," + closedPort());
        assertThatCode(() -> ProviderReach.check(settings)).doesNotThrowAnyException();
    }

    @Test
    void should_refuse_to_start_when_no_face_rig_server_answers_naming_the_key_and_the_fix() throws IOException {
        String down = closedPort();
        PipelineSettings settings = settings(down + "," + closedPort());
        assertThatThrownBy(() -> ProviderReach.check(settings)).isInstanceOf(ScenePipelineApp.StartupException.class)
                .hasMessageStartingWith("no face_rig server answers at " + down)
                .hasMessageContaining("(facerig.base-url)")
                .hasMessageContaining("set pipeline.face-rig.enabled=false");
        // without the character, face_rig is not needed
        Properties system = new Properties();
        system.setProperty("pipeline.face-rig.enabled", "false");
        assertThatCode(() -> ProviderReach.check(settings(down, system))).doesNotThrowAnyException();
    }

    private PipelineSettings settings(String faceRigUrls) throws IOException {
        return settings(faceRigUrls, new Properties());
    }

    private PipelineSettings settings(String faceRigUrls, Properties system) throws IOException {
        system.setProperty("facerig.base-url", faceRigUrls);
        system.setProperty("replicate.base-url", "http://127.0.0.1:9");
        system.setProperty("elevenlabs.base-url", "http://127.0.0.1:9");
        system.setProperty("replicate.api-token", "r8_x");
        system.setProperty("elevenlabs.api-key", "xi");
        return PipelineSettings.from(AppProperties.load(dir, Map.of(), system)::get);
    }

    private String startFaceRig() throws IOException {
        faceRig = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        faceRig.createContext("/health", exchange -> {
            byte[] ok = "{\"status\":\"ok\"}".getBytes();
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        faceRig.start();
        return "http://127.0.0.1:" + faceRig.getAddress().getPort();
    }

    /** A port nothing listens on (it was free a moment ago). */
    private static String closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }
}
