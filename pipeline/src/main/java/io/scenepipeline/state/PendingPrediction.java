package io.scenepipeline.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A Replicate prediction a step has started but not finished: journaled before the create request is sent
 * ({@code predictionId} null: the create may or may not have reached Replicate) and again as soon as the create
 * answers (with its id), so a later run polls it instead of paying for a new one.
 *
 * @param key             the step key
 * @param createStartedAt epoch ms when the first create attempt began
 * @param predictionId    the prediction id, once known
 * @param createdAt       epoch ms when the create answered, once known
 * @param runId           the plan run that created it (it counts what it costs), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PendingPrediction(
        @JsonProperty("key") String key,
        @JsonProperty("create_started_at") long createStartedAt,
        @JsonProperty("prediction_id") String predictionId,
        @JsonProperty("created_at") Long createdAt,
        @JsonProperty("run_id") String runId) {

    /** A create about to be sent for {@code key} by the plan run {@code runId}. */
    public static PendingPrediction sending(String key, long since, String runId) {
        return new PendingPrediction(key, since, null, null, runId);
    }
}
