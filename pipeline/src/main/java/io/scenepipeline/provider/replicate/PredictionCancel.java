package io.scenepipeline.provider.replicate;

import io.scenepipeline.provider.HttpRequest;
import io.scenepipeline.run.PlanRun;
import io.scenepipeline.run.StepRecord;
import io.scenepipeline.run.Steps;
import io.scenepipeline.support.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.io.IOException;

/**
 * A prediction the pipeline gives up on ({@code replicate.prediction-timeout}) is canceled
 * ({@code POST /v1/predictions/{id}/cancel}), not left running and billed: a failed cancel is retried as a poll is.
 * Then the step fails for good, and its record says the prediction was canceled.
 */
public final class PredictionCancel {

    private static final Logger LOG = Logs.of(PredictionCancel.class);

    private final ReplicateSettings settings;
    private final ReplicateSteps replicate;

    public PredictionCancel(ReplicateSettings settings, ReplicateSteps replicate) {
        this.settings = settings;
        this.replicate = replicate;
    }

    /** Polling stopped because the prediction ran too long, or its plan was canceled by the operator. */
    public boolean timedOut(Exchange exchange) {
        return PredictionCall.of(exchange).timedOut;
    }

    public void prepare(Exchange exchange) {
        replicate.authorize(HttpRequest.start(exchange, "POST", "/v1/predictions/" + PredictionCall.of(exchange).id + "/cancel"));
    }

    public void canceled(Exchange exchange) throws IOException {
        HttpRequest.forgetCredentials(exchange);
        String id = PredictionCall.of(exchange).id;
        String status = "canceled";
        try {
            JsonNode answer = Json.readResponse("Replicate", exchange.getIn().getBody(String.class));
            status = answer.path("status").asText(status);
        } catch (RuntimeException unreadable) {
            // the cancel was accepted (2xx); what it answered does not change that
        }
        StepRecord step = Steps.current(exchange);
        step.canceledPrediction(id);
        replicate.forget(exchange);
        PlanRun run = Steps.run(exchange);
        if (run.canceled()) {
            LOG.warn("{} Canceled prediction {} (status {}): the operator canceled the plan", Steps.context(exchange), id, status);
            run.checkCanceled();
        }
        LOG.warn("{} Canceled prediction {} (status {}): it did not finish within {} s (replicate.prediction-timeout)",
                Steps.context(exchange), id, status, settings.predictionTimeoutMs() / 1000);
        throw new PredictionTimeoutException("Prediction " + id + " did not finish within " + settings.predictionTimeoutMs() / 1000
                + " s (replicate.prediction-timeout); it was canceled, so it is no longer billed");
    }
}
