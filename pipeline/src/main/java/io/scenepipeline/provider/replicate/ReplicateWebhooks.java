package io.scenepipeline.provider.replicate;

import io.scenepipeline.provider.HttpRequest;
import io.scenepipeline.support.Json;
import io.scenepipeline.support.StandardWebhook;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Replicate's webhooks ({@code replicate.webhook-url}; docs/providers.md): each is checked before it is believed (the
 * Standard Webhooks signature with the account's signing secret, a timestamp within {@code replicate.webhook-tolerance}),
 * taken once (a delivery Replicate repeats, or a replay, is recognised by its {@code webhook-id}), and wakes the step
 * that waits for the prediction ({@link PredictionWaits}). The signing secret is {@code replicate.webhook-secret}, or
 * is asked of Replicate ({@code GET /v1/webhooks/default/secret}) at start.
 */
public final class ReplicateWebhooks {

    private static final Logger LOG = Logs.of(ReplicateWebhooks.class);
    private static final int REMEMBERED = 10_000;
    private static final long QUIET_MS = 60_000;

    /** What became of a webhook, with the HTTP status it is answered with. */
    public enum Outcome {
        TAKEN(200), ALREADY_TAKEN(200), NOT_READY(503), UNSIGNED(400), MALFORMED(400), STALE(401), FORGED(401);

        private final int status;

        Outcome(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final ReplicateSettings settings;
    private final PredictionWaits waits;
    private volatile StandardWebhook signature;
    private final Map<String, Boolean> taken = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };
    private long lastRefusalLogged;

    public ReplicateWebhooks(ReplicateSettings settings, PredictionWaits waits) {
        this.settings = settings;
        this.waits = waits;
        String configured = settings.webhooks().secret();
        if (configured != null) {
            secret(configured);
        }
    }

    /** Are webhooks on ({@code replicate.webhook-url} set)? */
    public boolean enabled() {
        return settings.webhooks().url() != null;
    }

    /** Is the signing secret known (configured, or asked of Replicate)? */
    public boolean ready() {
        return signature != null;
    }

    public void secret(String whsec) {
        this.signature = new StandardWebhook(whsec, settings.webhooks().tolerance().toSeconds());
    }

    /** For the route that asks Replicate for the signing secret. */
    public void prepareSecret(Exchange exchange) {
        HttpRequest.start(exchange, "GET", "/v1/webhooks/default/secret")
                .setHeader("Authorization", "Bearer " + settings.token());
    }

    public void secretFetched(Exchange exchange) throws IOException {
        HttpRequest.forgetCredentials(exchange);
        JsonNode key = Json.readResponse("Replicate", exchange.getIn().getBody(String.class)).get("key");
        if (key == null || !key.isTextual() || key.asText().isBlank()) {
            throw new IOException("Replicate answered the webhook secret without a key");
        }
        secret(key.asText());
        LOG.info("Replicate webhooks: signing secret known; predictions are woken by their webhook at {}", settings.webhooks().url());
    }

    /** A webhook as it arrived: its signature headers and its body, as received. */
    public Outcome receive(String id, String timestamp, String signatures, byte[] body) {
        StandardWebhook check = signature;
        if (check == null) {
            return Outcome.NOT_READY;
        }
        StandardWebhook.Verdict verdict = check.verify(id, timestamp, signatures, body, System.currentTimeMillis() / 1000);
        if (verdict != StandardWebhook.Verdict.GENUINE) {
            Outcome refused = switch (verdict) {
                case MISSING_HEADERS -> Outcome.UNSIGNED;
                case STALE -> Outcome.STALE;
                default -> Outcome.FORGED;
            };
            refused(refused);
            return refused;
        }
        synchronized (taken) {
            if (taken.put(id, Boolean.TRUE) != null) {
                return Outcome.ALREADY_TAKEN;
            }
        }
        JsonNode prediction;
        try {
            prediction = Json.read(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            refused(Outcome.MALFORMED);
            return Outcome.MALFORMED;
        }
        String predictionId = ReplicateSteps.text(prediction, "id");
        String status = ReplicateSteps.text(prediction, "status");
        if (predictionId == null || status == null) {
            refused(Outcome.MALFORMED);
            return Outcome.MALFORMED;
        }
        if (prediction instanceof ObjectNode kept) {
            // what the step reads (status, output, error, metrics); Replicate echoes the input, data: URIs and all
            kept.remove("input");
            kept.remove("logs");
        }
        waits.arrived(predictionId, prediction);
        return Outcome.TAKEN;
    }

    /** A refused webhook is said once a minute at most (whoever sends them decides how many come). */
    private void refused(Outcome outcome) {
        long now = System.currentTimeMillis();
        synchronized (this) {
            if (now - lastRefusalLogged < QUIET_MS) {
                LOG.debug("Refused a Replicate webhook: {}", outcome);
                return;
            }
            lastRefusalLogged = now;
        }
        LOG.warn("Refused a Replicate webhook: {} (said once a minute at most)", switch (outcome) {
            case UNSIGNED -> "no webhook-id, webhook-timestamp or webhook-signature";
            case STALE -> "its timestamp is too old or too new (replicate.webhook-tolerance)";
            case MALFORMED -> "its body is not a prediction";
            default -> "its signature does not match the account's signing secret";
        });
    }
}
