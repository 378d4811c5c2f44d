package io.scenepipeline.provider.replicate;

import io.scenepipeline.provider.AccountPace;
import io.scenepipeline.provider.HttpRequest;
import io.scenepipeline.support.Json;
import io.scenepipeline.support.MalformedResponseException;
import io.scenepipeline.support.SafeText;
import com.fasterxml.jackson.databind.JsonNode;
import io.scenepipeline.run.Steps;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.http.base.HttpOperationFailedException;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;


/**
 * Polling a prediction until it ends, and its outcome: the output to fetch, or a failure (transient failures forget
 * the prediction, so the next attempt creates a new one). A poll that fails repeats the poll, never the create.
 */
public final class PredictionPolls {

    private static final Logger LOG = Logs.of(PredictionPolls.class);

    private final ReplicateSettings settings;
    private final ReplicateSteps replicate;
    private final AccountPace requests;
    /** Predictions being polled, by id: when each was last polled (ms). */
    private final Map<String, Long> polled = new ConcurrentHashMap<>();

    public PredictionPolls(ReplicateSettings settings, ReplicateSteps replicate, AccountPace requests) {
        this.settings = settings;
        this.replicate = replicate;
        this.requests = requests;
    }

    /**
     * How long the prediction waits before its next poll: {@code replicate.poll-interval}, stretched so that the
     * predictions polled now use at most {@code replicate.poll-share} of {@code replicate.max-requests-per-minute}
     * together (400 predictions at 3000 per minute and 0.8: one poll each every 10 s). The requests' pace then holds
     * the limit exactly, in turn.
     */
    public long pollDelay(Exchange exchange) {
        long now = System.currentTimeMillis();
        ReplicateLimits limits = settings.limits();
        double perMinute = Math.min(limits.requestsPerMinute(), requests.perMinute()) * limits.pollShare();
        long delay = Math.max(settings.pollIntervalMs(), every(active(now, perMinute), perMinute));
        // with webhooks, a poll only sweeps up a webhook that never came
        return settings.webhooks().url() == null ? delay : Math.max(delay, settings.webhooks().sweep().toMillis());
    }

    private void seen(String id) {
        if (id != null) {
            polled.put(id, System.currentTimeMillis());
        }
    }

    /** Predictions polled within the last few intervals (one whose step ended without saying so drops out by itself). */
    private int active(long now, double perMinute) {
        long horizon = Math.max(30_000, 3 * Math.max(settings.pollIntervalMs(), every(polled.size(), perMinute)));
        polled.values().removeIf(at -> now - at > horizon);
        return Math.max(1, polled.size());
    }

    private static long every(int predictions, double perMinute) {
        return Math.round(predictions * 60_000.0 / Math.max(1, perMinute));
    }

    /** The prediction ended (or was given up): it is polled no more. */
    void done(String id) {
        if (id != null) {
            polled.remove(id);
        }
    }

    public void preparePoll(Exchange exchange) {
        replicate.authorize(HttpRequest.start(exchange, "GET", "/v1/predictions/" + PredictionCall.of(exchange).id));
    }

    /** Is the prediction still running (poll, or wait for its webhook, again)? The poll loop's condition. */
    public boolean running(Exchange exchange) {
        return PredictionCall.of(exchange).running();
    }

    /**
     * Reads a poll answer. The poll endpoint does not throw on an error status, so that a resumed prediction Replicate
     * no longer knows (404) is forgotten and created anew; every other error status is raised as camel-http would.
     */
    public void polled(Exchange exchange) throws IOException, HttpOperationFailedException {
        HttpRequest.forgetCredentials(exchange);
        HttpRequest.readAnswer(exchange);
        Message in = exchange.getIn();
        int code = HttpRequest.status(exchange);
        PredictionCall call = PredictionCall.of(exchange);
        if (code < 200 || code > 299) {
            String id = call.id;
            if (code == 404 && call.resumed) {
                replicate.forget(exchange);
                throw new PredictionFailedException(id, "unknown", "Replicate no longer knows this prediction from an earlier run", true);
            }
            HttpOperationFailedException failure = HttpRequest.failure(exchange, settings.baseUrl() + "/v1/predictions/" + id);
            ReplicateThrottle.tell(requests, failure);
            throw failure;
        }
        answered(exchange, call, Json.readResponse("Replicate", in.getBody(String.class)));
    }

    /** Did a webhook bring the prediction (no poll needed this time)? */
    public boolean delivered(Exchange exchange) {
        return PredictionCall.of(exchange).delivered != null;
    }

    /** Reads the prediction a webhook brought, as a poll's answer. */
    public void fromWebhook(Exchange exchange) {
        PredictionCall call = PredictionCall.of(exchange);
        JsonNode prediction = call.delivered;
        call.delivered = null;
        answered(exchange, call, prediction);
    }

    private void answered(Exchange exchange, PredictionCall call, JsonNode prediction) {
        seen(call.id);
        ReplicateSteps.accept(call, prediction);
        if (!call.terminal() && (System.currentTimeMillis() > call.deadline || Steps.run(exchange).canceled())) {
            // given up: the route cancels it (PredictionCancel), so it does not run on, billed, for no one
            call.timedOut = true;
        }
    }

    /** After polling ends: the output reference, or the prediction's failure (a transient one forgets the id). */
    public void outcome(Exchange exchange) throws IOException {
        PredictionCall call = PredictionCall.of(exchange);
        JsonNode prediction = call.prediction;
        String id = call.id;
        String status = call.status;
        done(id);
        if (!"succeeded".equals(status)) {
            String error = SafeText.cap(ReplicateSteps.text(prediction, "error"), SafeText.MAX_CHARS / 2);
            boolean transientFailure = "failed".equals(status) && isTransient(error);
            replicate.forget(exchange);
            throw new PredictionFailedException(id, status, error, transientFailure);
        }
        JsonNode output = prediction.get("output");
        if (output != null && output.isArray() && !output.isEmpty()) {
            output = output.get(0);
        }
        if (output == null || !output.isTextual() || output.asText().isBlank()) {
            if (prediction.path("data_removed").asBoolean()) {
                replicate.forget(exchange);
                throw new PredictionFailedException(id, "succeeded", "its output was already removed (older than an hour)", true);
            }
            throw new MalformedResponseException("Prediction " + id + " succeeded without an output file");
        }
        call.output = output.asText();
        // made and billed: its download finishes even when the plan is canceled meanwhile (a redrive reuses it)
        Steps.current(exchange).outputPaid();
    }

    boolean isTransient(String error) {
        if (error == null) {
            return false;
        }
        String lower = error.toLowerCase(Locale.ROOT);
        return settings.transientErrors().stream().anyMatch(t -> lower.contains(t.toLowerCase(Locale.ROOT)));
    }
}
