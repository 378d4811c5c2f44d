package io.scenepipeline.cli;

import io.scenepipeline.support.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged jar, run as a user runs it: {@code java -jar target/scene-pipeline.jar …} from another folder. */
class JarIT {

    private static final Path JAR = Path.of("target", "scene-pipeline.jar").toAbsolutePath();
    private static final Path EXAMPLES = Path.of("examples", "plans").toAbsolutePath();
    private Path work;

    @BeforeEach
    void folder() throws IOException {
        Files.createDirectories(Path.of("target", "it-runs"));
        work = Files.createTempDirectory(Path.of("target", "it-runs").toAbsolutePath(), "jar-");
    }

    @Test
    void should_run_an_example_plan_on_the_simulator_and_exit_0() throws Exception {
        Result r = run(List.of("-Dsimulator.prediction-ms=400", "-Dreplicate.poll-interval=200"),
                "--simulate", "--once", EXAMPLES.resolve("rainbows.json").toString());

        assertThat(r.exit).as(r.output).isZero();
        Path out = work.resolve("data/outbox/rainbows");
        JsonNode manifest = Json.read(Files.readString(out.resolve("manifest.json")));
        assertThat(manifest.path("status").asText()).isEqualTo("succeeded");
        assertThat(manifest.path("scenes")).hasSize(3);
        for (int n = 1; n <= 3; n++) {
            assertThat(out.resolve("images/scene_" + n + ".png")).isNotEmptyFile();
            assertThat(out.resolve("audio/scene_" + n + ".wav")).isNotEmptyFile();
            assertThat(out.resolve("face_rig/scene_" + n + ".mp4")).isNotEmptyFile();
            assertPlayableVideo(out.resolve("clips/scene_" + n + ".mp4"));
        }
        assertThat(Files.readAllBytes(out.resolve("plan.json"))).isEqualTo(Files.readAllBytes(EXAMPLES.resolve("rainbows.json")));
        assertThat(r.output).contains("plan=rainbows Pipeline succeeded");
        // the user finds the simulator (and its /_simulator/requests) from this line, written before any plan starts
        assertThat(r.output).containsPattern("Provider simulator listening on http://127\\.0\\.0\\.1:\\d+");
        assertThat(r.output.indexOf("Provider simulator listening on")).isLessThan(r.output.indexOf("Starting \""));
        assertThat(out.resolve("report.html")).isNotEmptyFile();
        if (onPath("ffmpeg")) {
            assertThat(manifest.path("final_video").asText()).isEqualTo("final.mp4");
            assertThat(out.resolve("final.mp4")).isNotEmptyFile();
            assertThat(r.output).contains("plan=rainbows [5/5] Assembly: final.mp4");
        }
    }

    @Test
    void should_estimate_what_a_plan_costs_as_its_run_then_spends_and_nothing_once_it_is_in_the_journal() throws Exception {
        String plan = EXAMPLES.resolve("grand-canyon.json").toString();

        Result before = run(List.of(), "--estimate", plan);
        Result tooDear = run(List.of("-Dpipeline.max-cost-per-plan=1"), "--estimate", plan);
        Result ran = run(List.of("-Dsimulator.prediction-ms=300", "-Dreplicate.poll-interval=100", "-Dassembly.enabled=false"),
                "--simulate", "--once", plan);
        Result after = run(List.of(), "--simulate", "--estimate", plan);
        Result real = run(List.of(), "--estimate", plan);

        assertThat(before.exit).as(before.output).isZero();
        assertThat(before.output).contains("total $3.6837").contains("(23 s of 1080p video)").contains("budget (pipeline.max-cost-per-plan): none");
        assertThat(tooDear.exit).isEqualTo(2);
        assertThat(tooDear.output).contains("$1.0000 -> DOES NOT FIT");
        assertThat(ran.exit).as(ran.output).isZero();
        double spent = Json.read(Files.readString(work.resolve("data/outbox/grand-canyon/manifest.json"))).path("cost_usd").asDouble();
        assertThat(spent).as("the run spent what the estimate said").isEqualTo(3.6837);
        assertThat(after.output).contains("total $0.0000").contains("  0 to pay,   4 reused");
        // what the simulator made costs nothing only on the simulator: against the real providers it is all to pay
        assertThat(real.output).as(real.output).contains("total $3.6837");
    }

    @Test
    void should_never_reuse_the_simulators_media_in_a_run_against_real_providers() throws Exception {
        String plan = EXAMPLES.resolve("rainbows.json").toString();
        Result demo = run(List.of("-Dsimulator.prediction-ms=300", "-Dreplicate.poll-interval=100", "-Dassembly.enabled=false"),
                "--simulate", "--once", plan);
        assertThat(demo.exit).as(demo.output).isZero();
        assertThat(work.resolve("data/work-simulator/journal/steps")).as("the demo's own work folder").isNotEmptyDirectory();

        try (Processes processes = new Processes()) {
            // a second simulator stands in for the real providers; the run even shares the demo's journal
            String providers = processes.simulator("-Dsimulator.prediction-ms=300");
            Result paid = run(List.of("-Dreplicate.base-url=" + providers, "-Delevenlabs.base-url=" + providers,
                    "-Dfacerig.base-url=" + providers, "-Dreplicate.api-token=r8_real-looking", "-Delevenlabs.api-key=xi-real-looking",
                    "-Dreplicate.poll-interval=100", "-Dassembly.enabled=false", "-Dpipeline.work=data/work-simulator"), "--once", plan);

            assertThat(paid.exit).as(paid.output).isZero();
            JsonNode manifest = Json.read(Files.readString(work.resolve("data/outbox/rainbows/manifest.json")));
            assertThat(manifest.path("totals").path("reused_steps").asInt()).as(paid.output).isZero();
            assertThat(manifest.path("cost_usd").asDouble()).isPositive();
            assertThat(Processes.simulatorRequests(providers).path("requests").path("replicate.create").asInt())
                    .as("every image and clip made by the providers").isEqualTo(2 * manifest.path("scenes").size());
        }
    }

    @Test
    void should_exit_2_when_a_plan_was_dead_lettered() throws Exception {
        Path bad = work.resolve("bad.json");
        Files.writeString(bad, "{\"scenes\": []}");

        Result r = run(List.of(), "--simulate", "--once", bad.toString());

        assertThat(r.exit).as(r.output).isEqualTo(2);
        assertThat(work.resolve("data/dead-letter/bad.json")).hasContent("{\"scenes\": []}");
        assertThat(work.resolve("data/dead-letter/bad.error.json")).content().contains("scenes: must hold at least one scene");
    }

    @Test
    void should_stop_with_one_line_naming_a_bad_setting() throws Exception {
        Files.writeString(work.resolve("application.properties"), "retry.video.maximumRedeliveries=three\n");

        Result r = run(List.of(), "--simulate", "--once");

        assertThat(r.exit).isEqualTo(1);
        assertThat(r.output.strip()).isEqualTo(
                "scene-pipeline: bad setting retry.video.maximumRedeliveries: must be a whole number, got 'three'");
    }

    @Test
    void should_require_the_api_token_when_not_simulating() throws Exception {
        Result r = run(List.of(), "--once");

        // both keys at once, not one per start
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.output.strip()).isEqualTo("""
                scene-pipeline: 2 settings to fix:
                  replicate.api-token: is not set (set the REPLICATE_API_TOKEN environment variable, or use --simulate)
                  elevenlabs.api-key: is not set (set the ELEVENLABS_API_KEY environment variable, or use --simulate)""");
    }

    @Test
    void should_let_minus_d_override_the_working_directory_file() throws Exception {
        Files.writeString(work.resolve("application.properties"), "pipeline.scene-concurrency=zero\n");

        Result r = run(List.of("-Dpipeline.scene-concurrency=0"), "--simulate", "--once");

        assertThat(r.exit).isEqualTo(1);
        assertThat(r.output.strip()).isEqualTo("scene-pipeline: bad setting pipeline.scene-concurrency: must be between 1 and 1000, got 0");
    }

    @Test
    void should_let_minus_d_override_an_environment_variable_in_the_routes_as_in_the_code() throws Exception {
        Path bad = work.resolve("bad.json");
        Files.writeString(bad, "{\"scenes\": []}");

        Result r = run(Map.of("PIPELINE_INBOX", "env-inbox"), List.of("-Dpipeline.inbox=d-inbox"), "--simulate", "--once", bad.toString());

        assertThat(r.exit).as(r.output).isEqualTo(2);
        assertThat(r.output).contains("Watching d-inbox for plans");
        assertThat(work.resolve("data/dead-letter/bad.error.json")).content().contains("scenes: must hold at least one scene");
        assertThat(work.resolve("d-inbox")).isEmptyDirectory();
        assertThat(work.resolve("env-inbox")).doesNotExist();
    }

    @Test
    void should_refuse_once_in_cluster_mode_with_one_line() throws Exception {
        Result r = run(List.of("-Dpipeline.cluster.broker-url=tcp://127.0.0.1:1", "-Dpipeline.journal.jdbc-url=jdbc:postgresql://127.0.0.1:1/x"),
                "--simulate", "--once");

        assertThat(r.exit).isEqualTo(1);
        assertThat(r.output.strip()).isEqualTo("scene-pipeline: --once is for the single-process mode; in cluster mode "
                + "(pipeline.cluster.broker-url and pipeline.journal.jdbc-url set) a node runs until it is stopped");
    }

    private static void assertPlayableVideo(Path mp4) throws Exception {
        byte[] head = Files.readAllBytes(mp4);
        assertThat(new String(head, 4, 4, StandardCharsets.ISO_8859_1)).isEqualTo("ftyp");
        if (onPath("ffprobe")) {
            Process p = new ProcessBuilder("ffprobe", "-v", "error", "-select_streams", "v:0",
                    "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", mp4.toString())
                    .redirectErrorStream(true).start();
            String probed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(p.waitFor()).isZero();
            assertThat(probed).isEqualTo("h264,640,360");
        }
    }

    private static boolean onPath(String tool) {
        return io.scenepipeline.assembly.Assembly.locate(tool).isPresent();
    }

    private Result run(List<String> jvmArgs, String... args) throws Exception {
        return run(Map.of(), jvmArgs, args);
    }

    private Result run(Map<String, String> environment, List<String> jvmArgs, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // the management server on a free port: a busy 8080 on the test machine must not fail the run
        cmd.add("-Dcamel.management.port=0");
        cmd.addAll(jvmArgs);
        cmd.add("-jar");
        cmd.add(JAR.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true);
        pb.environment().remove("REPLICATE_API_TOKEN");
        pb.environment().remove("ELEVENLABS_API_KEY");
        pb.environment().putAll(environment);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(8, TimeUnit.MINUTES)).as("jar finished").isTrue();
        return new Result(p.exitValue(), output);
    }

    private record Result(int exit, String output) {
    }
}
