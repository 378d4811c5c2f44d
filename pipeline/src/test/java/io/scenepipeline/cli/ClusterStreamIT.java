package io.scenepipeline.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Three nodes on one shared inbox and a stream of plans, with no fault at all: each plan ends in exactly one place,
 * once, and no node says ERROR (a node that loses the race for a file skips it quietly).
 */
class ClusterStreamIT extends ClusterTestSupport {

    private static final int STREAM = 12;

    @Test
    void should_end_each_plan_of_a_stream_in_exactly_one_place_on_three_nodes() throws Exception {
        String simulator = processes.simulator("-Dsimulator.prediction-ms=300");
        List<Processes.Run> nodes = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            // every node looks at the inbox often: the files are raced for
            nodes.add(processes.jar(node("stream-" + n + "-", simulator, "", null, "pipeline.inbox.poll-delay=20",
                    "pipeline.inbox.min-age=50"), List.of()));
        }
        for (Processes.Run node : nodes) {
            node.awaitLine("Watching", Duration.ofSeconds(90));
        }
        Path inbox = Files.createDirectories(shared.resolve("inbox"));
        for (int p = 1; p <= STREAM; p++) {
            Path tmp = write(p, inbox.resolve(".stream-" + p + ".tmp"));
            Files.move(tmp, inbox.resolve("cluster-" + p + ".json"), StandardCopyOption.ATOMIC_MOVE);
            int dropped = p;
            // one plan after another, each while the nodes are busy with the last ones
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> !Files.exists(inbox.resolve("cluster-" + dropped + ".json")));
        }
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200))
                .until(() -> manifests() + deadLetters() >= STREAM && nodes.stream().allMatch(n -> n.process.isAlive()));
        // a second outcome would come after the first: the nodes finish what they hold
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                .until(() -> services.count("SELECT count(*) FROM journal_claims") == 0);

        String all = String.join("\n", nodes.stream().map(Processes.Run::output).toList());
        assertThat(deadLetters()).as("dead letters beside the outbox:\n%s", all).isZero();
        assertThat(manifests()).isEqualTo(STREAM);
        for (Processes.Run node : nodes) {
            assertThat(node.lines).as("a node's ERROR lines").filteredOn(l -> l.contains(" ERROR ")).isEmpty();
            assertThat(node.output()).doesNotContain("Exception");
        }
        eachCreatedOnce(Processes.simulatorRequests(simulator).path("creates_by_input"));
        // the whole cluster's figures, the same from every node: the plans ended and what their manifests say they spent
        double spent = 0;
        try (var plans = Files.list(shared.resolve("outbox"))) {
            for (Path plan : plans.toList()) {
                spent += io.scenepipeline.support.Json.read(Files.readString(plan.resolve("manifest.json"))).path("cost_usd").asDouble();
            }
        }
        for (Processes.Run node : nodes) {
            String metrics = management(node) + "/observe/metrics";
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> figure(metrics, "scene_pipeline_cluster_plans{outcome=\"succeeded\"}") == STREAM);
            assertThat(figure(metrics, "scene_pipeline_cluster_cost_usd{outcome=\"succeeded\"}")).isCloseTo(spent, within(1e-6));
            assertThat(figure(metrics, "scene_pipeline_cluster_plans{outcome=\"dead-lettered\"}")).isZero();
        }
    }

    private static double figure(String metrics, String series) throws Exception {
        String body = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(metrics)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        return body.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElse(-1);
    }
}
