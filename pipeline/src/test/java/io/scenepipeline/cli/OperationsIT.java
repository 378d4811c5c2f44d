package io.scenepipeline.cli;

import io.scenepipeline.support.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The jar run as a service is run: stopped with SIGTERM mid-plan, started twice on one work folder, started on a
 * taken port. Each case asserts what an operator checks: where the plan file is, exit codes, the outbox, and how
 * many predictions the (standalone) simulator was asked to create.
 */
class OperationsIT {

    private final Processes processes = new Processes();

    @AfterEach
    void stop() {
        processes.close();
    }

    @Test
    void should_leave_a_plan_a_sigterm_cut_off_for_the_next_start_which_finishes_it_without_paying_twice() throws Exception {
        String simulator = processes.simulator("-Dsimulator.prediction-ms=3000");
        Path work = Processes.workFolder("sigterm-", simulator, "camel.main.shutdown-timeout=1");
        Path javaTmp = Files.createDirectories(work.resolve("java-tmp"));
        // a plan rolled back into .failed by an older version is taken back too
        Files.createDirectories(work.resolve("data/work/inflight/.failed"));
        Files.copy(Processes.EXAMPLES.resolve("rainbows.json"), work.resolve("data/work/inflight/.failed/rainbows.json"));
        Files.move(work.resolve("data/work/inflight/.failed/rainbows.json"), work.resolve("data/work/inflight/.failed/old.json"));

        Processes.Run first = processes.jar(work, List.of("-Djava.io.tmpdir=" + javaTmp),
                Processes.EXAMPLES.resolve("grand-canyon.json").toString());
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(100))
                .until(() -> Processes.simulatorRequests(simulator).path("creates_by_input").size() >= 2);
        // SIGTERM, as systemd, Docker and Kubernetes stop a service (through the handle: Process.destroy() would also
        // close our end of its output, and the lines it writes while stopping would be lost)
        first.process.toHandle().destroy();
        int firstExit = first.exit(Duration.ofMinutes(3));

        assertThat(firstExit).as(first.output()).isNotEqualTo(0).isNotEqualTo(1);
        assertThat(first.output()).contains("left for the next start: data/work/inflight/grand-canyon.json");
        assertThat(work.resolve("data/work/inflight/grand-canyon.json")).exists();
        assertThat(work.resolve("data/work/inflight/.failed/grand-canyon.json")).doesNotExist();
        assertThat(list(work.resolve("data/dead-letter"))).isEmpty();
        try (Stream<Path> left = Files.list(javaTmp)) {
            assertThat(left).as("nothing spooled or cached outside pipeline.work").isEmpty();
        }

        Processes.Run second = processes.jar(work, List.of(), "--once");
        int secondExit = second.exit(Duration.ofMinutes(8));

        assertThat(secondExit).as(second.output()).isZero();
        assertThat(second.output()).contains("Resuming 2 plans that were in flight");
        assertComplete(work.resolve("data/outbox/grand-canyon"));
        assertComplete(work.resolve("data/outbox/rainbows"));
        JsonNode creates = Processes.simulatorRequests(simulator).path("creates_by_input");
        assertThat(creates).hasSize(8 + 6);
        creates.properties().forEach(e -> assertThat(e.getValue().asInt()).as("creates of %s", e.getKey()).isEqualTo(1));
        assertThat(list(work.resolve("data/work/tmp"))).as("scratch left by the stopped run").isEmpty();
    }

    @Test
    void should_refuse_a_second_process_on_the_same_work_folder_and_leave_the_first_alone() throws Exception {
        String simulator = processes.simulator("-Dsimulator.prediction-ms=2000");
        Path work = Processes.workFolder("twice-", simulator);
        Processes.Run first = processes.jar(work, List.of(), "--once", Processes.EXAMPLES.resolve("grand-canyon.json").toString());
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> Processes.simulatorRequests(simulator).path("creates_by_input").size() >= 1);

        Processes.Run second = processes.jar(work, List.of(), "--once");
        int secondExit = second.exit(Duration.ofMinutes(8));

        assertThat(secondExit).isEqualTo(1);
        assertThat(second.lines).containsExactly("scene-pipeline: another scene-pipeline (pid " + first.process.pid()
                + ") is using data/work");
        assertThat(first.exit(Duration.ofMinutes(8))).as(first.output()).isZero();
        assertComplete(work.resolve("data/outbox/grand-canyon"));
        Processes.simulatorRequests(simulator).path("creates_by_input").fields()
                .forEachRemaining(e -> assertThat(e.getValue().asInt()).as("creates of %s", e.getKey()).isEqualTo(1));
    }

    @Test
    void should_exit_1_with_one_line_when_the_management_port_is_taken() throws Exception {
        Path work = Processes.workFolder("port-", null);
        Files.createDirectories(work.resolve("data/inbox"));
        Files.copy(Processes.EXAMPLES.resolve("rainbows.json"), work.resolve("data/inbox/rainbows.json"));
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Processes.Run run = processes.jar(work, List.of("-Dcamel.management.port=" + taken.getLocalPort()),
                    "--simulate", "--once");
            int exit = run.exit(Duration.ofMinutes(3));

            assertThat(exit).isEqualTo(1);
            assertThat(run.lines).containsExactly("scene-pipeline: port " + taken.getLocalPort()
                    + " is already in use (camel.management.port); stop what uses it, set camel.management.port to a free port, "
                    + "or camel.management.enabled=false");
        }
        assertThat(work.resolve("data/inbox/rainbows.json")).as("no plan is taken").exists();
    }

    @Test
    void should_write_one_line_per_event_with_a_timestamp_whatever_a_file_name_holds() throws Exception {
        Path work = Processes.workFolder("forged-", null);
        Path inbox = Files.createDirectories(work.resolve("data/inbox"));
        String scene = "{\"scene_number\": 1, \"narration\": \"n\", \"visual_description\": \"v\", \"duration\": 2}";
        Files.writeString(inbox.resolve("x\nERROR plan=payroll Pipeline failed: FORGED LINE.json"), "{\"scenes\": [" + scene + "]}");
        Files.writeString(inbox.resolve("title.json"), "{\"title\": \"a\\nERROR plan=payroll FORGED\\u0000\", \"scenes\": [" + scene + "]}");

        Processes.Run run = processes.jar(work, List.of("-Dsimulator.prediction-ms=200", "-Dassembly.enabled=false"), "--simulate", "--once");
        int exit = run.exit(Duration.ofMinutes(4));

        assertThat(exit).as(run.output()).isZero();
        assertThat(run.output()).contains("from x\\nERROR plan=payroll Pipeline failed: FORGED LINE.json")
                .contains("Starting \"a\\nERROR plan=payroll FORGED\\u0000\"");
        for (String line : run.lines) {
            assertThat(line).as("every line is an event with an ISO-8601 time, or a stack line after one")
                    .matches("(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) [A-Z]+ .*|\\t.*)");
        }
    }

    @Test
    void should_dead_letter_a_plan_file_it_may_not_read_with_a_report_not_an_empty_copy() throws Exception {
        Path work = Processes.workFolder("unreadable-", null);
        Path inbox = Files.createDirectories(work.resolve("data/inbox"));
        Path secret = Files.writeString(inbox.resolve("secret.json"), "{\"scenes\": []}");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        List<String> asUser = List.of();
        if ("root".equals(System.getProperty("user.name"))) {
            // root reads every file: run the service as nobody, the way a service account meets a file it may not read
            Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv is needed to drop root");
            for (Path p : List.of(work, work.resolve("data"), inbox)) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxrwxrwx"));
            }
            asUser = List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
            List<String> check = new java.util.ArrayList<>(asUser);
            check.addAll(List.of("/bin/sh", "-c", "test -r \"$0\" && test -w \"$1\"", Processes.JAR.toString(), inbox.toString()));
            Assumptions.assumeTrue(new ProcessBuilder(check).start().waitFor() == 0, "nobody can read the jar here");
        }

        Processes.Run run = processes.command(work, asUser, List.of(), "--simulate", "--once");
        int exit = run.exit(Duration.ofMinutes(3));

        assertThat(exit).as(run.output()).isEqualTo(2);
        Path copy = work.resolve("data/dead-letter/secret.json");
        assertThat(Files.size(copy)).as("the file itself, moved, not a 0-byte copy").isEqualTo(14);
        assertThat(Json.read(Files.readString(work.resolve("data/dead-letter/secret.error.json"))).path("error").asText())
                .isEqualTo("Invalid plan (1 problem): (file): cannot read secret.json: permission denied");
        assertThat(list(work.resolve("data/work/inflight"))).isEmpty();
    }

    @Test
    void should_exit_3_with_one_line_naming_a_plan_that_reached_neither_the_outbox_nor_the_dead_letters() throws Exception {
        String simulator = processes.simulator("-Dsimulator.prediction-ms=3000");
        Path work = Processes.workFolder("unfinished-", simulator, "assembly.enabled=false");
        Path plan = Files.writeString(work.resolve("doomed.json"), "{\"scenes\": [{\"scene_number\": 1, \"narration\": \"n\","
                + " \"visual_description\": \"a refused clip [sim:video-401]\", \"duration\": 2}]}");

        Processes.Run run = processes.jar(work, List.of(), "--once", plan.toString());
        run.awaitLine("Starting", Duration.ofMinutes(2));
        // the work folder refuses the dead letter: the plan can only stay in flight for the next start
        Path letters = work.resolve("data/work/dead-letters");
        Files.deleteIfExists(letters);
        Files.writeString(letters, "not a folder");
        int exit = run.exit(Duration.ofMinutes(3));

        assertThat(exit).as(run.output()).isEqualTo(3);
        assertThat(run.lines).filteredOn(l -> l.contains("Not finished")).singleElement().asString()
                .endsWith("ERROR plan=doomed Not finished: neither in the outbox nor dead-lettered; it stays in data/work/inflight/doomed.json"
                        + " and resumes at the next start");
        assertThat(work.resolve("data/work/inflight/doomed.json")).exists();
    }

    /** Every file the manifest lists is there. */
    private static void assertComplete(Path plan) throws IOException {
        JsonNode manifest = Json.read(Files.readString(plan.resolve("manifest.json")));
        assertThat(manifest.path("status").asText()).isEqualTo("succeeded");
        int files = 0;
        for (JsonNode scene : manifest.path("scenes")) {
            for (JsonNode file : scene.path("files")) {
                assertThat(plan.resolve(file.asText())).as("listed in %s's manifest", plan.getFileName()).isNotEmptyFile();
                files++;
            }
        }
        assertThat(files).isPositive();
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
