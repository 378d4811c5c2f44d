package io.scenepipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.scenepipeline.support.Json;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console of a cluster, asked of any node (real processes on PostgreSQL and Artemis): every node's running plans,
 * a cancel carried out by the node that runs the plan, a pause that holds on every node.
 */
class ClusterConsoleIT extends ClusterTestSupport {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void should_show_and_steer_every_nodes_plans_from_any_node() throws Exception {
        // predictions that run long enough to watch (polled, not held open by a create), one plan at a time per node
        String simulator = processes.simulator("-Dsimulator.prediction-ms=60000");
        String[] settings = {"pipeline.plan-concurrency=1", "replicate.prefer-wait=0s"};
        Processes.Run one = processes.jar(node("console-1-", simulator, "", null, settings), List.of());
        Processes.Run two = processes.jar(node("console-2-", simulator, "", null, settings), List.of());
        String apiOne = management(one);
        String apiTwo = management(two);
        one.awaitLine("Watching", Duration.ofSeconds(90));
        two.awaitLine("Watching", Duration.ofSeconds(90));
        drop(1);
        drop(2);

        // node one shows both running plans, one on each node
        List<JsonNode> running = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            running.clear();
            get(apiOne + "/api/plans?status=running").path("plans").forEach(running::add);
            return running.size() == 2 && !running.get(0).path("node").asText().equals(running.get(1).path("node").asText());
        });
        String onTwo = count(two, "plan=cluster-1 Starting") > 0 ? "cluster-1" : "cluster-2";
        assertThat(count(two, "plan=" + onTwo + " Starting")).isOne();
        // the other node's whole view (every scene's timeline) is published every few seconds
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                .until(() -> get(apiOne + "/api/plans/" + onTwo).path("scenes").size() == SCENES);

        // canceled from node one, carried out by node two
        assertThat(post(apiOne + "/api/plans/" + onTwo + "/cancel", "{\"by\": \"ops\"}").statusCode()).isEqualTo(202);
        Path report = shared.resolve("dead-letter").resolve(onTwo + ".error.json");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> Files.exists(report));
        assertThat(Json.read(Files.readString(report)).path("error").asText()).startsWith("canceled by the operator (ops)");
        // its predictions canceled by the node that ran them, well before they would have ended
        await().atMost(Duration.ofSeconds(10)).until(() -> canceledPredictions(two, onTwo) > 0);
        assertThat(canceledPredictions(one, onTwo)).isZero();

        // paused on node two, seen by node one (every node reads the one pause)
        assertThat(post(apiTwo + "/api/providers/elevenlabs/pause", "{\"by\": \"ops\"}").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).until(() -> "ops".equals(
                get(apiOne + "/api/providers").path("providers").get(1).path("paused").path("by").asText()));
        assertThat(post(apiOne + "/api/providers/elevenlabs/resume", "{}").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).until(() ->
                get(apiTwo + "/api/providers").path("providers").get(1).path("paused").isMissingNode());
    }

    private static long canceledPredictions(Processes.Run node, String plan) {
        return node.lines.stream().filter(l -> l.contains("plan=" + plan + " ") && l.contains("Canceled prediction")).count();
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.read(r.body());
    }

    private static HttpResponse<String> post(String url, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("X-Requested-By", "test")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
