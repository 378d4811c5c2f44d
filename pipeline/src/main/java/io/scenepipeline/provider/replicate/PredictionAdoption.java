package io.scenepipeline.provider.replicate;

import io.scenepipeline.provider.HttpRequest;
import io.scenepipeline.run.Steps;
import io.scenepipeline.support.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import io.scenepipeline.support.log.Logs;
import org.slf4j.Logger;

import java.io.IOException;
import java.util.Set;


/**
 * A create that got no usable answer (read timeout, disconnect, 5xx) may still have made a prediction: Replicate has no
 * idempotency key. Before creating again, the list of predictions (newest first) is searched for one of the same
 * model with identical input, created after that create began, and it is adopted instead of paying again.
 */
public final class PredictionAdoption {

    private static final Logger LOG = Logs.of(PredictionAdoption.class);

    private static final Set<String> FAILED = Set.of("failed", "canceled", "aborted");
    private static final long CLOCK_SKEW_MS = 30_000;

    private final ReplicateSettings settings;
    private final ReplicateSteps replicate;

    public PredictionAdoption(ReplicateSettings settings, ReplicateSteps replicate) {
        this.settings = settings;
        this.replicate = replicate;
    }

    /** First page of {@code GET /v1/predictions} (newest first). */
    public void prepareList(Exchange exchange) {
        Message in = replicate.authorize(HttpRequest.start(exchange, "GET", "/v1/predictions"));
        String next = PredictionCall.of(exchange).listNext;
        if (next != null) {
            in.setHeader(Exchange.HTTP_URI, next);
            in.removeHeader(Exchange.HTTP_PATH);
        }
    }

    /**
     * Looks through a page of the prediction list for one the unanswered create made: same model, identical input,
     * created after that create began, not failed. Adopts it, or asks for the next page while the list is still
     * newer than the create.
     */
    public void listed(Exchange exchange) throws IOException {
        HttpRequest.forgetCredentials(exchange);
        JsonNode page = Json.readResponse("Replicate", HttpRequest.readAnswer(exchange));
        PredictionCall call = PredictionCall.of(exchange);
        long since = call.unansweredSince - CLOCK_SKEW_MS;
        ReplicateModel model = call.model;
        JsonNode input = Json.MAPPER.valueToTree(call.input);
        call.listNext = null;
        boolean older = false;
        for (JsonNode p : page.path("results")) {
            long created = ReplicateSteps.epochMillis(ReplicateSteps.text(p, "created_at"));
            if (created < since) {
                older = true;
                break;
            }
            String status = ReplicateSteps.text(p, "status");
            String m = ReplicateSteps.text(p, "model");
            boolean sameModel = m == null || m.equals(model.modelName()) || (model.version() != null && model.version().equals(ReplicateSteps.text(p, "version")));
            if (sameModel && input.equals(p.get("input")) && status != null && !FAILED.contains(status)) {
                String id = ReplicateSteps.text(p, "id");
                LOG.warn("{} Adopting prediction {}: the create that got no answer had made it", Steps.context(exchange), id);
                replicate.started(exchange, id, p);
                call.deadline = created + settings.predictionTimeoutMs();
                return;
            }
        }
        String next = ReplicateSteps.text(page, "next");
        if (!older && next != null) {
            call.listNext = next;
        } else {
            call.unansweredSince = null;
        }
    }
}
