package io.scenepipeline.simulator;

import io.scenepipeline.support.Json;
import io.scenepipeline.support.StandardWebhook;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Replicate's webhooks (docs/providers.md): when a prediction created with a {@code webhook} ends, the prediction is
 * POSTed there as a poll would answer it, signed the Standard Webhooks way with the account's signing secret (served
 * at {@code GET /v1/webhooks/default/secret}); a delivery that is not answered 2xx is tried again a few times.
 */
final class SimWebhooks {

    private static final int TRIES = 4;

    private final String secret;
    private final StandardWebhook signer;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "simulator-webhooks");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger delivered = new AtomicInteger();
    private final AtomicInteger sent = new AtomicInteger();

    SimWebhooks() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.secret = "whsec_" + Base64.getEncoder().encodeToString(key);
        this.signer = new StandardWebhook(secret, 300);
    }

    String secret() {
        return secret;
    }

    /**
     * Sends {@code p}'s webhook to {@code url} once it has ended (looked at every 50 ms from {@code dueInMs} on).
     *
     * @param view the prediction as a poll would answer it (moves it on with time)
     */
    void whenDone(SimPrediction p, String url, long dueInMs, Function<SimPrediction, Map<String, Object>> view) {
        timer.schedule(() -> check(p, url, view), Math.max(1, dueInMs), TimeUnit.MILLISECONDS);
    }

    private void check(SimPrediction p, String url, Function<SimPrediction, Map<String, Object>> view) {
        Map<String, Object> answer = view.apply(p);
        if (!p.terminal()) {
            timer.schedule(() -> check(p, url, view), 50, TimeUnit.MILLISECONDS);
            return;
        }
        byte[] body = Json.write(answer).getBytes(StandardCharsets.UTF_8);
        String id = "msg_" + p.id;
        deliver(url, id, body, 1);
    }

    private void deliver(String url, String id, byte[] body, int attempt) {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        String signature = "v1," + Base64.getEncoder().encodeToString(signer.sign(id, timestamp, body));
        sent.incrementAndGet();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("webhook-id", id).header("webhook-timestamp", timestamp)
                .header("webhook-signature", signature).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            if (failure == null && response.statusCode() / 100 == 2) {
                delivered.incrementAndGet();
            } else if (attempt < TRIES) {
                timer.schedule(() -> deliver(url, id, body, attempt + 1), 500L << attempt, TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Webhooks sent (each try) and answered 2xx. */
    Map<String, Integer> counts() {
        return Map.of("replicate.webhook", sent.get(), "replicate.webhook.delivered", delivered.get());
    }

    void close() {
        timer.shutdownNow();
    }
}
