package io.scenepipeline.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scenepipeline.observe.PipelineMetrics;
import io.scenepipeline.provider.AccountPace;
import io.scenepipeline.provider.ServerSlots;
import io.scenepipeline.retry.ProviderBreaker;
import io.scenepipeline.retry.RetryBudget;
import io.scenepipeline.state.Pauses;
import io.scenepipeline.support.Json;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/**
 * Each provider as the console shows it: calls in flight and steps waiting (from the running plans' summaries), retries
 * and 429s so far, the pace the account's limits set, the breaker, the retry budget left, what was spent today, and
 * whether (and by whom) it is paused.
 */
public final class ProviderViews {

    /** What the panel reads: each may be null where the pipeline runs without it. */
    public record Sources(PipelineMetrics metrics, RetryBudget budget, ProviderBreaker breaker, Pauses pauses,
                   AccountPace replicateCreates, AccountPace replicateRequests, ServerSlots elevenlabsSlots, ServerSlots faceRigServers) {
    }

    private final Sources sources;

    ProviderViews(Sources sources) {
        this.sources = sources;
    }

    /** The step provider's name as steps carry it, for each of the console's provider names. */
    private static final Map<String, String> STEP_PROVIDER = Map.of("replicate", "replicate", "elevenlabs", "elevenlabs",
            "facerig", "face_rig");

    List<ObjectNode> all(List<ObjectNode> running) {
        return Pauses.PROVIDERS.stream().map(p -> view(p, running)).toList();
    }

    private ObjectNode view(String name, List<ObjectNode> running) {
        String stepProvider = STEP_PROVIDER.get(name);
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("name", name);
        int inFlight = 0;
        ObjectNode waiting = Json.MAPPER.createObjectNode();
        // each running plan's summary says what its steps of each provider do now
        for (ObjectNode plan : running) {
            JsonNode activity = plan.path("activity").path(stepProvider);
            inFlight += activity.path("in_flight").asInt();
            activity.path("waiting").fields().forEachRemaining(w -> waiting.put(w.getKey(), waiting.path(w.getKey()).asInt()
                    + w.getValue().asInt()));
        }
        n.put("in_flight", inFlight);
        n.set("waiting", waiting);
        if (sources.metrics() != null) {
            n.put("retries", (long) sources.metrics().count("scene.pipeline.retries", stepProvider));
            n.put("throttled", (long) sources.metrics().count("scene.pipeline.throttled", stepProvider));
            n.put("spent_today_usd", BigDecimal.valueOf(sources.metrics().spentToday(stepProvider)).setScale(4, RoundingMode.HALF_UP));
        }
        if (sources.budget() != null) {
            n.put("retry_budget_left", sources.budget().left(stepProvider));
        }
        if (sources.breaker() != null) {
            n.put("breaker", sources.breaker().state().name().toLowerCase(java.util.Locale.ROOT));
            if (!sources.breaker().lastReason().isEmpty()) {
                n.put("breaker_last_reason", sources.breaker().lastReason());
            }
        }
        ObjectNode pace = n.putObject("pace");
        switch (name) {
            case "replicate" -> {
                if (sources.replicateCreates() != null) {
                    pace.put("creates_per_minute", round(sources.replicateCreates().perMinute()));
                    pace.put("requests_per_minute", round(sources.replicateRequests().perMinute()));
                    pace.put("slowed_by_429", sources.replicateCreates().throttledCount() + sources.replicateRequests().throttledCount());
                }
            }
            case "elevenlabs" -> {
                if (sources.elevenlabsSlots() != null) {
                    pace.put("waiting_for_a_slot", sources.elevenlabsSlots().waitingCount());
                }
            }
            default -> {
                if (sources.faceRigServers() != null) {
                    pace.put("waiting_for_a_server", sources.faceRigServers().waitingCount());
                }
            }
        }
        Pauses.Pause pause = sources.pauses() == null ? null : sources.pauses().of(name);
        if (pause != null) {
            ObjectNode p = n.putObject("paused");
            p.put("by", pause.by());
            p.put("at", pause.at().toString());
        }
        return n;
    }

    private static double round(double v) {
        return BigDecimal.valueOf(v).setScale(1, RoundingMode.HALF_UP).doubleValue();
    }
}
