package io.scenepipeline.provider.replicate;

import io.scenepipeline.provider.HttpRequest;
import io.scenepipeline.support.Json;
import io.scenepipeline.support.MalformedResponseException;
import io.scenepipeline.support.SafeText;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static io.scenepipeline.provider.replicate.ReplicateSteps.DEADLINE;
import static io.scenepipeline.provider.replicate.ReplicateSteps.OUTPUT;
import static io.scenepipeline.provider.replicate.ReplicateSteps.PREDICTION;
import static io.scenepipeline.provider.replicate.ReplicateSteps.PREDICTION_ID;
import static io.scenepipeline.provider.replicate.ReplicateSteps.RESUMED;
import static io.scenepipeline.provider.replicate.ReplicateSteps.STATUS;
import static io.scenepipeline.provider.replicate.ReplicateSteps.TIMED_OUT;

/**
 * Polling a prediction until it ends, and its outcome: the output to fetch, or a failure (transient failures forget
 * the prediction, so the next attempt creates a new one). A poll that fails repeats the poll, never the create.
 */
public final class PredictionPolls {

    private static final Logger LOG = LoggerFactory.getLogger("scene-pipeline");

    private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "canceled", "aborted");

    private final ReplicateSettings settings;
    private final ReplicateSteps replicate;

    public PredictionPolls(ReplicateSettings settings, ReplicateSteps replicate) {
        this.settings = settings;
        this.replicate = replicate;
    }

    public void preparePoll(Exchange exchange) {
        replicate.authorize(HttpRequest.start(exchange, "GET", "/v1/predictions/" + exchange.getProperty(PREDICTION_ID, String.class)));
    }

    /**
     * Reads a poll answer. The poll endpoint does not throw on an error status, so that a resumed prediction Replicate
     * no longer knows (404) is forgotten and created anew; every other error status is raised as camel-http would.
     */
    public void polled(Exchange exchange) throws IOException, HttpOperationFailedException {
        HttpRequest.forgetCredentials(exchange);
        Message in = exchange.getIn();
        int code = in.getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
        if (code < 200 || code > 299) {
            String body = in.getBody(String.class);
            String id = exchange.getProperty(PREDICTION_ID, String.class);
            if (code == 404 && exchange.getProperty(RESUMED, false, Boolean.class)) {
                replicate.forget(exchange);
                exchange.removeProperty(RESUMED);
                throw new PredictionFailedException(id, "unknown", "Replicate no longer knows this prediction from an earlier run", true);
            }
            Map<String, String> headers = new LinkedHashMap<>();
            in.getHeaders().forEach((k, v) -> {
                if (!k.startsWith("Camel") && v != null) {
                    headers.put(k, v.toString());
                }
            });
            throw new HttpOperationFailedException(settings.baseUrl() + "/v1/predictions/" + id,
                    code, in.getHeader(Exchange.HTTP_RESPONSE_TEXT, "", String.class), null, headers, body);
        }
        ReplicateSteps.accept(exchange, Json.readResponse("Replicate", in.getBody(String.class)));
        if (!terminal(exchange) && System.currentTimeMillis() > exchange.getProperty(DEADLINE, Long.class)) {
            // given up: the route cancels it (PredictionCancel), so it does not run on, billed, for no one
            exchange.setProperty(TIMED_OUT, true);
        }
    }

    public boolean terminal(Exchange exchange) {
        return TERMINAL.contains(exchange.getProperty(STATUS, "", String.class));
    }

    /** After polling ends: the output reference, or the prediction's failure (a transient one forgets the id). */
    public void outcome(Exchange exchange) throws IOException {
        JsonNode prediction = exchange.getProperty(PREDICTION, JsonNode.class);
        String id = exchange.getProperty(PREDICTION_ID, String.class);
        String status = exchange.getProperty(STATUS, String.class);
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
        exchange.setProperty(OUTPUT, output.asText());
    }

    boolean isTransient(String error) {
        if (error == null) {
            return false;
        }
        String lower = error.toLowerCase(Locale.ROOT);
        return settings.transientErrors().stream().anyMatch(t -> lower.contains(t.toLowerCase(Locale.ROOT)));
    }
}
