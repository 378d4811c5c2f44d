package io.scenepipeline.cli;

import io.scenepipeline.support.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Cluster mode with real servers and real processes: nodes of the packaged jar on shared folders, PostgreSQL for the
 * journal, ActiveMQ Artemis for the plans queue, the standalone simulator counting every create.
 */
class ClusterIT extends ClusterTestSupport {

    @Test
    void should_finish_every_plan_of_a_node_killed_at_its_first_create_elsewhere_creating_each_prompt_once() throws Exception {
        String simulator = processes.simulator("-Dsimulator.prediction-ms=1500");
        Processes.Run first = processes.jar(node("node1-", simulator), List.of());
        first.awaitLine("Watching", Duration.ofSeconds(90));
        for (int p = 1; p <= PLANS; p++) {
            drop(p);
        }
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> creates(simulator) >= 1 || !first.process.isAlive());
        first.process.destroyForcibly().waitFor();
        assertThat(first.output()).contains("Queued for the cluster").contains("Starting");

        Processes.Run second = processes.jar(node("node2-", simulator), List.of());
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200))
                .until(() -> manifests() == PLANS || !second.process.isAlive());

        for (int p = 1; p <= PLANS; p++) {
            JsonNode manifest = Json.read(Files.readString(shared.resolve("outbox/cluster-" + p + "/manifest.json")));
            assertThat(manifest.path("status").asText()).as(second.output()).isEqualTo("succeeded");
            for (int s = 1; s <= SCENES; s++) {
                assertThat(shared.resolve("outbox/cluster-" + p + "/clips/scene_" + s + ".mp4")).isNotEmptyFile();
            }
        }
        JsonNode creates = Processes.simulatorRequests(simulator).path("creates_by_input");
        System.out.println("creates after node 1 was killed at its first: " + creates.toPrettyString());
        assertThat(creates).hasSize(PLANS * SCENES * 2);
        eachCreatedOnce(creates);
        assertThat(shared.resolve("inbox")).isEmptyDirectory();
        assertThat(shared.resolve("dead-letter")).isEmptyDirectory();
        assertThat(services.count("SELECT count(*) FROM journal_steps")).as("steps journaled").isGreaterThanOrEqualTo(PLANS * SCENES * 3);
    }

    @Test
    void should_hand_the_plans_of_a_node_stopped_with_sigterm_on_to_another_creating_each_prompt_once() throws Exception {
        String simulator = processes.simulator("-Dsimulator.prediction-ms=1500");
        // a stop that waits one second for running calls: the plans are cut off mid-step
        Processes.Run first = processes.jar(node("term-1-", simulator, "", null, "camel.main.shutdown-timeout=1"), List.of());
        first.awaitLine("Watching", Duration.ofSeconds(90));
        drop(1);
        drop(2);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> creates(simulator) >= 1 || !first.process.isAlive());
        first.process.toHandle().destroy();
        int exit = first.exit(Duration.ofMinutes(2));

        Processes.Run second = processes.jar(node("term-2-", simulator), List.of());
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200))
                .until(() -> manifests() == 2 || !second.process.isAlive());
        System.out.println("node stopped with SIGTERM, exit " + exit + ":\n" + first.output());
        for (int p = 1; p <= 2; p++) {
            assertThat(Json.read(Files.readString(shared.resolve("outbox/cluster-" + p + "/manifest.json"))).path("status").asText())
                    .as(second.output()).isEqualTo("succeeded");
        }
        JsonNode requests = Processes.simulatorRequests(simulator);
        JsonNode creates = requests.path("creates_by_input");
        assertThat(creates).hasSize(2 * SCENES * 2);
        eachCreatedOnce(creates);
        // the narrations the stopped node had paid for before its plans were rolled back are reused, not paid again
        assertThat(requests.path("requests").path("elevenlabs.tts").asInt()).as("narrations").isEqualTo(2 * SCENES);
        assertThat(shared.resolve("dead-letter")).isEmptyDirectory();
        assertThat(first.lines).filteredOn(l -> l.contains(" ERROR ")).isEmpty();
        for (int p = 1; p <= 2; p++) {
            if (first.output().contains("plan=cluster-" + p + " Starting")) {
                assertThat(first.output()).contains("plan=cluster-" + p + " Stopped before it finished; back on the plans queue for another node");
            }
        }
        assertThat(first.output()).contains("the rest goes back to the plans queue for another node");
    }

    @Test
    void should_neither_pay_nor_publish_again_when_a_node_stopped_past_its_lease_wakes_up() throws Exception {
        String simulator = processes.simulator("-Dsimulator.prediction-ms=1500");
        // the broker notices a silent node after 4 s and hands its plans on
        Processes.Run stopped = processes.jar(node("stopped-", simulator, "?connectionTTL=4000&clientFailureCheckPeriod=1000"), List.of());
        String stoppedMetrics = management(stopped);
        drop(1);
        drop(2);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> creates(simulator) >= 1 || !stopped.process.isAlive());
        signal("STOP", stopped.process);

        Processes.Run other = processes.jar(node("other-", simulator, "?connectionTTL=4000&clientFailureCheckPeriod=1000"), List.of());
        String otherMetrics = management(other);
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200))
                .until(() -> manifests() == 2 || !other.process.isAlive());
        signal("CONT", stopped.process);
        // (each node's output is in its folder, output-<pid>.log)
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> count(stopped, "Left to the node that took it over") >= 2 || !stopped.process.isAlive());
        JsonNode creates = Processes.simulatorRequests(simulator).path("creates_by_input");
        assertThat(creates).hasSize(2 * SCENES * 2);
        double published = 0;
        eachCreatedOnce(creates);
        for (int p = 1; p <= 2; p++) {
            Path out = shared.resolve("outbox/cluster-" + p);
            JsonNode manifest = Json.read(Files.readString(out.resolve("manifest.json")));
            assertThat(manifest.path("status").asText()).isEqualTo("succeeded");
            published += manifest.path("cost_usd").asDouble();
            for (int s = 1; s <= SCENES; s++) {
                assertThat(out.resolve("images/scene_" + s + ".png")).isNotEmptyFile();
                assertThat(out.resolve("clips/scene_" + s + ".mp4")).isNotEmptyFile();
            }
        }
        assertThat(shared.resolve("dead-letter")).isEmptyDirectory();
        assertThat(stopped.output()).doesNotContain("Pipeline failed").doesNotContain("Pipeline succeeded");
        // each plan it left said once in its own words; no error from Camel or Spring for a rollback made on purpose
        assertThat(count(stopped, "Left to the node that took it over")).as(stopped.output()).isEqualTo(2);
        assertThat(stopped.lines).filteredOn(l -> l.contains(" ERROR ")).isEmpty();
        assertThat(stopped.output()).doesNotContain("Failed delivery").doesNotContain("Exception occurred while trying to handle");
        // a cost is counted by the node that journaled its step: the other node every prediction (it resumed the one the
        // stopped node had created; none had ended before the stop) and every step it published but did not reuse
        assertThat(published).isPositive();
        assertThat(spent(otherMetrics, null)).as("cost by the other node's metrics").isCloseTo(published, within(1e-6));
        assertThat(spent(stoppedMetrics, "replicate")).as("predictions counted by the stopped node").isZero();
    }

    @Test
    void should_hold_the_account_wide_limits_across_all_nodes_together() throws Exception {
        // narration and face_rig calls that take a while, so that two nodes would overlap them if each counted alone
        // and Replicate's creates per minute, which the simulated account enforces with a burst of 3 (429 beyond it; the nodes send none at once)
        String simulator = processes.simulator("-Dsimulator.prediction-ms=300", "-Dsimulator.latency.tts=400",
                "-Dsimulator.latency.align=400", "-Dsimulator.latency.export=400",
                "-Dsimulator.replicate-creates-per-minute=240", "-Dsimulator.replicate-burst=3");
        String[] pace = {"replicate.max-creates-per-minute=240", "replicate.create-burst=1"};
        Processes.Run one = processes.jar(node("limits-1-", simulator, "", null, pace), List.of());
        Processes.Run two = processes.jar(node("limits-2-", simulator, "", null, pace), List.of());
        one.awaitLine("Watching", Duration.ofSeconds(90));
        two.awaitLine("Watching", Duration.ofSeconds(90));
        for (int p = 1; p <= PLANS; p++) {
            drop(p);
        }
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200))
                .until(() -> manifests() == PLANS || !one.process.isAlive() || !two.process.isAlive());

        assertThat(one.output()).as("both nodes worked").contains("Starting");
        assertThat(two.output()).contains("Starting");
        JsonNode stats = Processes.simulatorRequests(simulator);
        System.out.println("most requests at once, two nodes: " + stats.path("max_in_flight"));
        assertThat(stats.path("max_in_flight").path("elevenlabs").asInt()).as("elevenlabs.max-concurrent=1 for the account").isEqualTo(1);
        assertThat(stats.path("max_in_flight").path("facerig 1").asInt()).as("one call at a time on the face_rig server").isEqualTo(1);
        assertThat(stats.path("requests").path("elevenlabs.tts").asInt()).isEqualTo(PLANS * SCENES);
        assertThat(stats.path("requests").path("replicate.create").asInt()).isEqualTo(2 * PLANS * SCENES);
        assertThat(stats.path("throttled").path("replicate.create").asInt()).as("creates past the account's limit").isZero();
    }

    @Test
    void should_take_over_a_file_a_dead_node_had_claimed_in_the_inbox() throws Exception {
        String simulator = processes.simulator("-Dsimulator.prediction-ms=300");
        // this node claims the file, then waits a minute for it to settle: long enough to die holding the claim
        Processes.Run dying = processes.jar(node("claimer-", simulator, "", null, "pipeline.inbox.min-age=60000"), List.of());
        dying.awaitLine("Watching", Duration.ofSeconds(90));
        drop(1);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> services.count("SELECT count(*) FROM CAMEL_MESSAGEPROCESSED") == 1);
        dying.process.destroyForcibly().waitFor();

        Processes.Run other = processes.jar(node("taker-", simulator), List.of());
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> manifests() == 1 || !other.process.isAlive());
        assertThat(other.output()).contains("plan=cluster-1 Queued for the cluster");
        assertThat(Json.read(Files.readString(shared.resolve("outbox/cluster-1/manifest.json"))).path("status").asText()).isEqualTo("succeeded");
        assertThat(shared.resolve("inbox")).as("no lock file left behind").isEmptyDirectory();
    }
}
