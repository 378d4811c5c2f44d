package io.scenepipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.scenepipeline.support.Json;
import io.scenepipeline.support.StandardWebhook;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Replicate's webhooks, with the jar and the standalone simulator as real processes: a prediction's step is woken by its
 * signed webhook instead of polling; forged, stale and replayed webhooks change nothing.
 */
class WebhookIT {

    private final Processes processes = new Processes();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        processes.close();
    }

    @Test
    void should_finish_predictions_by_their_webhooks_and_refuse_forged_stale_and_replayed_ones() throws Exception {
        String simulator = processes.simulator("-Dsimulator.prediction-ms=1500");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String hook = "http://127.0.0.1:" + port + "/webhooks/replicate";
        // no Prefer: wait, so that every prediction (images too) is answered by its webhook; polls only every minute
        Path work = Processes.workFolder("webhooks-", simulator, "camel.management.port=" + port, "replicate.webhook-url=" + hook,
                "replicate.webhook-sweep=60s", "replicate.prefer-wait=0", "assembly.enabled=false");
        Processes.Run run = processes.jar(work, List.of(), Processes.EXAMPLES.resolve("grand-canyon.json").toString());
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                .until(() -> Files.exists(work.resolve("data/outbox/grand-canyon/manifest.json")) || !run.process.isAlive());

        JsonNode requests = Processes.simulatorRequests(simulator).path("requests");
        assertThat(requests.path("replicate.create").asInt()).as(run.output()).isEqualTo(8);
        assertThat(requests.path("replicate.webhook.delivered").asInt()).isEqualTo(8);
        assertThat(requests.path("replicate.poll").asInt()).as("polls").isZero();
        assertThat(run.output()).contains("Replicate webhooks: signing secret known");

        // the account's signing secret, as Replicate gives it: what a forger does not have
        String secret = Json.read(http.send(HttpRequest.newBuilder(URI.create(simulator + "/v1/webhooks/default/secret"))
                .header("Authorization", "Bearer it").build(), HttpResponse.BodyHandlers.ofString()).body()).path("key").asText();
        StandardWebhook signer = new StandardWebhook(secret, 300);
        byte[] body = "{\"id\":\"nosuchprediction000000001\",\"status\":\"succeeded\",\"output\":\"https://example.com/x.png\"}"
                .getBytes(StandardCharsets.UTF_8);
        long now = System.currentTimeMillis() / 1000;

        assertThat(post(hook, "msg_1", now, sign(signer, "msg_1", now, body), body)).isEqualTo(200);
        assertThat(post(hook, "msg_1", now, sign(signer, "msg_1", now, body), body)).as("replayed").isEqualTo(200);
        assertThat(post(hook, "msg_2", now, "v1," + Base64.getEncoder().encodeToString(new byte[32]), body)).as("forged").isEqualTo(401);
        assertThat(post(hook, "msg_3", now - 3600, sign(signer, "msg_3", now - 3600, body), body)).as("stale").isEqualTo(401);
        assertThat(post(hook, "msg_4", now, null, body)).as("unsigned").isEqualTo(400);
        assertThat(run.lines).filteredOn(l -> l.contains("Refused a Replicate webhook")).hasSize(1);
        assertThat(run.output()).doesNotContain(secret.substring("whsec_".length()));
    }

    private static String sign(StandardWebhook signer, String id, long at, byte[] body) {
        return "v1," + Base64.getEncoder().encodeToString(signer.sign(id, Long.toString(at), body));
    }

    private int post(String url, String id, long at, String signature, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(at)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header("webhook-signature", signature);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
